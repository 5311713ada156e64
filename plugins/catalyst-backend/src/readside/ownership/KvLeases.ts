import { StorageType } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { isWrongLastSequence } from '../kvCas';
import { LEASE_BUCKET } from '../names';

interface Held {
  revision: number;
  renewedAt: number;
}

/**
 * Leases in a JetStream KV bucket whose entries expire `ttlMs` after their last write (bucket TTL =
 * stream max age). A lease is taken with `create` (fails while another holder's entry lives) and
 * renewed with `update` on its revision (fails once anyone else wrote it). The holder treats the
 * lease as lost `ttlMs / 3` before the server could expire it, so two holders never both believe
 * they own it, whatever the clocks say: both durations are measured from the holder's own writes.
 */
export class KvLeases {
  private readonly held = new Map<string, Held>();

  private constructor(private readonly kv: KV, readonly owner: string, readonly ttlMs: number) {}

  static async create(options: { kvm: Kvm; owner: string; ttlMs?: number }): Promise<KvLeases> {
    const ttlMs = options.ttlMs ?? 15_000;
    const kv = await options.kvm.create(LEASE_BUCKET, {
      history: 1,
      ttl: ttlMs,
      storage: StorageType.File,
      description: 'Catalyst read-side ownership leases (one per Environment)',
    });
    return new KvLeases(kv, options.owner, ttlMs);
  }

  /** True while this process may act as the lease's holder. */
  holds(name: string): boolean {
    const lease = this.held.get(name);
    return !!lease && Date.now() - lease.renewedAt < (this.ttlMs * 2) / 3;
  }

  heldNames(): string[] {
    return [...this.held.keys()];
  }

  /** Takes the lease when nobody holds it; false when somebody does. */
  async tryAcquire(name: string): Promise<boolean> {
    if (this.holds(name)) return true;
    const sentAt = Date.now();
    try {
      const revision = await this.kv.create(name, this.value());
      this.held.set(name, { revision, renewedAt: sentAt });
      return true;
    } catch (error) {
      if (isWrongLastSequence(error) || (error instanceof Error && /wrong last sequence/i.test(error.message)))
        return false;
      throw error;
    }
  }

  /**
   * Extends a held lease. False when it is lost (someone else took it after it expired); a NATS
   * error is thrown and the lease stays held until `holds` says it is too old.
   */
  async renew(name: string): Promise<boolean> {
    const lease = this.held.get(name);
    if (!lease) return false;
    const sentAt = Date.now();
    try {
      const revision = await this.kv.update(name, this.value(), lease.revision);
      this.held.set(name, { revision, renewedAt: sentAt });
      return true;
    } catch (error) {
      if (isWrongLastSequence(error)) {
        this.held.delete(name);
        return false;
      }
      throw error;
    }
  }

  /** Gives the lease up so another replica can take it at once (shutdown). */
  async release(name: string): Promise<void> {
    const lease = this.held.get(name);
    this.held.delete(name);
    if (!lease) return;
    await this.kv.delete(name, { previousSeq: lease.revision }).catch(() => undefined);
  }

  /** Forgets a lease locally without touching NATS (it will expire). */
  drop(name: string): void {
    this.held.delete(name);
  }

  private value(): string {
    return JSON.stringify({ owner: this.owner, at: new Date().toISOString() });
  }
}
