import { JsonObject } from '../types';

export function isRecord(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep copy of JSON data (manifests never hold functions, dates or cycles). */
export function cloneJson<T>(value: T): T {
  return value === undefined ? value : structuredClone(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => deepEqual(item, b[i]));
  }
  if (isRecord(a) && isRecord(b)) {
    const aKeys = Object.keys(a).filter(k => a[k] !== undefined);
    const bKeys = Object.keys(b).filter(k => b[k] !== undefined);
    return aKeys.length === bKeys.length && aKeys.every(k => deepEqual(a[k], b[k]));
  }
  return false;
}

/** Reads a nested field; `undefined` when any step is missing. */
export function getPath(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isRecord(current)) return undefined;
    current = current[key];
  }
  return current;
}

export function getRecord(value: unknown, path: readonly string[]): JsonObject | undefined {
  const found = getPath(value, path);
  return isRecord(found) ? found : undefined;
}

export function getString(value: unknown, path: readonly string[]): string | undefined {
  const found = getPath(value, path);
  return typeof found === 'string' ? found : undefined;
}

export function getNumber(value: unknown, path: readonly string[]): number | undefined {
  const found = getPath(value, path);
  return typeof found === 'number' ? found : undefined;
}

export function getArray(value: unknown, path: readonly string[]): unknown[] {
  const found = getPath(value, path);
  return Array.isArray(found) ? found : [];
}

/** Returns the record at `path`, creating empty records along the way. */
export function ensureRecord(root: JsonObject, path: readonly string[]): JsonObject {
  let current = root;
  for (const key of path) {
    const next = current[key];
    if (isRecord(next)) {
      current = next;
    } else {
      const created: JsonObject = {};
      current[key] = created;
      current = created;
    }
  }
  return current;
}

/** Canonical JSON (sorted keys) so hashes do not depend on key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) {
    return `[${value.map(canonicalJson).join(',')}]`;
  }
  if (isRecord(value)) {
    const keys = Object.keys(value)
      .filter(k => value[k] !== undefined)
      .sort();
    return `{${keys.map(k => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function stringMap(value: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (isRecord(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (typeof v === 'string') result[k] = v;
    }
  }
  return result;
}
