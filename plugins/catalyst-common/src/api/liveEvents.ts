import { z } from 'zod';

/**
 * The live stream's wire format (`GET /api/catalyst/events`, DESIGN §6), written by the read side's
 * SSE sessions and read by the browser's live client. One definition, so the two cannot drift.
 *
 * - `snapshot` {@link LiveSnapshotFrame} per Environment the client has no usable revision for;
 * - `change` {@link LiveChangeFrame} for every key changed after the client's revision;
 * - `ready` {@link LiveReadyFrame} once every Environment is caught up;
 * - `overflow` {@link LiveOverflowFrame} right before the server drops a client that fell behind
 *   or whose Environment's bucket was reset (it reconnects with `Last-Event-ID` and resumes);
 * - `end` {@link LiveEndFrame} right before the server ends a stream whose credentials expired or
 *   whose access changed (the client reconnects and is authorized afresh);
 * - `: heartbeat` comments in between.
 * Every snapshot and change carries `id:` = {@link encodeLiveCursor} of the client's revision per
 * Environment, so one `Last-Event-ID` resumes every Environment of a tab exactly where it stopped.
 */

/** The SSE `event:` names. @public */
export const LIVE_EVENTS = {
  snapshot: 'snapshot',
  change: 'change',
  ready: 'ready',
  overflow: 'overflow',
  end: 'end',
} as const;

/** @public */
export type LiveEventName = (typeof LIVE_EVENTS)[keyof typeof LIVE_EVENTS];

/** @public */
export const liveSnapshotFrameSchema = z.object({
  environment: z.string(),
  revision: z.number().int().nonnegative(),
  /** The client's revision is newer than the bucket's (the read model was rebuilt). */
  reset: z.boolean().optional(),
  entries: z.record(z.string(), z.unknown()),
});
/** @public */
export type LiveSnapshotFrame = z.infer<typeof liveSnapshotFrameSchema>;

/** @public */
export const liveChangeFrameSchema = z.object({
  environment: z.string(),
  key: z.string(),
  revision: z.number().int().positive(),
  operation: z.enum(['put', 'delete']),
  value: z.unknown(),
});
/** @public */
export type LiveChangeFrame = z.infer<typeof liveChangeFrameSchema>;

/** @public */
export const liveReadyFrameSchema = z.object({
  environments: z.array(z.string()),
  /** Environments resumed from the client's `Last-Event-ID` rather than sent as a snapshot. */
  resumed: z.array(z.string()),
});
/** @public */
export type LiveReadyFrame = z.infer<typeof liveReadyFrameSchema>;

/** Why the server ended a stream. @public */
export const LIVE_END_REASONS = ['slow-consumer', 'reset', 'credentials-expired', 'access-changed'] as const;
/** @public */
export type LiveEndReason = (typeof LIVE_END_REASONS)[number];

/** @public */
export const liveOverflowFrameSchema = z.object({
  reason: z.enum(['slow-consumer', 'reset']),
  maxBufferedBytes: z.number().optional(),
});
/** @public */
export type LiveOverflowFrame = z.infer<typeof liveOverflowFrameSchema>;

/** @public */
export const liveEndFrameSchema = z.object({
  reason: z.enum(['credentials-expired', 'access-changed']),
  detail: z.string().optional(),
});
/** @public */
export type LiveEndFrame = z.infer<typeof liveEndFrameSchema>;

/** Per-Environment KV revisions a client has seen: the SSE `id:` of every snapshot and change. @public */
export type LiveCursor = Record<string, number>;

/** Longest `Last-Event-ID` the server reads (a tab streams at most a few hundred Environments). @public */
export const MAX_LIVE_CURSOR_LENGTH = 8192;

/**
 * `id:` = base64url (no padding) of `{"<environment>": revision, …}`. Environment names are ASCII,
 * so `btoa` over the JSON is exact in browsers and Node alike.
 *
 * @public
 */
export function encodeLiveCursor(cursor: LiveCursor): string {
  return btoa(JSON.stringify(cursor)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * The cursor in a `Last-Event-ID`; undefined for anything that is not one (the client then starts
 * afresh with snapshots rather than being refused).
 *
 * @public
 */
export function decodeLiveCursor(id: string | undefined): LiveCursor | undefined {
  if (!id || id.length > MAX_LIVE_CURSOR_LENGTH || !/^[A-Za-z0-9_-]+$/.test(id)) return undefined;
  try {
    const base64 = id.replace(/-/g, '+').replace(/_/g, '/');
    const parsed: unknown = JSON.parse(atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4)));
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    const out: LiveCursor = {};
    for (const [env, revision] of Object.entries(parsed)) {
      if (typeof revision !== 'number' || !Number.isSafeInteger(revision) || revision < 0) return undefined;
      out[env] = revision;
    }
    return out;
  } catch {
    return undefined;
  }
}
