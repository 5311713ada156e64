/**
 * Orders Kubernetes resourceVersions. The API calls them opaque, but etcd (and the devcluster)
 * hand out one increasing integer per cluster, which is what makes "keep the newest" and
 * "a deleted namespace outdates everything that was in it" possible. Non-numeric versions fall
 * back to string order so the fold stays deterministic.
 */
export function compareResourceVersions(a: string, b: string): number {
  const numeric = /^\d+$/;
  if (numeric.test(a) && numeric.test(b)) {
    const x = a.replace(/^0+(?=\d)/, '');
    const y = b.replace(/^0+(?=\d)/, '');
    if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  }
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Structural equality of JSON values (key order ignored). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x).filter(k => x[k] !== undefined);
  if (keys.length !== Object.keys(y).filter(k => y[k] !== undefined).length) return false;
  return keys.every(k => Object.prototype.hasOwnProperty.call(y, k) && deepEqual(x[k], y[k]));
}

/** A copy of `record` with `key` set; the same object when the value is already there. */
export function withEntry<T>(record: Record<string, T>, key: string, value: T): Record<string, T> {
  if (record[key] === value) return record;
  return { ...record, [key]: value };
}

/** A copy of `record` without `key`; the same object when the key is absent. */
export function withoutEntry<T>(record: Record<string, T>, key: string): Record<string, T> {
  if (!Object.prototype.hasOwnProperty.call(record, key)) return record;
  const rest: Record<string, T> = {};
  for (const k of Object.keys(record)) if (k !== key) rest[k] = record[k];
  return rest;
}
