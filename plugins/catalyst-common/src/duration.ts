import { CatalystIssue } from './issues';

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** `72h`, `2h30m`, `90d`, `500ms`: one or more number+unit pairs, largest unit first is not required. */
const DURATION = /^(?:\d+(?:ms|s|m|h|d))+$/;

/**
 * Parses a policy duration such as `72h` or `2h30m` into milliseconds.
 * Returns an issue (with the given path) instead of throwing, so callers can collect every problem.
 *
 * @public
 */
export function parseDuration(
  text: string,
  path: string,
): { ok: true; ms: number } | { ok: false; issue: CatalystIssue } {
  if (typeof text !== 'string' || !DURATION.test(text)) {
    return {
      ok: false,
      issue: {
        code: 'invalid-duration',
        path,
        message: `"${String(text)}" is not a duration; use forms like 30m, 72h, 2h30m or 7d`,
      },
    };
  }
  let ms = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) {
    ms += Number(n) * UNIT_MS[unit];
  }
  if (!Number.isSafeInteger(ms) || ms <= 0) {
    return {
      ok: false,
      issue: { code: 'invalid-duration', path, message: `duration "${text}" must be greater than zero` },
    };
  }
  return { ok: true, ms };
}

/**
 * Formats milliseconds for people: `2d 3h`, `45m`, `30s`. Used in policy reasons ("soak: 5h 12m remaining").
 *
 * @public
 */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.max(0, Math.ceil(ms))}ms`;
  const parts: string[] = [];
  let rest = Math.ceil(ms / 1000);
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) parts.push(`${n}${unit}`);
    rest -= n * size;
    if (parts.length === 2) break;
  }
  return parts.join(' ');
}
