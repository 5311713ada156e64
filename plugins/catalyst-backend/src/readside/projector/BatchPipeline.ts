import type { JsMsg } from '@nats-io/jetstream';
import {
  diffBlueprintUsage,
  diffKvEntries,
  EnvironmentState,
  KV_KEYS,
  soakObservationOfView,
} from '@internal/plugin-catalyst-common';
import type { BlueprintUsageWriter } from '../usage/KvBlueprintUsage';
import type { KvStateWriter } from './KvStateStore';

/** A batch nobody ends (no more deliveries) is written after this long without a message. */
const IDLE_FLUSH_MS = 25;

export interface BatchPipelineOptions {
  writer: KvStateWriter;
  /** The Blueprint usage view's writer, when the projector keeps it. */
  usage?: BlueprintUsageWriter;
  batchSize: number;
  /** The Environment's newest stream sequence when the session started: reaching it is "caught up". */
  backlogEnd: number;
  /** The state the first batch starts from (as loaded from the bucket). */
  start: EnvironmentState;
  /** Throws when the projector may no longer write (lease lost). */
  assertOwner(): void;
  /** A batch is written and acked up to `toSequence`. */
  onCommitted(toSequence: number, caughtUp: boolean): void;
  /** A batch failed to be written: stop the deliveries (the session then ends with `failure`). */
  onFailure(): void;
  /** After a written batch: the Applications whose soak observation (pin, running since) it changed. */
  onSoakChanged?(applications: string[]): void;
  stats: { batches: number; events: number; writeMs: number };
}

/**
 * Turns folded deliveries into batched KV writes for one consume session. Each batch's net
 * changes are found once (`diffKvEntries` of the states before and after it, by reference) and
 * written through the journal; its Blueprint usage changes follow; then one AckAll acks it.
 *
 * One batch's writes may be in flight while the next batch is folded. Commits are chained
 * synchronously (each starts after the previous one), so a flush from the idle timer and one from
 * the delivery loop can never reorder them, and every ack still follows its own batch's writes.
 */
export class BatchPipeline {
  private batch: JsMsg[] = [];
  private before: EnvironmentState;
  private latest: EnvironmentState;
  private inFlight: Promise<void> = Promise.resolve();
  private committing = 0;
  private idle: NodeJS.Timeout | undefined;
  private lastDelivery = 0;
  private backlogHandedOver: boolean;
  private failed: { error: unknown } | undefined;

  constructor(private readonly options: BatchPipelineOptions) {
    this.before = options.start;
    this.latest = options.start;
    // The batch reaching `backlogEnd` is written at once (so whenCaughtUp is prompt); live bursts
    // after it batch as usual.
    this.backlogHandedOver = options.backlogEnd <= options.start.lastSequence;
  }

  /** The first failed write; the session rethrows it. */
  get failure(): unknown {
    return this.failed?.error;
  }

  get hasFailed(): boolean {
    return !!this.failed;
  }

  /**
   * Adds a delivery whose event is folded into `state`. When it ends a batch, returns a promise the
   * caller awaits before taking the next delivery (resolved once the batch before it is written);
   * otherwise nothing, so the hot path costs no await per event.
   */
  add(m: JsMsg, state: EnvironmentState): Promise<void> | undefined {
    this.latest = state;
    this.batch.push(m);
    // The `pending` on each delivery is the server's estimate and can stay above 0 at the end of
    // the stream (seen with nats-server 2.9.10 on a re-created filtered consumer: the last event
    // arrived with pending=2 and its batch waited for more), so it may end a batch early but is
    // never the only way one ends: an idle timer writes a batch no further delivery would end.
    const pending = m.info.pending; // parsed from the reply subject on every access
    // Caught up by sequence only: a wrong pending of 0 may end a batch, never the catch-up.
    const caughtUp = m.seq >= this.options.backlogEnd;
    const endsBacklog = caughtUp && !this.backlogHandedOver;
    if (endsBacklog) this.backlogHandedOver = true;
    if (this.batch.length >= this.options.batchSize || pending === 0 || endsBacklog) return this.flush(caughtUp);
    this.lastDelivery = performance.now();
    // One timer at a time (not one per delivery, which costs at 50k events/s): it re-arms itself
    // until the batch has seen no delivery for IDLE_FLUSH_MS.
    this.idle ??= setTimeout(this.onIdle, IDLE_FLUSH_MS);
    return undefined;
  }

  /** Stops the idle timer and lets the batch being written finish (a stop keeps its writes). */
  async close(): Promise<void> {
    clearTimeout(this.idle);
    this.idle = undefined;
    await this.inFlight.catch(() => undefined);
  }

  private readonly onIdle = () => {
    this.idle = undefined;
    if (this.batch.length === 0) return;
    const quiet = performance.now() - this.lastDelivery;
    // While a commit runs the batch keeps growing instead of queueing behind it: the loop's own
    // flushes wait for the previous batch, and the timer's must not pile up commits either.
    if (quiet >= IDLE_FLUSH_MS && this.committing === 0) {
      void this.flush(this.latest.lastSequence >= this.options.backlogEnd);
    } else {
      this.idle = setTimeout(this.onIdle, Math.max(5, IDLE_FLUSH_MS - quiet));
    }
  };

  /** Hands the batch to the commit chain; resolves when the batch before it is written. */
  private flush(caughtUp: boolean): Promise<void> {
    const { batch, before, latest: after, options } = this;
    if (batch.length === 0) return this.inFlight;
    const encodeStarted = performance.now();
    const last = batch[batch.length - 1];
    const toSequence = after.lastSequence;
    const changed = toSequence > before.lastSequence;
    const encoded = new Map<string, string>();
    const removed = new Set<string>();
    const usage = changed && options.usage ? diffBlueprintUsage(before, after) : undefined;
    const soaked = changed && options.onSoakChanged ? soakChanges(before, after) : [];
    if (changed) {
      const changes = diffKvEntries(before, after);
      for (const [k, v] of Object.entries(changes.put)) if (k !== KV_KEYS.cursor) encoded.set(k, JSON.stringify(v));
      for (const k of changes.delete) removed.add(k);
    }
    this.batch = [];
    this.before = after;
    options.stats.writeMs += performance.now() - encodeStarted;
    const previous = this.inFlight;
    this.committing += 1;
    this.inFlight = (async () => {
      await previous;
      if (changed) options.assertOwner();
      const writeStarted = performance.now();
      if (changed) {
        await options.writer.commit({ put: encoded, delete: removed }, toSequence);
        options.stats.batches += 1;
      }
      // After the read model: a crash in between leaves the usage behind until the next session's
      // reconcile, never ahead of what the bucket says.
      if (usage && (Object.keys(usage.put).length > 0 || usage.delete.length > 0)) await options.usage!.commit(usage);
      // AckAll: one ack covers the batch; if it is lost the consumer redelivers and the cursor skips.
      last.ack();
      options.stats.events += batch.length;
      options.stats.writeMs += performance.now() - writeStarted;
      options.onCommitted(toSequence, caughtUp);
      if (soaked.length > 0) options.onSoakChanged!(soaked);
    })().finally(() => {
      this.committing -= 1;
    });
    this.inFlight.catch(error => {
      // Surface the failure even when no further message arrives to trigger the next flush.
      this.failed ??= { error };
      options.onFailure();
    });
    return previous;
  }
}

/**
 * The Applications whose soak observation differs between two states — started or stopped running
 * healthily, or now running another pin. Views are compared by reference first: the reducer keeps
 * an unchanged Application's view as the same object.
 */
function soakChanges(before: EnvironmentState, after: EnvironmentState): string[] {
  const names = new Set([...Object.keys(before.applications), ...Object.keys(after.applications)]);
  return [...names].filter(name => {
    const [a, b] = [before.applications[name], after.applications[name]];
    return a !== b && JSON.stringify(soakObservationOfView(a)) !== JSON.stringify(soakObservationOfView(b));
  });
}
