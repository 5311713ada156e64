import type { LoggerService } from '@backstage/backend-plugin-api';
import { JetStreamClient, StorageType } from '@nats-io/jetstream';
import { KV, Kvm, KvWatchEntry } from '@nats-io/kv';
import type { QueuedIterator } from '@nats-io/transport-node';
import {
  BlueprintUsageChanges,
  blueprintUsageEntries,
  BlueprintUsageEntry,
  blueprintUsageItems,
  BlueprintUsageRecord,
  EnvironmentState,
  parseBlueprintUsageKey,
} from '@internal/plugin-catalyst-common';
import { casDelete, casPut } from '../kvCas';
import { BLUEPRINT_USAGE_BUCKET } from '../names';
import { backoffMs, errorMessage, forEachLimited, sleep } from '../util';

/** Opens (creating when absent) the shared usage bucket: history 1, file storage, small values. */
export function openBlueprintUsageBucket(kvm: Kvm): Promise<KV> {
  return kvm.create(BLUEPRINT_USAGE_BUCKET, {
    history: 1,
    storage: StorageType.File,
    maxValueSize: 64 * 1024,
    // replicas: from the Kvm (catalyst.nats.replicas, see nats/ReplicatedKvm)
    description: 'Catalyst Blueprint usage view: <blueprint>.<environment>.<application> → record',
  });
}

/** A key's last revision and value (null: a deletion marker). */
interface StoredKey {
  revision: number;
  value: string | null;
}

/** One key's last message as this replica has seen it (deletion markers kept for CAS). */
interface Stored {
  revision: number;
  /** JSON text; null for a deletion marker. */
  value: string | null;
  record: BlueprintUsageRecord | null;
}

function isUsageRecord(value: unknown): value is BlueprintUsageRecord {
  const r = value as Partial<BlueprintUsageRecord> | null;
  return (
    typeof r === 'object' &&
    r !== null &&
    typeof r.blueprint === 'string' &&
    typeof r.environment === 'string' &&
    typeof r.organization === 'string' &&
    typeof r.application === 'string' &&
    typeof r.version === 'string' &&
    (r.source === 'catalog' || r.source === 'shared-blueprints') &&
    typeof r.live === 'object' &&
    r.live !== null
  );
}

const add = (index: Map<string, Set<string>>, name: string, key: string) => {
  let keys = index.get(name);
  if (!keys) index.set(name, (keys = new Set()));
  keys.add(key);
};

/**
 * Writes one Environment's usage records for its projector, each with CAS on the key's last
 * revision (a projector that lost its lease fails here too instead of overwriting the new owner).
 */
export class BlueprintUsageWriter {
  private revisions = new Map<string, number>();
  private live = new Set<string>();
  private reconciled = false;

  constructor(
    private readonly view: { storedOf(environment: string): Promise<Map<string, StoredKey>> },
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    readonly environment: string,
  ) {}

  /**
   * Makes the Environment's keys equal to the records of `state`: after a projector (re)starts or
   * rebuilds, whatever a crash, a lost bucket or another version left there.
   */
  async reconcile(state: EnvironmentState): Promise<{ puts: number; deletes: number }> {
    const stored = await this.view.storedOf(this.environment);
    this.revisions = new Map([...stored].map(([key, s]) => [key, s.revision]));
    this.live = new Set([...stored].filter(([, s]) => s.value !== null).map(([key]) => key));
    const target = blueprintUsageEntries(state);
    const put: Record<string, BlueprintUsageRecord> = {};
    for (const [key, record] of Object.entries(target)) {
      if (stored.get(key)?.value !== JSON.stringify(record)) put[key] = record;
    }
    const remove = [...this.live].filter(key => !(key in target));
    this.reconciled = true;
    await this.commit({ put, delete: remove });
    return { puts: Object.keys(put).length, deletes: remove.length };
  }

  /** Writes one batch's changes (catalyst-common `diffBlueprintUsage`). */
  async commit(changes: BlueprintUsageChanges): Promise<void> {
    // Without the revisions `reconcile` reads, every write would be a create and conflict.
    if (!this.reconciled) throw new Error(`usage writer of ${this.environment} used before reconcile`);
    const work: Array<readonly [string, string | null]> = [
      ...Object.entries(changes.put).map(([key, record]) => [key, JSON.stringify(record)] as const),
      ...changes.delete.filter(key => this.live.has(key)).map(key => [key, null] as const),
    ];
    await forEachLimited(work, 256, async ([key, value]) => {
      const previous = this.revisions.get(key) ?? 0;
      if (value === null) {
        this.revisions.set(key, await casDelete(this.js, BLUEPRINT_USAGE_BUCKET, key, previous));
        this.live.delete(key);
      } else {
        this.revisions.set(key, await casPut(this.kv, key, value, previous));
        this.live.add(key);
      }
    });
  }
}

/**
 * The Blueprint usage view of one replica: an in-memory mirror of the shared
 * `catalyst-blueprint-usage` bucket, fed by ONE KV watch of `>` (as `KvEnvironmentHub` mirrors an
 * Environment), indexed by Blueprint. Every replica answers `usage()` from its mirror; the
 * Environments' projectors write the bucket through {@link BlueprintUsageWriter}s, so every replica
 * sees every Environment's Applications without reading any Environment.
 *
 * The bucket is derived state: each projector compares its Environment's keys with its read model
 * when it starts a session and after a rebuild, and writes the difference, so a crash between a
 * state commit and its usage write, or a lost bucket, heals at the next session.
 */
export class KvBlueprintUsage {
  private readonly entries = new Map<string, Stored>();
  private readonly byBlueprint = new Map<string, Set<string>>();
  private readonly byEnvironment = new Map<string, Set<string>>();
  private lastRevision = 0;
  private loaded = false;
  private loadWaiters: Array<() => void> = [];
  private revisionWaiters: Array<{ revision: number; resolve: () => void }> = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private iterator: QueuedIterator<KvWatchEntry> | undefined;

  private constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly logger: LoggerService,
  ) {}

  static async create(options: { kvm: Kvm; js: JetStreamClient; logger: LoggerService }): Promise<KvBlueprintUsage> {
    return new KvBlueprintUsage(await openBlueprintUsageBucket(options.kvm), options.js, options.logger);
  }

  /** The last bucket revision this mirror has applied. */
  get revision(): number {
    return this.lastRevision;
  }

  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.run(abort.signal).finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.iterator?.stop();
    await this.running;
  }

  /** Ends the current watch; it resumes after the last revision seen (call after a NATS reconnect). */
  restartWatch(): void {
    this.iterator?.stop();
  }

  /** Resolves once the bucket's content at start is mirrored; rejects after `timeoutMs`. */
  whenLoaded(timeoutMs = 10_000): Promise<void> {
    if (this.loaded) return Promise.resolve();
    return this.within(timeoutMs, 'the Blueprint usage view is not loaded', resolve => this.loadWaiters.push(resolve));
  }

  /** Resolves once the mirror has applied bucket revision `revision`; rejects after `timeoutMs`. */
  whenAt(revision: number, timeoutMs = 30_000): Promise<void> {
    if (this.lastRevision >= revision) return Promise.resolve();
    return this.within(timeoutMs, `the Blueprint usage view did not reach revision ${revision}`, resolve =>
      this.revisionWaiters.push({ revision, resolve }),
    );
  }

  /**
   * The usage table of a Blueprint: its Applications in the given (readable) Environments, with
   * `organization` only that Organization's shared-blueprints ones (catalyst-common
   * `blueprintUsageItems`). Reads only the Blueprint's own records.
   */
  async usage(
    blueprint: string,
    options: { environments: readonly string[]; organization?: string },
  ): Promise<BlueprintUsageEntry[]> {
    await this.whenLoaded();
    const records: BlueprintUsageRecord[] = [];
    for (const key of this.byBlueprint.get(blueprint) ?? []) {
      const record = this.entries.get(key)?.record;
      if (record) records.push(record);
    }
    return blueprintUsageItems(records, options);
  }

  /** A writer for one Environment's records (one per projector session: it keeps their revisions). */
  writer(environment: string): BlueprintUsageWriter {
    return new BlueprintUsageWriter(this, this.kv, this.js, environment);
  }

  /** The latest message of every key of an Environment, once the mirror has caught up with the bucket. */
  async storedOf(environment: string): Promise<Map<string, StoredKey>> {
    const status = await this.kv.status();
    await this.whenAt(status.streamInfo.state.last_seq);
    const out = new Map<string, StoredKey>();
    for (const key of this.byEnvironment.get(environment) ?? []) {
      const stored = this.entries.get(key);
      if (stored) out.set(key, { revision: stored.revision, value: stored.value });
    }
    return out;
  }

  private within(timeoutMs: number, what: string, register: (resolve: () => void) => void): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${what} within ${timeoutMs} ms`)), timeoutMs);
      timer.unref?.();
      register(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private markLoaded() {
    if (this.loaded) return;
    this.loaded = true;
    this.loadWaiters.splice(0).forEach(w => w());
  }

  private reset() {
    this.entries.clear();
    this.byBlueprint.clear();
    this.byEnvironment.clear();
    this.lastRevision = 0;
  }

  private apply(e: KvWatchEntry) {
    this.lastRevision = Math.max(this.lastRevision, e.revision);
    const parts = parseBlueprintUsageKey(e.key);
    const existing = this.entries.get(e.key);
    if (parts && !(existing && existing.revision >= e.revision)) {
      const value = e.operation === 'PUT' ? e.string() : null;
      let record: BlueprintUsageRecord | null = null;
      if (value !== null) {
        try {
          const parsed: unknown = JSON.parse(value);
          if (isUsageRecord(parsed)) record = parsed;
        } catch {
          // reported below like any other unreadable record
        }
        if (!record) this.logger.warn('Ignoring an unreadable Blueprint usage record', { key: e.key });
      }
      this.entries.set(e.key, { revision: e.revision, value, record });
      add(this.byBlueprint, parts.blueprint, e.key);
      add(this.byEnvironment, parts.environment, e.key);
    }
    if (this.revisionWaiters.length > 0) {
      const ready = this.revisionWaiters.filter(w => w.revision <= this.lastRevision);
      this.revisionWaiters = this.revisionWaiters.filter(w => w.revision > this.lastRevision);
      ready.forEach(w => w.resolve());
    }
  }

  private async run(signal: AbortSignal): Promise<void> {
    for (let attempt = 0; !signal.aborted; ) {
      try {
        const status = await this.kv.status();
        const { last_seq: last, messages } = status.streamInfo.state;
        if (last < this.lastRevision) {
          // The bucket was deleted and created again: the projectors' next sessions fill it.
          this.logger.warn('Blueprint usage bucket was recreated; mirroring it afresh');
          this.reset();
        }
        if (!this.loaded && messages === 0) this.markLoaded();
        const iterator = await this.kv.watch({
          key: '>',
          ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
        });
        this.iterator = iterator;
        if (signal.aborted) iterator.stop();
        for await (const e of iterator) {
          this.apply(e);
          if (!this.loaded && (e.revision >= last || e.delta === 0)) this.markLoaded();
          attempt = 0;
        }
      } catch (error) {
        if (signal.aborted) break;
        attempt += 1;
        this.logger.warn('Blueprint usage watch failed; resuming', {
          revision: this.lastRevision,
          error: errorMessage(error),
        });
        await sleep(backoffMs(attempt, 200, 5000), signal);
      } finally {
        this.iterator = undefined;
      }
    }
  }
}
