import type { LoggerService } from '@backstage/backend-plugin-api';
import { JetStreamApiError, JetStreamClient } from '@nats-io/jetstream';
import { ClosedConnectionError } from '@nats-io/transport-node';
import { CatalystEvent, natsSubjectForEvent, validateEvent } from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';

/** Some events were not valid; nothing of the batch was published. */
export class EventValidationError extends Error {
  constructor(readonly problems: Array<{ index: number; id?: string; message: string }>) {
    super(
      `${problems.length} event(s) rejected: ${problems
        .slice(0, 3)
        .map(p => `#${p.index}${p.id ? ` (${p.id})` : ''}: ${p.message}`)
        .join('; ')}`,
    );
    this.name = 'EventValidationError';
  }
}

/**
 * Some events could not be stored within the bounded wait (NATS away too long, or a permanent
 * JetStream error). The listed ids may or may not be stored; publishing them again is safe
 * (same `Nats-Msg-Id`, and the projector de-duplicates beyond the window).
 */
export class EventPublishError extends Error {
  constructor(
    readonly eventIds: string[],
    readonly reason: 'timeout' | 'rejected' | 'closed',
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EventPublishError';
  }
}

export interface JetStreamEventPublisherOptions {
  js: JetStreamClient;
  logger: LoggerService;
  /** Makes sure the Organization's stream exists before its first event (memoised by the caller). */
  ensureStream?: (organization: string, environment: string) => Promise<void>;
  /** Called when NATS answers "no responders" for an Organization: its stream may be gone. */
  forgetStream?: (organization: string) => void;
  /** Publishes awaiting their ack at once. Default 1024. */
  maxInFlight?: number;
  /** Ack timeout of one attempt. Default 5 s. */
  ackTimeoutMs?: number;
  /** How long a `publish` keeps retrying before it fails. Default 30 s. */
  maxWaitMs?: number;
}

interface Prepared {
  id: string;
  organization: string;
  environment: string;
  subject: string;
  payload: Uint8Array;
}

type Attempt = { ok: true; duplicate: boolean } | { ok: false; error: unknown; retryable: boolean };

const encoder = new TextEncoder();

function isRetryable(error: unknown): boolean {
  if (error instanceof ClosedConnectionError) return false;
  // API errors are answers from a live server: only "temporarily unavailable" (503) is worth a retry.
  if (error instanceof JetStreamApiError) return error.status === 503;
  // Timeouts, no responders (JetStream restarting), disconnects.
  return true;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * {@link CatalystEventPublisher} on JetStream: validates every event, derives its subject from its
 * type and data, and publishes with `Nats-Msg-Id` = event id and up to `maxInFlight` acks pending.
 * While NATS is away it keeps retrying the unacknowledged events (same msg ids, so nothing is stored
 * twice) and fails the call only after `maxWaitMs`: a publish never loses an event silently.
 *
 * Events of one call are sent in order; a retried event lands after later events of the same call
 * that were acked first, which the projection tolerates for everything except Git commits (their
 * publisher sends one commit at a time).
 */
export class JetStreamEventPublisher implements CatalystEventPublisher {
  private readonly maxInFlight: number;
  private readonly ackTimeoutMs: number;
  private readonly maxWaitMs: number;

  private constructor(private readonly options: JetStreamEventPublisherOptions) {
    this.maxInFlight = options.maxInFlight ?? 1024;
    this.ackTimeoutMs = options.ackTimeoutMs ?? 5000;
    this.maxWaitMs = options.maxWaitMs ?? 30_000;
  }

  static create(options: JetStreamEventPublisherOptions): JetStreamEventPublisher {
    return new JetStreamEventPublisher(options);
  }

  async publish(events: CatalystEvent | CatalystEvent[]): Promise<void> {
    await this.publishCounting(events);
  }

  /** Like `publish`, and says how many events JetStream already had (duplicates by msg id). */
  async publishCounting(events: CatalystEvent | CatalystEvent[]): Promise<{ stored: number; duplicates: number }> {
    const list = Array.isArray(events) ? events : [events];
    if (list.length === 0) return { stored: 0, duplicates: 0 };
    const prepared = this.prepare(list);
    const started = Date.now();
    const deadline = started + this.maxWaitMs;

    let pending = prepared;
    let duplicates = 0;
    for (let attempt = 1; ; attempt++) {
      await this.ensureStreams(pending, deadline);
      const results = await this.sendAll(pending);
      const failed: Prepared[] = [];
      let lastError: unknown;
      let permanent: unknown;
      for (let i = 0; i < results.length; i++) {
        const result = results[i];
        if (result.ok) {
          if (result.duplicate) duplicates += 1;
          continue;
        }
        failed.push(pending[i]);
        lastError = result.error;
        if (!result.retryable) permanent = result.error;
      }
      if (failed.length === 0) break;
      const ids = failed.map(p => p.id);
      if (permanent) {
        this.options.logger.error('Publishing read-side events failed', {
          failed: failed.length,
          of: list.length,
          error: describe(permanent),
        });
        const reason = permanent instanceof ClosedConnectionError ? 'closed' : 'rejected';
        throw new EventPublishError(
          ids,
          reason,
          `JetStream refused ${failed.length} event(s): ${describe(permanent)}`,
          {
            cause: permanent,
          },
        );
      }
      if (Date.now() >= deadline) {
        this.options.logger.error('Publishing read-side events timed out', {
          failed: failed.length,
          of: list.length,
          waitedMs: Date.now() - started,
          error: describe(lastError),
        });
        throw new EventPublishError(
          ids,
          'timeout',
          `${failed.length} event(s) not acknowledged by JetStream within ${this.maxWaitMs} ms: ${describe(lastError)}`,
          { cause: lastError },
        );
      }
      for (const org of new Set(failed.map(p => p.organization))) this.options.forgetStream?.(org);
      this.options.logger.warn('Retrying read-side events NATS did not acknowledge', {
        attempt,
        failed: failed.length,
        of: list.length,
        error: describe(lastError),
      });
      await new Promise(r =>
        setTimeout(r, Math.min(2000, 100 * 2 ** (attempt - 1), Math.max(0, deadline - Date.now()))),
      );
      pending = failed;
    }
    this.options.logger.debug('Published read-side events', {
      count: list.length,
      duplicates,
      durationMs: Date.now() - started,
    });
    return { stored: list.length - duplicates, duplicates };
  }

  private prepare(list: CatalystEvent[]): Prepared[] {
    const problems: Array<{ index: number; id?: string; message: string }> = [];
    const prepared: Prepared[] = [];
    list.forEach((event, index) => {
      const id = typeof event?.id === 'string' ? event.id : undefined;
      const validation = validateEvent(event);
      if (!validation.ok) {
        problems.push({ index, id, message: validation.issues.map(i => `${i.path} ${i.message}`).join(', ') });
        return;
      }
      if (!validation.known) {
        problems.push({ index, id, message: `unknown event type ${validation.event.type}` });
        return;
      }
      const subject = natsSubjectForEvent(validation.event);
      if (!subject.ok) {
        problems.push({ index, id, message: subject.issue.message });
        return;
      }
      prepared.push({
        id: validation.event.id,
        organization: validation.event.catalystorg,
        environment: validation.event.catalystenv,
        subject: subject.subject,
        payload: encoder.encode(JSON.stringify(event)),
      });
    });
    if (problems.length > 0) throw new EventValidationError(problems);
    return prepared;
  }

  private async ensureStreams(pending: Prepared[], deadline: number): Promise<void> {
    const ensure = this.options.ensureStream;
    if (!ensure) return;
    const targets = new Map<string, string>();
    for (const p of pending) targets.set(p.organization, p.environment);
    for (const [organization, environment] of targets) {
      // Best effort: while NATS is away this fails and the publish attempt below reports it.
      await Promise.race([
        ensure(organization, environment).catch(() => undefined),
        new Promise(r => setTimeout(r, Math.max(0, Math.min(this.ackTimeoutMs, deadline - Date.now())))),
      ]);
    }
  }

  /** Sends every event with at most `maxInFlight` acks outstanding; sends happen in list order. */
  private async sendAll(pending: Prepared[]): Promise<Attempt[]> {
    const results = new Array<Attempt>(pending.length);
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= pending.length) return;
        const p = pending[i];
        try {
          const ack = await this.options.js.publish(p.subject, p.payload, {
            msgID: p.id,
            timeout: this.ackTimeoutMs,
          });
          results[i] = { ok: true, duplicate: ack.duplicate };
        } catch (error) {
          results[i] = { ok: false, error, retryable: isRetryable(error) };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(this.maxInFlight, pending.length) }, worker));
    return results;
  }
}
