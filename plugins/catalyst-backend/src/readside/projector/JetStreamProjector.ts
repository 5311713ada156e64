import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConsumerMessages, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import {
  createEnvironmentState,
  EnvironmentState,
  foldEvent,
  KV_KEYS,
  toKvEntries,
} from '@internal/plugin-catalyst-common';
import { projectorDurableName, streamName } from '../names';
import type { KvBlueprintUsage } from '../usage/KvBlueprintUsage';
import { backoffMs, errorMessage, sleep } from '../util';
import { BatchPipeline } from './BatchPipeline';
import { KvStateWriter, openStateBucket, readBucket, StoredEntry } from './KvStateStore';
import { recreateProjectorConsumer } from './projectorConsumer';
import { foldEnvironmentLog, loadState, parseEvent, replacementChanges } from './projectorState';
import { lastEnvironmentSequence } from './readEnvironmentLog';

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
  /**
   * The Blueprint usage view this projector keeps its Environment's records in (every replica's
   * `KvBlueprintUsage`); none: the projector writes only the read model.
   */
  usage?: KvBlueprintUsage;
  /** After a written batch: the Applications whose soak observation it changed (change requests re-judge their soak). */
  onSoakChanged?: (applications: string[]) => void;
}

/** The projector noticed it no longer owns its Environment. */
export class LeaseLostError extends Error {
  constructor(environment: string) {
    super(`no longer the owner of Environment ${environment}`);
    this.name = 'LeaseLostError';
  }
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
 *   caught up), and each batch's net changes are written once ({@link BatchPipeline}): the reducer
 *   keeps unchanged parts of the state identical, so one `diffKvEntries(before, after)` per batch
 *   finds them by reference instead of a diff per event.
 * - With `usage`, the Environment's records in the Blueprint usage view follow each batch, and are
 *   compared with the read model whenever a session starts or a rebuild ends.
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
    const head = await foldEnvironmentLog({ js, organization, environment });
    const wasRunning = !!this.running;
    this.rebuilding += 1;
    await this.stop();
    try {
      const tail = await foldEnvironmentLog({
        js,
        organization,
        environment,
        state: head.state,
        fromSequence: head.lastSequence + 1,
      });
      const { state } = tail;
      const kv = await openStateBucket(this.options.kvm, environment);
      const { entries } = await readBucket(kv);
      const writer = KvStateWriter.fromEntries({ kv, js, environment, entries });
      await writer.recover(entries);
      this.assertOwner();
      const written = await writer.commit(replacementChanges(state, entries), state.lastSequence);
      await this.reconcileUsage(state);
      this.state = state;
      this.markCommitted(state.lastSequence);
      const result = { events: head.events + tail.events, ...written, durationMs: Date.now() - started };
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
    this.state = loadState(environment, entries, logger);
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
    const usage = await this.reconcileUsage(this.state);

    // Caught up = folded through the Environment's newest event as of now, read as a sequence: the
    // server's pending counts are estimates (see BatchPipeline).
    const backlogEnd = await lastEnvironmentSequence(js, this.options.organization, environment);
    const info = await recreateProjectorConsumer({
      jsm: this.options.jsm,
      stream: this.stream,
      durable: this.durable,
      filter: this.filter,
      environment,
      cursor: this.state.lastSequence,
      logger,
    });
    if (backlogEnd <= this.state.lastSequence) this.markCaughtUp();
    if (signal.aborted) return;
    const consumer = await js.consumers.get(this.stream, this.durable);
    const messages = await consumer.consume({ max_messages: this.batchSize * 2 });
    this.messages = messages;
    if (signal.aborted) messages.stop();
    logger.info('Projector consuming', { environment, cursor: this.state.lastSequence, pending: info.num_pending });

    const pipeline = new BatchPipeline({
      writer,
      usage,
      batchSize: this.batchSize,
      backlogEnd,
      start: this.state,
      assertOwner: () => this.assertOwner(),
      onCommitted: (toSequence, caughtUp) => {
        this.markCommitted(toSequence);
        if (caughtUp) this.markCaughtUp();
      },
      onFailure: () => messages.stop(),
      ...(this.options.onSoakChanged ? { onSoakChanged: this.options.onSoakChanged } : {}),
      stats: this.stats,
    });
    try {
      for await (const m of messages) {
        if (pipeline.hasFailed) break;
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
        this.stats.foldMs += performance.now() - foldStarted;
        const handedOver = pipeline.add(m, this.state);
        if (handedOver) await handedOver;
      }
    } finally {
      // A stop lets the batch being written finish; its failure (or an earlier one) ends the session.
      await pipeline.close();
    }
    if (pipeline.hasFailed) throw pipeline.failure;
  }

  /** Brings the Environment's records in the usage view in line with `state`; the writer for what follows. */
  private async reconcileUsage(state: EnvironmentState) {
    if (!this.options.usage) return undefined;
    const usage = this.options.usage.writer(this.options.environment);
    this.assertOwner();
    const { puts, deletes } = await usage.reconcile(state);
    if (puts > 0 || deletes > 0) {
      this.options.logger.info('Projector brought the Blueprint usage view in line with the read model', {
        environment: this.options.environment,
        puts,
        deletes,
      });
    }
    return usage;
  }

  private async rebuildInSession(kv: KV, entries: Map<string, StoredEntry>): Promise<void> {
    const { js, organization, environment } = this.options;
    const { state } = await foldEnvironmentLog({ js, organization, environment });
    const writer = KvStateWriter.fromEntries({ kv, js, environment, entries });
    this.assertOwner();
    // The cursor goes backwards here on purpose: it must match the new stream.
    await writer.commit(replacementChanges(state, entries), state.lastSequence);
    this.state = state;
  }
}
