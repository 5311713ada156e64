import type { CatalystIssue } from '../issues';
import { jsonPath } from '../issues';

/**
 * Keys a JSON document may carry but a JavaScript object cannot hold as data: assigning
 * `__proto__` sets the prototype instead, so a value under that key would silently vanish on the
 * way to the repo (and a copy made by assignment could gain inherited properties). Refused at every
 * edge, with the path, rather than dropped.
 */
const FORBIDDEN = new Set(['__proto__']);

/**
 * Own keys of `value` (parsed JSON or YAML, at any depth) that cannot be kept, with their paths
 * below `base`; at most `limit` of them.
 *
 * @public
 */
export function findForbiddenKeys(value: unknown, base = '', limit = 5): CatalystIssue[] {
  const out: CatalystIssue[] = [];
  const walk = (v: unknown, segments: Array<string | number>) => {
    if (out.length >= limit || v === null || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...segments, i]));
      return;
    }
    for (const key of Object.keys(v)) {
      const path = [...segments, key];
      if (FORBIDDEN.has(key)) {
        out.push({ code: 'forbidden-key', path: jsonPath(...path), message: `the key "${key}" is not allowed` });
        if (out.length >= limit) return;
      } else {
        walk((v as Record<string, unknown>)[key], path);
      }
    }
  };
  walk(value, base ? [base] : []);
  return out;
}
