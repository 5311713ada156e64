import { JetStreamClient, StorageType } from '@nats-io/jetstream';
import { KV, KvOptions, Kvm } from '@nats-io/kv';
import { KV_KEYS } from '@internal/plugin-catalyst-common';
import { casDelete, casPut } from '../kvCas';
import { stateBucketName } from '../names';
import { forEachLimited } from '../util';

export { KvWriteConflictError } from '../kvCas';

/** The last message of one key: a value (`PUT`) or a deletion marker. */
export interface StoredEntry {
  revision: number;
  operation: 'PUT' | 'DEL' | 'PURGE';
  /** The JSON text of a `PUT`; empty for markers. */
  value: string;
}

/**
 * `ws-<env>-state` bucket settings: history 1 (readers want the latest value; resuming watchers get
 * the latest value of every key changed since their revision), file storage, 1 MiB values. No
 * max_bytes: JetStream would reserve it per bucket on the server's store, and the read model is
 * bounded by the projection's own limits (PROJECTION_LIMITS) anyway.
 */
export const STATE_BUCKET_OPTIONS: Partial<KvOptions> = {
  history: 1,
  storage: StorageType.File,
  maxValueSize: 1024 * 1024,
  // replicas: from the Kvm (catalyst.nats.replicas, see nats/ReplicatedKvm)
};

/** Keys of the write-ahead journal (see {@link KvStateWriter}); not part of the read model. */
export const JOURNAL_KEY = 'projector.journal';
const JOURNAL_PART = 'projector.journal.part';
/** Journal messages stay well below the bucket's 1 MiB value limit. */
const JOURNAL_PART_BYTES = 512 * 1024;

export function isJournalKey(key: string): boolean {
  return key === JOURNAL_KEY || key.startsWith(`${JOURNAL_PART}.`);
}

/** Opens (creating when absent) an Environment's state bucket with the read side's settings. */
export function openStateBucket(kvm: Kvm, environment: string): Promise<KV> {
  return kvm.create(stateBucketName(environment), {
    ...STATE_BUCKET_OPTIONS,
    description: `Catalyst read model of Environment ${environment}`,
  });
}

/**
 * Every key's last message, read with one watch of `>` (NATS 2.9: one filter) that stops once it
 * has delivered the bucket's last sequence as of the call.
 */
export async function readBucket(
  kv: KV,
  timeoutMs = 60_000,
): Promise<{ entries: Map<string, StoredEntry>; lastRevision: number }> {
  const entries = new Map<string, StoredEntry>();
  const status = await kv.status();
  const last = status.streamInfo.state.last_seq;
  if (status.streamInfo.state.messages === 0) return { entries, lastRevision: last };
  const iter = await kv.watch({ key: '>' });
  const timer = setTimeout(
    () => iter.stop(new Error(`reading bucket ${status.bucket} took over ${timeoutMs} ms`)),
    timeoutMs,
  );
  let lastRevision = last;
  try {
    for await (const e of iter) {
      entries.set(e.key, {
        revision: e.revision,
        operation: e.operation,
        value: e.operation === 'PUT' ? e.string() : '',
      });
      lastRevision = Math.max(lastRevision, e.revision);
      if (e.revision >= last || e.delta === 0) break;
    }
  } finally {
    clearTimeout(timer);
    iter.stop();
  }
  return { entries, lastRevision };
}

/** A journal that cannot be read back: the bucket must be rebuilt from the stream. */
export class KvJournalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KvJournalError';
  }
}

export interface KvChangeSet {
  /** key → JSON text */
  put: Map<string, string>;
  delete: Set<string>;
}

interface JournalHeader {
  toSequence: number;
  parts: number;
}

/**
 * Writes folded changes into the state bucket so that a crash at any point loses nothing and
 * applies nothing twice. NATS 2.9 has no multi-key transaction, so every batch is a small redo log:
 *
 * 1. the batch's net changes go to `projector.journal` (split over `projector.journal.part.<n>`
 *    when large), written with CAS — this is also where a second writer is fenced off;
 * 2. the changed keys, in parallel, each with CAS on its last revision (create when absent);
 * 3. `projector.cursor` = the last stream sequence of the batch.
 *
 * On restart {@link KvStateWriter.recover} re-applies a journal newer than the cursor; only then is
 * the state loaded. Without it a crash between 2 and 3 would leave, e.g., `projector.revisions`
 * updated and an `application.*` view not, and re-folding the batch would skip the commit as known.
 */
export class KvStateWriter {
  private constructor(
    private readonly kv: KV,
    private readonly js: JetStreamClient,
    private readonly bucket: string,
    /** Last revision of every key ever written (values and deletion markers), for CAS. */
    private readonly revisions: Map<string, number>,
    /** Keys whose last message is a value. */
    private readonly live: Set<string>,
  ) {}

  static fromEntries(options: { kv: KV; js: JetStreamClient; environment: string; entries: Map<string, StoredEntry> }) {
    const revisions = new Map<string, number>();
    const live = new Set<string>();
    for (const [key, entry] of options.entries) {
      revisions.set(key, entry.revision);
      if (entry.operation === 'PUT') live.add(key);
    }
    return new KvStateWriter(options.kv, options.js, stateBucketName(options.environment), revisions, live);
  }

  isLive(key: string): boolean {
    return this.live.has(key);
  }

  /** Applies a journal the last writer left behind; returns the cursor it restored, if any. */
  async recover(entries: Map<string, StoredEntry>): Promise<number | undefined> {
    const header = entries.get(JOURNAL_KEY);
    if (!header || header.operation !== 'PUT') return undefined;
    const journal = JSON.parse(header.value) as JournalHeader & { put?: Record<string, unknown>; delete?: string[] };
    const cursorEntry = entries.get(KV_KEYS.cursor);
    const cursor =
      cursorEntry?.operation === 'PUT'
        ? (JSON.parse(cursorEntry.value) as { lastSequence?: number }).lastSequence ?? 0
        : 0;
    if (journal.toSequence <= cursor) return undefined;

    const put = new Map<string, string>();
    const deleted = new Set<string>();
    const collect = (part: { put?: Record<string, unknown>; delete?: string[] }) => {
      for (const [k, v] of Object.entries(part.put ?? {})) put.set(k, JSON.stringify(v));
      for (const k of part.delete ?? []) deleted.add(k);
    };
    if (journal.parts === 0) collect(journal);
    for (let i = 0; i < journal.parts; i++) {
      const part = entries.get(`${JOURNAL_PART}.${i}`);
      const parsed =
        part?.operation === 'PUT'
          ? (JSON.parse(part.value) as JournalHeader & {
              part: number;
              put?: Record<string, unknown>;
              delete?: string[];
            })
          : undefined;
      if (!parsed || parsed.toSequence !== journal.toSequence) {
        throw new KvJournalError(`journal part ${i} of the batch ending at ${journal.toSequence} is missing`);
      }
      collect(parsed);
    }
    // Keys already written before the crash keep their value (and their revision).
    for (const [k, v] of put) {
      const current = entries.get(k);
      if (current?.operation === 'PUT' && current.value === v) put.delete(k);
    }
    for (const k of deleted) if (!this.live.has(k)) deleted.delete(k);
    await this.applyKeys({ put, delete: deleted });
    await this.writeCursor(journal.toSequence);
    for (const [k, v] of put) entries.set(k, { revision: this.revisions.get(k) ?? 0, operation: 'PUT', value: v });
    for (const k of deleted) entries.set(k, { revision: this.revisions.get(k) ?? 0, operation: 'DEL', value: '' });
    entries.set(KV_KEYS.cursor, {
      revision: this.revisions.get(KV_KEYS.cursor) ?? 0,
      operation: 'PUT',
      value: JSON.stringify({ lastSequence: journal.toSequence }),
    });
    return journal.toSequence;
  }

  /** Journal, keys, cursor (see the class comment). Deletes of keys that do not exist are dropped. */
  async commit(changes: KvChangeSet, toSequence: number): Promise<{ puts: number; deletes: number }> {
    for (const k of changes.delete) if (!this.live.has(k)) changes.delete.delete(k);
    if (changes.put.size > 0 || changes.delete.size > 0) {
      await this.writeJournal(changes, toSequence);
      await this.applyKeys(changes);
    }
    await this.writeCursor(toSequence);
    return { puts: changes.put.size, deletes: changes.delete.size };
  }

  private async writeJournal(changes: KvChangeSet, toSequence: number): Promise<void> {
    const parts: string[] = [];
    let body = '';
    const flushPart = () => {
      parts.push(body);
      body = '';
    };
    for (const [k, v] of changes.put) {
      const entry = `${JSON.stringify(k)}:${v}`;
      if (body.length > 0 && body.length + entry.length > JOURNAL_PART_BYTES) flushPart();
      body = body ? `${body},${entry}` : entry;
    }
    const deletes = JSON.stringify([...changes.delete]);
    if (parts.length === 0 && body.length + deletes.length < JOURNAL_PART_BYTES) {
      await this.put(JOURNAL_KEY, `{"toSequence":${toSequence},"parts":0,"put":{${body}},"delete":${deletes}}`);
      return;
    }
    if (body.length > 0) flushPart();
    const messages = parts.map((p, i) => `{"toSequence":${toSequence},"part":${i},"put":{${p}},"delete":[]}`);
    messages.push(`{"toSequence":${toSequence},"part":${messages.length},"put":{},"delete":${deletes}}`);
    await forEachLimited(
      messages.map((m, i) => [i, m] as const),
      64,
      ([i, m]) => this.put(`${JOURNAL_PART}.${i}`, m),
    );
    await this.put(JOURNAL_KEY, `{"toSequence":${toSequence},"parts":${messages.length}}`);
  }

  private async applyKeys(changes: KvChangeSet): Promise<void> {
    const work: Array<readonly [string, string | null]> = [
      ...[...changes.put].map(([k, v]) => [k, v] as const),
      ...[...changes.delete].map(k => [k, null] as const),
    ];
    await forEachLimited(work, 512, ([key, value]) => (value === null ? this.remove(key) : this.put(key, value)));
  }

  private writeCursor(toSequence: number): Promise<void> {
    return this.put(KV_KEYS.cursor, `{"lastSequence":${toSequence}}`);
  }

  /** CAS put: `kv.create` semantics when the key never existed, `kv.update` otherwise. */
  private async put(key: string, value: string): Promise<void> {
    this.revisions.set(key, await casPut(this.kv, key, value, this.revisions.get(key) ?? 0));
    this.live.add(key);
  }

  /** CAS delete. */
  private async remove(key: string): Promise<void> {
    this.revisions.set(key, await casDelete(this.js, this.bucket, key, this.revisions.get(key) ?? 0));
    this.live.delete(key);
  }
}
