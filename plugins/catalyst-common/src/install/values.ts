import { setOwn } from '../expressions/templates';

/** @public */
export type JsonObject = Record<string, unknown>;

/** @public */
export function isJsonObject(v: unknown): v is JsonObject {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function own(obj: JsonObject, key: string): unknown {
  return Object.getOwnPropertyDescriptor(obj, key)?.value;
}

/**
 * Deep merge for configuration layers: maps merge key by key, anything else (scalars, arrays, null)
 * from `override` replaces `base`. Inputs are not modified; keys are always own data properties.
 *
 * @public
 */
export function deepMerge(base: JsonObject, override: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(base)) setOwn(out, key, own(base, key));
  for (const key of Object.keys(override)) {
    const b = own(out, key);
    const o = own(override, key);
    if (o === undefined) continue;
    setOwn(out, key, isJsonObject(b) && isJsonObject(o) ? deepMerge(b, o) : o);
  }
  return out;
}

/** Canonical JSON: keys sorted at every level, so equal values always give equal text. @public */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isJsonObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter(k => own(value, k) !== undefined)
      .map(k => `${JSON.stringify(k)}:${canonicalJson(own(value, k))}`)
      .join(',')}}`;
  }
  return value === undefined ? 'null' : JSON.stringify(value);
}

/**
 * Merges layers that must agree (values two dependents pass to one shared dependency): maps merge,
 * equal leaves are fine, different leaves are conflicts reported by their key path.
 */
export function mergeAgreeing(layers: JsonObject[]): {
  value: JsonObject;
  conflicts: string[][];
} {
  const conflicts: string[][] = [];
  const merge = (a: JsonObject, b: JsonObject, path: string[]): JsonObject => {
    const out: JsonObject = {};
    for (const key of Object.keys(a)) setOwn(out, key, own(a, key));
    for (const key of Object.keys(b)) {
      const x = own(out, key);
      const y = own(b, key);
      if (x === undefined) setOwn(out, key, y);
      else if (isJsonObject(x) && isJsonObject(y)) {
        setOwn(out, key, merge(x, y, [...path, key]));
      } else if (Array.isArray(x) && Array.isArray(y)) {
        const seen = new Set(x.map(canonicalJson));
        setOwn(out, key, [...x, ...y.filter(v => !seen.has(canonicalJson(v)))]);
      } else if (canonicalJson(x) !== canonicalJson(y)) {
        conflicts.push([...path, key]);
      }
    }
    return out;
  };
  let value: JsonObject = {};
  for (const layer of layers) value = merge(value, layer, []);
  return { value, conflicts };
}

/** Reads a nested own property (`['postgres', 'ref']`). */
export function readPath(value: unknown, path: readonly string[]): unknown {
  let v = value;
  for (const key of path) {
    if (!isJsonObject(v)) return undefined;
    v = own(v, key);
  }
  return v;
}

/** Depth of nested maps/arrays (iterative, so hostile input cannot overflow the stack). */
export function jsonDepth(value: unknown): number {
  let max = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    max = Math.max(max, d + 1);
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, d + 1]);
  }
  return max;
}

/**
 * values.yaml → Flux post-build substitution variables (docs/contracts.md §3): nested keys joined with
 * `_`, characters outside `[A-Za-z0-9_]` replaced by `_`, scalars as strings; arrays and null are not
 * substituted. A name that would start with a digit gets a leading `_` (Flux variable names cannot).
 * When two paths flatten to the same name, the first in sorted key order wins, so the result is stable.
 *
 * @public
 */
export function flattenValues(values: JsonObject): Record<string, string> {
  const out: Record<string, string> = {};
  const visit = (v: unknown, prefix: string) => {
    if (isJsonObject(v)) {
      for (const key of Object.keys(v).sort()) {
        const part = key.replace(/[^A-Za-z0-9_]/g, '_');
        visit(own(v, key), prefix ? `${prefix}_${part}` : part);
      }
      return;
    }
    if (v === null || v === undefined || Array.isArray(v) || prefix === '') return;
    const name = /^[0-9]/.test(prefix) ? `_${prefix}` : prefix;
    if (Object.prototype.hasOwnProperty.call(out, name)) return;
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') setOwn(out, name, String(v));
  };
  visit(values, '');
  return out;
}
