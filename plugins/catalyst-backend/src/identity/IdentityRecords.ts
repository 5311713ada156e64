import type { LoggerService } from '@backstage/backend-plugin-api';
import { StorageType } from '@nats-io/jetstream';
import type { Kvm } from '@nats-io/kv';
import type { IdentityRecordBody } from '@internal/plugin-catalyst-common';
import { KvBucketMirror } from '../nats/KvBucketMirror';

/** The bucket of the newest identity each user signed in or refreshed with. */
export const IDENTITY_BUCKET = 'catalyst-identities';

export interface IdentityRecord extends IdentityRecordBody {
  updatedAt: string;
}

/** KV keys allow `[-/_=.a-zA-Z0-9]`: a user ref, base64url-encoded, always fits. */
const keyOf = (userRef: string) => `u.${Buffer.from(userRef.toLocaleLowerCase('en-US')).toString('base64url')}`;

/**
 * What the sign-in resolver last issued for each user, shared by every replica through a NATS KV
 * bucket and mirrored in memory (reads on every request cost no round trip). A Backstage token
 * that claims ownership through a ref the user's newest record lacks is stale: the person lost a
 * team or role at their last sign-in or refresh, and the old token must not keep it. Listeners learn
 * of every change at once, so an open live stream of that user can end.
 */
export class IdentityRecords {
  private readonly records = new Map<string, IdentityRecord>();
  private readonly listeners = new Set<(userRef: string) => void>();

  private readonly mirror: KvBucketMirror;

  private constructor(private readonly kv: Awaited<ReturnType<Kvm['create']>>, logger: LoggerService) {
    this.mirror = KvBucketMirror.create({
      kv,
      name: IDENTITY_BUCKET,
      logger,
      apply: entry => this.apply(entry.key, entry.operation === 'PUT' ? entry.string() : undefined),
    });
  }

  static async create(options: { kvm: Kvm; logger: LoggerService }): Promise<IdentityRecords> {
    const kv = await options.kvm.create(IDENTITY_BUCKET, {
      history: 1,
      storage: StorageType.File,
      description: 'Catalyst: the ownership refs and profile each user was last signed in with',
    });
    return new IdentityRecords(kv, options.logger);
  }

  async start(): Promise<void> {
    this.mirror.start();
    await this.mirror.loaded();
  }

  stop(): Promise<void> {
    return this.mirror.stop();
  }

  /** After a NATS reconnect. */
  restart(): void {
    this.mirror.restart();
  }

  async record(body: IdentityRecordBody, now: Date): Promise<IdentityRecord> {
    const record: IdentityRecord = { ...body, updatedAt: now.toISOString() };
    await this.kv.put(keyOf(body.userRef), JSON.stringify(record));
    return record;
  }

  get(userRef: string): IdentityRecord | undefined {
    return this.records.get(keyOf(userRef));
  }

  /** Every user's newest record (who holds a role right now, for notifications). */
  all(): IdentityRecord[] {
    return [...this.records.values()];
  }

  /**
   * The refs a token claims that the user's newest record lacks (empty: not stale). A user with no
   * record (guest sign-in, a token issued before records existed) is judged by the token alone.
   */
  staleRefs(userRef: string, tokenRefs: readonly string[]): string[] {
    const record = this.get(userRef);
    if (!record) return [];
    const current = new Set(record.ownershipRefs.map(r => r.toLocaleLowerCase('en-US')));
    return tokenRefs.filter(r => !current.has(r.toLocaleLowerCase('en-US')));
  }

  onChange(listener: (userRef: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private apply(key: string, value: string | undefined) {
    let userRef: string | undefined;
    if (value === undefined) {
      userRef = this.records.get(key)?.userRef;
      this.records.delete(key);
    } else {
      try {
        const record = JSON.parse(value) as IdentityRecord;
        this.records.set(key, record);
        userRef = record.userRef;
      } catch {
        return;
      }
    }
    if (userRef) [...this.listeners].forEach(l => l(userRef!));
  }
}
