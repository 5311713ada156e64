/**
 * A small deterministic YAML emitter for JSON-like values (maps, lists, strings, numbers, booleans,
 * null). Written here rather than using the yaml package's stringify because composition emits
 * hundreds of documents per install and needs a fixed, byte-stable form; the yaml package stays our
 * parser. Output: block style, two-space indent, lists indented under their key, multi-line strings
 * as literal blocks, and every string that a YAML 1.1 or 1.2 reader could take for something else
 * (`yes`, `on`, `0755`, `1.10`, `~`, `2024-01-01`, …) double-quoted, because kustomize and Flux read
 * YAML with 1.1 rules while we read with 1.2.
 */

/** @public */
export interface StringifyYamlOptions {
  /** Sort every map's keys (used for values.yaml so two Environments diff cleanly). Default false: insertion order. */
  sortKeys?: boolean;
}

const RESERVED_SCALARS: RegExp[] = [
  /^(?:~|null|Null|NULL)$/,
  /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  // Decimal ints and floats in either spec, with 1.1's underscores and leading zeros.
  /^[-+]?(?:[0-9][0-9_]*(?:\.[0-9_]*)?|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?$/,
  /^[-+]?0[xXoObB][0-9a-fA-F_]+$/,
  // YAML 1.1 base-60 numbers (1:20).
  /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/,
  /^[-+]?\.(?:inf|Inf|INF)$/,
  /^\.(?:nan|NaN|NAN)$/,
  // YAML 1.1 timestamps.
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}/,
  // YAML 1.1 merge and value keys.
  /^(?:<<|=)$/,
];

const RESERVED_START = new Set('~nNyYtTfFoO0123456789+-.<='.split(''));

/** Characters that may not start a plain scalar (indicators) or that we never leave unquoted. */
const BAD_START = new Set([
  '-',
  '?',
  ':',
  ',',
  '[',
  ']',
  '{',
  '}',
  '#',
  '&',
  '*',
  '!',
  '|',
  '>',
  "'",
  '"',
  '%',
  '@',
  '`',
  ' ',
]);

/** Characters YAML does not allow unescaped, or that some readers treat as line breaks. */
function needsEscape(code: number): boolean {
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff)
  );
}

function isPlain(s: string): boolean {
  if (s === '' || BAD_START.has(s[0]) || s.endsWith(' ') || s.endsWith(':')) return false;
  if (s.includes(': ') || s.includes(' #')) return false;
  for (let i = 0; i < s.length; i++) if (needsEscape(s.charCodeAt(i))) return false;
  // Every reserved form starts with one of these; most names and paths skip the regexes.
  return !RESERVED_START.has(s[0]) || !RESERVED_SCALARS.some(r => r.test(s));
}

function doubleQuoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (c === '"') out += '\\"';
    else if (c === '\\') out += '\\\\';
    else if (c === '\n') out += '\\n';
    else if (c === '\t') out += '\\t';
    else if (c === '\r') out += '\\r';
    else if (code >= 0xd800 && code <= 0xdbff && i + 1 < s.length) {
      const next = s.charCodeAt(i + 1);
      // A well-formed surrogate pair is one printable character: keep it as is.
      if (next >= 0xdc00 && next <= 0xdfff) {
        out += c + s[i + 1];
        i++;
      } else out += `\\u${code.toString(16).padStart(4, '0')}`;
    } else if (needsEscape(code)) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return '.nan';
    if (!Number.isFinite(value)) return value > 0 ? '.inf' : '-.inf';
    return String(value);
  }
  if (typeof value === 'bigint') return String(value);
  const s = String(value);
  return isPlain(s) ? s : doubleQuoted(s);
}

/** A multi-line string that can be written as a literal block without an indentation indicator. */
function literalBlock(s: string): boolean {
  if (!s.includes('\n')) return false;
  const first = s.slice(0, s.indexOf('\n'));
  if (first === '' || first.startsWith(' ')) return false;
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i);
    if (code !== 0x0a && code !== 0x09 && needsEscape(code)) return false;
  }
  return true;
}

/** Code-unit order, the same in every locale. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function pad(n: number): string {
  return ' '.repeat(n);
}

function block(s: string, indent: number): string {
  let trailing = 0;
  while (trailing < s.length && s[s.length - 1 - trailing] === '\n') trailing++;
  // Chomping indicator: strip (no final newline), clip (one), keep (several).
  const chomp = ['-', ''][trailing] ?? '+';
  const body = s.slice(0, s.length - trailing);
  const lines = body.split('\n').map(l => (l === '' ? '\n' : `${pad(indent)}${l}\n`));
  return `|${chomp}\n${lines.join('')}${'\n'.repeat(Math.max(0, trailing - 1))}`;
}

function isMap(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function entriesOf(map: Record<string, unknown>, sortKeys: boolean): Array<[string, unknown]> {
  const keys = Object.keys(map);
  if (sortKeys) keys.sort(compareText);
  const out: Array<[string, unknown]> = [];
  for (const k of keys) {
    const v = Object.getOwnPropertyDescriptor(map, k)?.value;
    if (v !== undefined && typeof v !== 'function' && typeof v !== 'symbol') out.push([k, v]);
  }
  return out;
}

/** The text after `key:` or `-`: either ` scalar\n` or `\n` followed by an indented block. */
function after(value: unknown, indent: number, sortKeys: boolean): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? ' []\n' : `\n${sequence(value, indent, sortKeys)}`;
  }
  if (isMap(value)) {
    const entries = entriesOf(value, sortKeys);
    return entries.length === 0 ? ' {}\n' : `\n${mapping(entries, indent, sortKeys)}`;
  }
  if (typeof value === 'string' && literalBlock(value)) return ` ${block(value, indent)}`;
  return ` ${scalar(value)}\n`;
}

function mapping(entries: Array<[string, unknown]>, indent: number, sortKeys: boolean): string {
  let out = '';
  for (const [k, v] of entries) {
    const key = scalar(k);
    // Implicit keys are limited to 1024 characters; longer ones need the explicit `? key` form.
    out +=
      key.length > 1000
        ? `${pad(indent)}? ${key}\n${pad(indent)}:${after(v, indent + 2, sortKeys)}`
        : `${pad(indent)}${key}:${after(v, indent + 2, sortKeys)}`;
  }
  return out;
}

function sequence(items: unknown[], indent: number, sortKeys: boolean): string {
  let out = '';
  for (const raw of items) {
    const item = raw === undefined || typeof raw === 'function' ? null : raw;
    const nested = Array.isArray(item) ? item.length > 0 : isMap(item) && entriesOf(item, sortKeys).length > 0;
    if (nested) {
      // The first line of a nested map or list shares the dash's line.
      const inner = Array.isArray(item)
        ? sequence(item, indent + 2, sortKeys)
        : mapping(entriesOf(item as Record<string, unknown>, sortKeys), indent + 2, sortKeys);
      out += `${pad(indent)}- ${inner.slice(indent + 2)}`;
    } else {
      out += `${pad(indent)}-${after(item, indent + 2, sortKeys)}`;
    }
  }
  return out;
}

/**
 * Deterministic YAML text for a JSON-like value: same input, same bytes. Keys keep insertion order
 * unless `sortKeys` is set; `undefined` map entries are left out.
 *
 * @public
 */
export function stringifyYaml(value: unknown, options: StringifyYamlOptions = {}): string {
  const sortKeys = options.sortKeys === true;
  if (Array.isArray(value)) return value.length === 0 ? '[]\n' : sequence(value, 0, sortKeys);
  if (isMap(value)) {
    const entries = entriesOf(value, sortKeys);
    return entries.length === 0 ? '{}\n' : mapping(entries, 0, sortKeys);
  }
  if (typeof value === 'string' && literalBlock(value)) return block(value, 2);
  return `${scalar(value)}\n`;
}

/**
 * Several documents in one stream, separated by `---` (e.g. an OCIRepository beside its HelmRelease).
 *
 * @public
 */
export function stringifyYamlDocuments(values: unknown[], options: StringifyYamlOptions = {}): string {
  return values.map(v => stringifyYaml(v, options)).join('---\n');
}
