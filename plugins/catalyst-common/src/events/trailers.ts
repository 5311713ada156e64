/**
 * Git trailers Catalyst writes on the commits it makes. The write side puts them there; the Git
 * publisher turns them into commit events, history shows them, and idempotency looks requests up by
 * them — so the names and the parser are part of the event contract.
 *
 * @public
 */
export const CATALYST_TRAILERS = {
  /** `install`, `configure`, `upgrade`, `uninstall`, `rollback`, `promote`, `merge` … */
  action: 'Catalyst-Action',
  /** The Backstage user the change was made for (`user:default/layla`). */
  actor: 'Catalyst-Actor',
  /** The idempotency key of the request that made the commit. */
  request: 'Catalyst-Request',
  /** The change request a merge commit merged. */
  changeRequest: 'Catalyst-Change-Request',
  /** Why an org-admin bypassed soak and change windows (break-glass). */
  breakGlass: 'Catalyst-Break-Glass',
  /** Who clicked Merge on a change request (absent: it merged on its own when every rule passed). */
  mergedBy: 'Catalyst-Merged-By',
} as const;

/**
 * The trailers of a commit message: `Key: value` lines of its last paragraph.
 *
 * @public
 */
export function parseTrailers(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*): (.+)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

/**
 * A commit message: subject, optional body, then the trailers that have a value (line breaks in a
 * value become spaces, so a value cannot forge another trailer).
 *
 * @public
 */
export function withTrailers(
  subject: string,
  body: string | undefined,
  trailers: Record<string, string | undefined>,
): string {
  const lines = Object.entries(trailers)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${String(v).replace(/[\r\n]+/g, ' ')}`);
  return [subject, body, lines.join('\n')].filter(Boolean).join('\n\n');
}
