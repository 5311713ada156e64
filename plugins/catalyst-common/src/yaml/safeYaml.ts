import { Document, parseAllDocuments } from 'yaml';
import { CatalystIssue } from '../issues';

/** @public */
export interface SafeYamlOptions {
  /** Largest accepted input in UTF-8 bytes. Default 1 MiB. */
  maxBytes?: number;
  /** Largest number of alias expansions (yaml's `maxAliasCount`). Default 100; 0 refuses all aliases. */
  maxAliasCount?: number;
  /** Deepest accepted nesting of maps and sequences. Default 64. */
  maxDepth?: number;
  /** JSON path prefix for the reported issues (e.g. `files["blueprint.yaml"]`); default the empty path. */
  path?: string;
}

/** @public */
export type SafeYamlResult = { ok: true; value: unknown } | { ok: false; errors: CatalystIssue[] };

/** @public */
export type SafeYamlAllResult = { ok: true; values: unknown[] } | { ok: false; errors: CatalystIssue[] };

/** @public */
export const DEFAULT_YAML_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_ALIAS_COUNT = 100;
const DEFAULT_MAX_DEPTH = 64;

/** UTF-8 length without TextEncoder/Buffer, so it runs in any JS runtime. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/** Depth of nested objects/arrays, computed iteratively so a hostile input cannot blow the stack. */
function exceedsDepth(value: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (depth > maxDepth) return true;
    const children = Array.isArray(v) ? v : Object.values(v);
    for (const child of children) stack.push([child, depth + 1]);
  }
  return false;
}

function position(linePos: Array<{ line: number; col: number }> | undefined): string {
  return linePos && linePos[0] ? ` (line ${linePos[0].line}, column ${linePos[0].col})` : '';
}

function toValue(
  doc: Document.Parsed,
  options: SafeYamlOptions,
  path: string,
): { ok: true; value: unknown } | { ok: false; errors: CatalystIssue[] } {
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map(e => ({
        code: e.code === 'DUPLICATE_KEY' ? 'yaml-duplicate-key' : 'yaml-syntax',
        path,
        message: `${e.message.split('\n')[0]}`,
      })),
    };
  }
  // Unknown tags (`!!js/function`, custom `!foo`) are refused rather than silently read as strings.
  const tagWarnings = doc.warnings.filter(w => w.code === 'TAG_RESOLVE_FAILED');
  if (tagWarnings.length > 0) {
    return {
      ok: false,
      errors: tagWarnings.map(w => ({
        code: 'yaml-unsupported-tag',
        path,
        message: `${w.message.split('\n')[0]}${position(w.linePos)}`,
      })),
    };
  }
  let value: unknown;
  try {
    value = doc.toJS({
      maxAliasCount: options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT,
    });
  } catch (e) {
    // yaml throws a ReferenceError when alias expansion exceeds maxAliasCount (billion laughs).
    const isAlias = e instanceof ReferenceError;
    return {
      ok: false,
      errors: [
        {
          code: isAlias ? 'yaml-alias-limit' : 'yaml-syntax',
          path,
          message: isAlias
            ? `too many alias expansions (limit ${
                options.maxAliasCount ?? DEFAULT_MAX_ALIAS_COUNT
              }); anchors and aliases may not be used to inflate a document`
            : `cannot read YAML: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
  if (exceedsDepth(value, options.maxDepth ?? DEFAULT_MAX_DEPTH)) {
    return {
      ok: false,
      errors: [
        {
          code: 'yaml-too-deep',
          path,
          message: `document nests deeper than ${options.maxDepth ?? DEFAULT_MAX_DEPTH} levels`,
        },
      ],
    };
  }
  return { ok: true, value };
}

function parseDocuments(
  text: string,
  options: SafeYamlOptions,
): { ok: true; docs: Document.Parsed[] } | { ok: false; errors: CatalystIssue[] } {
  const path = options.path ?? '';
  if (typeof text !== 'string') {
    return {
      ok: false,
      errors: [{ code: 'yaml-syntax', path, message: 'YAML input must be text' }],
    };
  }
  const maxBytes = options.maxBytes ?? DEFAULT_YAML_MAX_BYTES;
  // Cheap length test first: every UTF-16 unit is at least one UTF-8 byte.
  if (text.length > maxBytes || utf8Length(text) > maxBytes) {
    return {
      ok: false,
      errors: [
        {
          code: 'yaml-too-large',
          path,
          message: `document is ${utf8Length(text)} bytes; the limit is ${maxBytes} bytes`,
        },
      ],
    };
  }
  try {
    const docs = parseAllDocuments(text, {
      prettyErrors: true,
      uniqueKeys: true,
      merge: false,
      version: '1.2',
    });
    // parseAllDocuments returns an EmptyStream (an array subclass) for blank input.
    return { ok: true, docs: Array.from(docs) as Document.Parsed[] };
  } catch (e) {
    return {
      ok: false,
      errors: [
        {
          code: 'yaml-syntax',
          path,
          message: `cannot parse YAML: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
}

/**
 * Parses exactly one YAML document with limits on size, alias expansion and depth. Never throws:
 * errors come back as issues coded `yaml-too-large`, `yaml-alias-limit`, `yaml-too-deep`,
 * `yaml-syntax`, `yaml-duplicate-key`, `yaml-unsupported-tag`, `yaml-multiple-documents`, `yaml-empty`.
 *
 * @public
 */
export function parseYaml(text: string, options: SafeYamlOptions = {}): SafeYamlResult {
  const parsed = parseDocuments(text, options);
  if (!parsed.ok) return parsed;
  const path = options.path ?? '';
  if (parsed.docs.length === 0) {
    return {
      ok: false,
      errors: [{ code: 'yaml-empty', path, message: 'document is empty' }],
    };
  }
  if (parsed.docs.length > 1) {
    return {
      ok: false,
      errors: [
        {
          code: 'yaml-multiple-documents',
          path,
          message: `expected one YAML document, found ${parsed.docs.length}`,
        },
      ],
    };
  }
  return toValue(parsed.docs[0], options, path);
}

/**
 * Parses a multi-document YAML stream (`---` separated) with the same limits as {@link parseYaml};
 * the byte limit applies to the whole stream and the alias limit to each document.
 *
 * @public
 */
export function parseYamlAll(text: string, options: SafeYamlOptions = {}): SafeYamlAllResult {
  const parsed = parseDocuments(text, options);
  if (!parsed.ok) return parsed;
  const values: unknown[] = [];
  const errors: CatalystIssue[] = [];
  parsed.docs.forEach((doc, index) => {
    const r = toValue(doc, options, `${options.path ?? ''}[${index}]`);
    if (r.ok) values.push(r.value);
    else errors.push(...r.errors);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, values };
}
