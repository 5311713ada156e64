/**
 * RFC 3339 instants as the read side and the policy evaluator exchange them. `Date.parse` alone accepts
 * too much (`2026-01-01`, locale strings), so the shape is checked first: an offset is mandatory.
 */
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/i;

/**
 * Milliseconds since the epoch for an RFC 3339 time, or `null` when the text is not one.
 *
 * @public
 */
export function parseInstant(text: unknown): number | null {
  if (typeof text !== 'string' || !RFC3339.test(text)) return null;
  const ms = Date.parse(text);
  return Number.isFinite(ms) ? ms : null;
}

/**
 * Canonical form (`2026-03-31T12:00:00.000Z`) of an epoch millisecond value.
 *
 * @public
 */
export function formatInstant(ms: number): string {
  return new Date(ms).toISOString();
}
