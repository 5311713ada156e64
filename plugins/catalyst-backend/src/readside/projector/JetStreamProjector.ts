import { isDeepStrictEqual } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AckPolicy,
  ConsumerInfo,
  ConsumerMessages,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamClient,
  JetStreamManager,
  JsMsg,
  ReplayPolicy,
} from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { nanos } from '@nats-io/transport-node';
import {
  createEnvironmentState,
  diffKvEntries,
  EnvironmentState,
  foldEvent,
  fromKvEntries,
  KV_KEYS,
  project,
  toKvEntries,
} from '@internal/plugin-catalyst-common';
import { projectorDurableName, streamName } from '../names';
import { backoffMs, errorMessage, sleep } from '../util';
import { isJournalKey, KvStateWriter, openStateBucket, readBucket, StoredEntry } from './KvStateStore';
import { lastEnvironmentSequence, readEnvironmentLog } from './readEnvironmentLog';

export interface JetStreamProjectorOptions {
  js: JetStreamClient;
  jsm: JetStreamManager;
  kvm: Kvm;
  environment: string;
  organization: string;
  logger: LoggerService;
  /**
   * Checked before every write. The projector of an Environment must run on one replica only
   * (see EnvironmentOwnership); when this turns false it stops writing at once.
   */
  holdsLease?: () => boolean;
  /** Events folded per KV write at most. Default 1000. */
  batchSize?: number;
}

/** The projector noticed it no longer owns its Environment. */
export class LeaseLostError extends Error {
  constructor(environment: string) {
    super(`no longer the owner of Environment ${environment}`);
    this.name = 'LeaseLostError';
  }
}

const decoder = new TextDecoder();

/** A batch nobody ends (no more deliveries) is written after this long without a message. */
const IDLE_FLUSH_MS = 25;

function parseEvent(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    // Not JSON: the reducer rejects it and the cursor still moves past it.
    return null;
  }
}

function isConsumerNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound;
}

/**
 * The projector of one Environment: a durable pull consumer on the Organization stream with the
 * single filter `ws.<env>.>` (NATS 2.9), folding events with the pure `foldEvent` and writing
 * only the KV entries that changed into `ws-<env>-state` (see {@link KvStateWriter}).
 *
 * - Idempotent by stream sequence: the state's `lastSequence` is the `projector.cursor` key; a
 *   redelivered or replayed event at or below it changes nothing.
 * - Acks (AckAll on the batch's last message) come after the KV writes, so a crash redelivers.
 * - On (re)start it loads the state from the bucket, finishing a half-written batch first, and
 *   repositions the durable consumer at cursor + 1 when the consumer and the cursor disagree.
 * - Events are folded in batches (up to `batchSize`, or whatever is pending when the consumer is
 *   caught up), and each batch's net changes are written once: the reducer keeps unchanged parts
 *   of the state identical, so one `diffKvEntries(before, after)` per batch finds them by
 *   reference instead of a diff per event.
 */
export class JetStreamProjector {
  private readonly batchSize: number;
  private readonly stream: string;
  private readonly durable: string;
  private readonly filter: string;
  private state: EnvironmentState;
  private running: Promise<void> | undefined;
  private abort: AbortController | undefined;
  private messages: ConsumerMessages | undefined;
  private caughtUp = false;
  private waiters: Array<{ sequence: number; resolve: () => void }> = [];
  private caughtUpWaiters: Array<() => void> = [];
  private stats = { batches: 0, events: 0, rejected: 0, foldMs: 0, writeMs: 0 };

  private constructor(private readonly options: JetStreamProjectorOptions) {
    this.batchSize = options.batchSize ?? 1000;
    this.stream = streamName(options.organization);
    this.durable = projectorDurableName(options.environment);
    this.filter = `ws.${options.environment}.>`;
    this.state = createEnvironmentState(options.environment);
  }

  static create(options: JetStreamProjectorOptions): JetStreamProjector {
    return new JetStreamProjector(options);
  }

  get environment(): string {
    return this.options.environment;
  }

  /** The state as last folded (ahead of the KV by at most one batch being written). */
  currentState(): EnvironmentState {
    return this.state;
  }

  lastSequence(): number {
    return this.state.lastSequence;
  }

  /** Work done since creation; `foldMs`/`writeMs` split the time between folding and KV writes. */
  counters(): { batches: number; events: number; rejected: number; foldMs: number; writeMs: number } {
    return { ...this.stats };
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    const signal = this.abort.signal;
    this.running = this.run(signal).finally(() => {
      this.running = undefined;
    });
  }

  /** True while a consume session runs or is being retried (false after a stop or a lost lease). */
  isRunning(): boolean {
    return !!this.running;
  }

  /**
   * Starts again after the projector stopped itself on a lease it could no longer trust (its
   * holder renewed it since); not while a rebuild has it stopped, the rebuild restarts it.
   */
  resume(): void {
    if (this.rebuilding === 0) this.start();
  }

  /** Rebuilds in progress (an HTTP and a NATS request may overlap); the last one restarts. */
  private rebuilding = 0;

  /** Stops after the batch being written; unfolded deliveries are redelivered to the next owner. */
  async stop(): Promise<void> {
    this.abort?.abort();
    this.messages?.stop();
    await this.running;
  }

  /** Resolves once the cursor in KV has reached `sequence` (tests, benchmarks, rebuild). */
  whenAt(sequence: number): Promise<void> {
    if (this.committed >= sequence) return Promise.resolve();
    return new Promise(resolve => this.waiters.push({ sequence, resolve }));
  }

  /** Resolves once the projector has folded everything the stream held when it (re)started. */
  whenCaughtUp(): Promise<void> {
    if (this.caughtUp) return Promise.resolve();
    return new Promise(resolve => this.caughtUpWaiters.push(resolve));
  }

  private committed = 0;

  private markCommitted(sequence: number) {
    this.committed = Math.max(this.committed, sequence);
    const ready = this.waiters.filter(w => w.sequence <= this.committed);
    this.waiters = this.waiters.filter(w => w.sequence > this.committed);
    ready.forEach(w => w.resolve());
  }

  private markCaughtUp() {
    if (this.caughtUp) return;
    this.caughtUp = true;
    const waiters = this.caughtUpWaiters;
    this.caughtUpWaiters = [];
    waiters.forEach(w => w());
  }

  /**
   * Replays the Environment's events from the stream into a fresh state and makes the bucket equal
   * to it. Folding the log happens while the projector keeps running; it pauses only to fold the
   * tail that arrived meanwhile and to write the difference (journal, keys, cursor — the same path
   * as a batch), so readers never see a missing key, only keys moving to their rebuilt values.
   */
  async rebuild(): Promise<{ events: number; puts: number; deletes: number; durationMs: number }> {
    const started = Date.now();
    const { js, environment, organization, logger } = this.options;
    let state = createEnvironmentState(environment);
    let events = 0;
    const fold = (seq: number, data: Uint8Array) => {
      state = project(state, parseEvent(data), seq);
      events += 1;
    };
    const head = await readEnvironmentLog({ js, organization, environment, onMessage: fold });
    const wasRunning = !!this.running;
    this.rebuilding += 1;
    await this.stop();
    try {
      await readEnvironmentLog({ js, organization, environment, fromSequence: head.lastSequence + 1, onMessage: fold });
      const kv = await openStateBucket(this.options.kvm, environment);
      const { entries } = await readBucket(kv);
      const writer = KvStateWriter.fromEntries({ kv, js, environment, entries });
      await writer.recover(entries);
      const target = toKvEntries(state);
      delete target[KV_KEYS.cursor];
      const put = new Map<string, string>();
      for (const [key, value] of Object.entries(target)) {
        const current = entries.get(key);
        if (current?.operation === 'PUT' && isDeepStrictEqual(JSON.parse(current.value), value)) continue;
        put.set(key, JSON.stringify(value));
      }
      const remove = new Set<string>();
      for (const [key, entry] of entries) {
        if (entry.operation === 'PUT' && !(key in target) && key !== KV_KEYS.cursor && !isJournalKey(key))
          remove.add(key);
      }
      this.assertOwner();
      const written = await writer.commit({ put, delete: remove }, state.lastSequence);
      this.state = state;
      this.markCommitted(state.lastSequence);
      const result = { events, ...written, durationMs: Date.now() - started };
      logger.info('Rebuilt Environment read model from its stream', { environment, ...result });
      return result;
    } finally {
      this.rebuilding -= 1;
      if (wasRunning && this.rebuilding === 0) this.start();
    }
  }

  private assertOwner() {
    if (this.options.holdsLease && !this.options.holdsLease()) throw new LeaseLostError(this.options.environment);
  }

  private async run(signal: AbortSignal): Promise<void> {
    const { logger, environment } = this.options;
    for (let attempt = 0; !signal.aborted; ) {
      try {
        await this.session(signal);
        attempt = 0;
      } catch (error) {
        if (signal.aborted) break;
        if (error instanceof LeaseLostError) {
          logger.warn('Projector stopped: lease lost', { environment });
          break;
        }
        attempt += 1;
        const wait = backoffMs(attempt, 250, 10_000);
        logger.warn('Projector session failed; resuming from the KV cursor', {
          environment,
          attempt,
          retryInMs: wait,
          error: errorMessage(error),
        });
        await sleep(wait, signal);
      } finally {
        this.messages = undefined;
      }
    }
  }

  /** One consume session: load state from KV, position the consumer, fold until stopped or failed. */
  private async session(signal: AbortSignal): Promise<void> {
    const { js, environment, logger } = this.options;
    // A replica that lost the lease must not touch the consumer the new owner is using.
    this.assertOwner();
    const kv = await openStateBucket(this.options.kvm, environment);
    const { entries } = await readBucket(kv);
    const writer = KvStateWriter.fromEntries({ kv, js, environment, entries });
    const recovered = await writer.recover(entries);
    if (recovered !== undefined)
      logger.info('Projector finished a half-written batch', { environment, cursor: recovered });
    this.state = this.loadState(entries);
    if (!entries.has(KV_KEYS.cursor)) {
      // A new bucket gets every entry of the empty state once (summary, commits, …); afterwards
      // only changes are written, so readers always find the fixed keys.
      const initial = toKvEntries(this.state);
      delete initial[KV_KEYS.cursor];
      const put = new Map(Object.entries(initial).map(([k, v]) => [k, JSON.stringify(v)] as const));
      this.assertOwner();
      await writer.commit({ put, delete: new Set() }, this.state.lastSequence);
    }
    this.markCommitted(this.state.lastSequence);

    const streamInfo = await this.options.jsm.streams.info(this.stream);
    if (streamInfo.state.last_seq < this.state.lastSequence) {
      // The stream is younger than the read model (recreated): the cursor means nothing any more.
      logger.error('Stream is behind the projector cursor; rebuilding the read model', {
        environment,
        cursor: this.state.lastSequence,
        streamLastSequence: streamInfo.state.last_seq,
      });
      await this.rebuildInSession(kv, entries);
      return;
    }

    // Caught up = folded through the Environment's newest event as of now, read as a sequence: the
    // server's pending counts are estimates (below).
    const backlogEnd = await lastEnvironmentSequence(js, this.options.organization, environment);
    const info = await this.ensureConsumer(this.state.lastSequence);
    if (backlogEnd <= this.state.lastSequence) this.markCaughtUp();
    if (signal.aborted) return;
    const consumer = await js.consumers.get(this.stream, this.durable);
    const messages = await consumer.consume({ max_messages: this.batchSize * 2 });
    this.messages = messages;
    if (signal.aborted) messages.stop();
    logger.info('Projector consuming', { environment, cursor: this.state.lastSequence, pending: info.num_pending });

    let batch: JsMsg[] = [];
    let before = this.state;
    // The `pending` on each delivery is the server's estimate and can stay above 0 at the end of
    // the stream (seen with nats-server 2.9.10 on a re-created filtered consumer: the last event
    // arrived with pending=2 and its batch waited for more), so it may end a batch early but is never
    // the only way one ends: an idle timer writes a batch no further delivery would end.
    // One timer at a time (not one per delivery, which costs at 50k events/s): it re-arms itself
    // until the batch has seen no delivery for IDLE_FLUSH_MS.
    let idle: NodeJS.Timeout | undefined;
    let lastDelivery = 0;
    // The batch reaching `backlogEnd` is written at once (so whenCaughtUp is prompt); live bursts
    // after it batch as usual.
    let backlogHandedOver = backlogEnd <= this.state.lastSequence;

    // One batch's writes may be in flight while the next batch is folded. Commits are chained
    // synchronously (each starts after the previous one), so a flush from the idle timer and one
    // from the loop can never reorder them, and every ack still follows its own batch's KV writes.
    let inFlight: Promise<void> = Promise.resolve();
    let committing = 0;
    let failure: unknown;

    /** Hands the batch to the commit chain; resolves when the batch before it is written. */
    const flush = (caughtUp: boolean): Promise<void> => {
      if (batch.length === 0) return inFlight;
      const encodeStarted = performance.now();
      const last = batch[batch.length - 1];
      const count = batch.length;
      const toSequence = this.state.lastSequence;
      const changed = toSequence > before.lastSequence;
      const encoded = new Map<string, string>();
      const removed = new Set<string>();
      if (changed) {
        const changes = diffKvEntries(before, this.state);
        for (const [k, v] of Object.entries(changes.put)) if (k !== KV_KEYS.cursor) encoded.set(k, JSON.stringify(v));
        for (const k of changes.delete) removed.add(k);
      }
      batch = [];
      before = this.state;
      this.stats.writeMs += performance.now() - encodeStarted;
      const previous = inFlight;
      committing += 1;
      inFlight = (async () => {
        await previous;
        if (changed) this.assertOwner();
        const writeStarted = performance.now();
        if (changed) {
          await writer.commit({ put: encoded, delete: removed }, toSequence);
          this.stats.batches += 1;
        }
        // AckAll: one ack covers the batch; if it is lost the consumer redelivers and the cursor skips.
        last.ack();
        this.stats.events += count;
        this.stats.writeMs += performance.now() - writeStarted;
        this.markCommitted(toSequence);
        if (caughtUp) this.markCaughtUp();
      })().finally(() => {
        committing -= 1;
      });
      inFlight.catch(error => {
        // Surface the failure even when no further message arrives to trigger the next flush.
        failure ??= error;
        messages.stop();
      });
      return previous;
    };

    const onIdle = () => {
      idle = undefined;
      if (batch.length === 0) return;
      const quiet = performance.now() - lastDelivery;
      // While a commit runs the batch keeps growing instead of queueing behind it: the loop's own
      // flushes wait for the previous batch, and the timer's must not pile up commits either.
      if (quiet >= IDLE_FLUSH_MS && committing === 0) void flush(this.state.lastSequence >= backlogEnd);
      else idle = setTimeout(onIdle, Math.max(5, IDLE_FLUSH_MS - quiet));
    };

    try {
      for await (const m of messages) {
        if (failure) break;
        const foldStarted = performance.now();
        const result = foldEvent(this.state, parseEvent(m.data), m.seq);
        if (result.outcome === 'rejected') {
          this.stats.rejected += 1;
          logger.warn('Projector skipped an invalid event', {
            environment,
            sequence: m.seq,
            subject: m.subject,
            issue: result.issues[0]?.message ?? 'unknown',
          });
        }
        this.state = result.state;
        batch.push(m);
        this.stats.foldMs += performance.now() - foldStarted;
        // Once past the backlog, live bursts still batch: only the event completing it ends one.
        const pending = m.info.pending; // parsed from the reply subject on every access
        // Caught up by sequence only: a wrong pending of 0 may end a batch, never the catch-up.
        const caughtUp = m.seq >= backlogEnd;
        const endsBacklog = caughtUp && !backlogHandedOver;
        if (endsBacklog) backlogHandedOver = true;
        if (batch.length >= this.batchSize || pending === 0 || endsBacklog) {
          await flush(caughtUp);
        } else {
          lastDelivery = performance.now();
          idle ??= setTimeout(onIdle, IDLE_FLUSH_MS);
        }
      }
    } finally {
      // A stop lets the batch being written finish; its failure (or an earlier one) ends the session.
      clearTimeout(idle);
      await inFlight.catch(() => undefined);
    }
    if (failure) throw failure;
  }

  private loadState(entries: Map<string, StoredEntry>): EnvironmentState {
    const values: Record<string, unknown> = {};
    for (const [key, entry] of entries) {
      if (entry.operation !== 'PUT' || isJournalKey(key)) continue;
      values[key] = JSON.parse(entry.value);
    }
    const { state, issues } = fromKvEntries(this.options.environment, values);
    if (issues.length > 0) {
      this.options.logger.warn('Projector ignored unreadable KV entries', {
        environment: this.options.environment,
        count: issues.length,
        first: `${issues[0].path}: ${issues[0].message}`,
      });
    }
    return state;
  }

  private async rebuildInSession(kv: KV, entries: Map<string, StoredEntry>): Promise<void> {
    let state = createEnvironmentState(this.options.environment);
    await readEnvironmentLog({
      js: this.options.js,
      organization: this.options.organization,
      environment: this.options.environment,
      onMessage: (seq, data) => {
        state = project(state, parseEvent(data), seq);
      },
    });
    const writer = KvStateWriter.fromEntries({
      kv,
      js: this.options.js,
      environment: this.options.environment,
      entries,
    });
    const target = toKvEntries(state);
    delete target[KV_KEYS.cursor];
    const put = new Map(Object.entries(target).map(([k, v]) => [k, JSON.stringify(v)] as const));
    const remove = new Set(
      [...entries].filter(([k, e]) => e.operation === 'PUT' && !(k in target) && k !== KV_KEYS.cursor).map(([k]) => k),
    );
    this.assertOwner();
    // The cursor goes backwards here on purpose: it must match the new stream.
    await writer.commit({ put, delete: remove }, state.lastSequence);
    this.state = state;
  }

  /**
   * The durable consumer, positioned right after the KV cursor, created afresh for every session.
   * Re-using it could skip events (acked beyond the cursor when the KV lost writes or was rebuilt)
   * or delay them: a previous owner's pull requests outlive it on the server (until they expire),
   * and events delivered to them wait out the ack wait. Deleting the consumer drops both.
   */
  private async ensureConsumer(cursor: number): Promise<ConsumerInfo> {
    const { jsm } = this.options;
    try {
      const info = await jsm.consumers.info(this.stream, this.durable);
      this.options.logger.debug('Re-creating projector consumer at the KV cursor', {
        environment: this.options.environment,
        cursor,
        ackFloor: info.ack_floor.stream_seq,
        ackPending: info.num_ack_pending,
        waiting: info.num_waiting,
      });
      await jsm.consumers.delete(this.stream, this.durable);
    } catch (error) {
      if (!isConsumerNotFound(error)) throw error;
    }
    return jsm.consumers.add(this.stream, {
      durable_name: this.durable,
      description: `Catalyst projector of ${this.options.environment}`,
      filter_subject: this.filter,
      ack_policy: AckPolicy.All,
      ack_wait: nanos(30_000),
      max_ack_pending: 20_000,
      max_deliver: -1,
      replay_policy: ReplayPolicy.Instant,
      ...(cursor > 0
        ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cursor + 1 }
        : { deliver_policy: DeliverPolicy.All }),
    });
  }
}
