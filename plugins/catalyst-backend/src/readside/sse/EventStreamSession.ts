import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Request, Response } from 'express';
import {
  encodeLiveCursor,
  LIVE_EVENTS,
  LiveCursor,
  LiveEndFrame,
  LiveEndReason,
  LiveEventName,
  LiveOverflowFrame,
  LiveReadyFrame,
} from '@internal/plugin-catalyst-common';
import { HubChange, KvEnvironmentHub } from './KvEnvironmentHub';

export interface EventStreamSettings {
  /** Comment line sent when nothing else was, so proxies keep the connection. Default 15 s. */
  heartbeatMs: number;
  /** Bytes a client may fall behind before it is dropped (it reconnects and resumes). Default 1 MiB. */
  maxBufferedBytes: number;
  /** The `retry:` hint for EventSource reconnects. Default 2 s. */
  retryMs: number;
  /**
   * How often an open stream's access is checked again (see {@link StreamGuard}). Default 60 s:
   * access changes reach open tabs within a minute, at one authorization per stream per minute.
   */
  reauthorizeMs: number;
}

export const DEFAULT_EVENT_STREAM_SETTINGS: EventStreamSettings = {
  heartbeatMs: 15_000,
  maxBufferedBytes: 1024 * 1024,
  retryMs: 2000,
  reauthorizeMs: 60_000,
};

/**
 * Keeps an open stream within what its credentials allow. Authorization at connect time alone
 * would let a tab keep receiving an Environment for as long as it stays open: after its token
 * expired, after the user lost a role, after the Environment was deleted.
 */
export interface StreamGuard {
  /** When the credentials that opened the stream stop being valid; the stream ends then. */
  expiresAt?: Date;
  /**
   * Checked every `reauthorizeMs`: undefined while the stream may go on, otherwise why it must end.
   * A check that throws ends the stream too (fail closed); the client reconnects and is
   * authorized afresh, with its current token.
   */
  reauthorize: () => Promise<string | undefined>;
  /**
   * Subscribes to changes that may take access away (a new identity record for the user): the
   * check then runs at once rather than at the next interval. Returns the unsubscribe.
   */
  watch?: (recheck: () => void) => () => void;
}

/** SSE `data:` lines; a value with a line break (not ours, but possible) becomes several lines. */
function dataLines(json: string): string {
  return json.includes('\n')
    ? json
        .split('\n')
        .map(line => `data: ${line}`)
        .join('\n')
    : `data: ${json}`;
}

/**
 * One `GET /events` connection: several Environments multiplexed on one stream. The frames and the
 * `id:` cursor are the wire contract of catalyst-common (`api/liveEvents.ts`), read by the browser.
 *
 * Protocol (text/event-stream):
 * - `event: snapshot` `{environment, revision, entries: {key: value}}` per Environment the client
 *   has no revision for (or one the bucket no longer has, `reset: true`);
 * - `event: change` `{environment, key, revision, operation: put|delete, value}` for every key
 *   changed after the client's revision (catch-up, in revision order), then live;
 * - `event: ready` `{environments, resumed}` once every Environment is caught up;
 * - `: heartbeat` comments; `event: overflow` `{reason}` right before the server drops a client
 *   that fell `maxBufferedBytes` behind (it reconnects with Last-Event-ID and resumes);
 * - `event: end` `{reason, detail}` right before the server ends a stream whose credentials
 *   expired (`credentials-expired`) or whose access changed (`access-changed`, see
 *   {@link StreamGuard}); the client reconnects and is authorized again (a 403 then names the
 *   Environment it lost);
 * - every snapshot/change carries `id:` = `encodeLiveCursor` of the client's revision per
 *   Environment, so `Last-Event-ID` resumes each Environment exactly after what it saw.
 */
export class EventStreamSession {
  private readonly cursor: LiveCursor = {};
  private readonly unsubscribers: Array<() => void> = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private guardTimers: NodeJS.Timeout[] = [];
  private closed = false;
  private allowance = 0;

  constructor(
    private readonly req: Request,
    private readonly res: Response,
    private readonly hubs: Map<string, KvEnvironmentHub>,
    private readonly filter: (key: string) => boolean,
    private readonly settings: EventStreamSettings,
    private readonly logger: LoggerService,
    private readonly onClose: () => void,
    private readonly guard?: StreamGuard,
  ) {}

  /** Writes the catch-up and subscribes, all in one tick so no change slips between them. */
  open(resumeFrom: LiveCursor | undefined): void {
    const { res } = this;
    res.status(200);
    res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
    res.setHeader('Cache-Control', 'no-cache, no-transform');
    res.setHeader('Connection', 'keep-alive');
    // Reverse proxies (nginx) would otherwise buffer the stream.
    res.setHeader('X-Accel-Buffering', 'no');
    res.flushHeaders();
    this.req.socket.setNoDelay(true);
    this.req.on('close', () => this.close());
    res.on('close', () => this.close());

    let written = this.write(`retry: ${this.settings.retryMs}\n\n`);
    const resumed: string[] = [];
    for (const [environment, hub] of this.hubs) {
      const from = resumeFrom?.[environment];
      if (from !== undefined && from > 0 && from <= hub.revision) {
        this.cursor[environment] = from;
        for (const change of hub.changesSince(from, this.filter)) written += this.sendChange(change);
        resumed.push(environment);
      } else {
        const snapshot = hub.snapshot(this.filter);
        this.cursor[environment] = snapshot.revision;
        const entries = snapshot.entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',');
        const reset = from !== undefined && from > hub.revision;
        // A LiveSnapshotFrame spelled out by hand: the stored values are spliced in as JSON text,
        // never parsed and serialized again (a snapshot may hold thousands of entries).
        written += this.send(
          LIVE_EVENTS.snapshot,
          `{"environment":${JSON.stringify(environment)},"revision":${snapshot.revision}${
            reset ? ',"reset":true' : ''
          },"entries":{${entries}}}`,
          true,
        );
      }
      this.unsubscribers.push(hub.subscribe(change => this.onChange(change)));
      this.unsubscribers.push(hub.onReset(() => this.drop('reset')));
    }
    const ready: LiveReadyFrame = { environments: [...this.hubs.keys()], resumed };
    written += this.send(LIVE_EVENTS.ready, JSON.stringify(ready), false);
    // The catch-up may be large; only what a client falls behind after it counts against the limit.
    this.allowance = written;
    this.heartbeat = setInterval(
      () => this.write(`: heartbeat ${new Date().toISOString()}\n\n`),
      this.settings.heartbeatMs,
    );
    this.heartbeat.unref?.();
    this.startGuard();
  }

  private startGuard() {
    const { guard } = this;
    if (!guard) return;
    if (guard.expiresAt) {
      const remaining = guard.expiresAt.getTime() - Date.now();
      if (remaining <= 0) {
        this.drop('credentials-expired', 'the credentials that opened this stream have expired');
        return;
      }
      // setTimeout takes at most 2^31-1 ms; a longer lifetime is cut short by the periodic check anyway.
      const expiry = setTimeout(
        () => this.drop('credentials-expired', 'the credentials that opened this stream have expired'),
        Math.min(remaining, 2 ** 31 - 1),
      );
      expiry.unref?.();
      this.guardTimers.push(expiry);
    }
    let checking = false;
    let again = false;
    const recheck = () => {
      if (this.closed) return;
      if (checking) {
        // a change during a check may not be in it: check once more after
        again = true;
        return;
      }
      checking = true;
      guard
        .reauthorize()
        .then(
          reason => {
            if (reason) this.drop('access-changed', reason);
          },
          error => this.drop('access-changed', `access could not be checked again: ${(error as Error).message}`),
        )
        .finally(() => {
          checking = false;
          if (again) {
            again = false;
            recheck();
          }
        });
    };
    const check = setInterval(recheck, this.settings.reauthorizeMs);
    check.unref?.();
    this.guardTimers.push(check);
    if (guard.watch) this.unsubscribers.push(guard.watch(recheck));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.heartbeat);
    // clearTimeout and clearInterval are interchangeable for Node's timers.
    this.guardTimers.splice(0).forEach(t => clearTimeout(t));
    this.unsubscribers.splice(0).forEach(u => u());
    this.onClose();
  }

  private onChange(change: HubChange) {
    if (this.closed || !this.filter(change.key)) return;
    if (change.revision <= (this.cursor[change.environment] ?? 0)) return;
    if (this.res.writableLength > this.settings.maxBufferedBytes + this.allowance) {
      this.drop('slow-consumer');
      return;
    }
    // The catch-up allowance drains with the first bytes the client takes.
    this.allowance = Math.min(this.allowance, this.res.writableLength);
    this.sendChange(change);
  }

  private sendChange(change: HubChange): number {
    this.cursor[change.environment] = change.revision;
    // A LiveChangeFrame, by hand for the same reason as the snapshot.
    const body = `{"environment":${JSON.stringify(change.environment)},"key":${JSON.stringify(change.key)},"revision":${
      change.revision
    },"operation":"${change.operation}","value":${change.value ?? 'null'}}`;
    return this.send(LIVE_EVENTS.change, body, true);
  }

  private send(event: LiveEventName, json: string, withId: boolean): number {
    const id = withId ? `id: ${encodeLiveCursor(this.cursor)}\n` : '';
    return this.write(`${id}event: ${event}\n${dataLines(json)}\n\n`);
  }

  private write(text: string): number {
    if (this.closed) return 0;
    this.res.write(text);
    return Buffer.byteLength(text);
  }

  /** Tells the client why, then ends the response; it reconnects and resumes from its last id. */
  private drop(reason: LiveEndReason, detail?: string) {
    if (this.closed) return;
    this.logger.info('Dropping SSE client', {
      reason,
      environments: Object.keys(this.cursor).join(','),
      ...(detail ? { detail } : {}),
    });
    if (reason === 'slow-consumer' || reason === 'reset') {
      const frame: LiveOverflowFrame = { reason, maxBufferedBytes: this.settings.maxBufferedBytes };
      this.write(`event: ${LIVE_EVENTS.overflow}\ndata: ${JSON.stringify(frame)}\n\n`);
    } else {
      const frame: LiveEndFrame = { reason, detail };
      this.write(`event: ${LIVE_EVENTS.end}\ndata: ${JSON.stringify(frame)}\n\n`);
    }
    this.close();
    this.res.end();
    // A client that reads nothing never lets `end` finish: cut it off.
    setTimeout(() => this.res.destroy(), 5000).unref?.();
  }
}
