import { CatalystIssue } from '../issues';

/**
 * Issue in an expression: `column` is 1-based within the string the caller gave (for a template,
 * the whole template string), so an editor can point at it.
 *
 * @public
 */
export interface ExpressionIssue extends CatalystIssue {
  column: number;
}

/** @public */
export type Token =
  | { type: 'segment'; name: string; start: number; end: number }
  | { type: 'name'; name: string; start: number; end: number }
  | { type: 'string'; value: string; start: number; end: number }
  | { type: 'number'; value: number; start: number; end: number }
  | {
      type: '==' | '!=' | '&&' | '||' | '!' | '(' | ')' | 'eof';
      start: number;
      end: number;
    };

/** Names that reach the prototype machinery in JavaScript; refused wherever they appear. */
export const FORBIDDEN_NAMES: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

const MAX_EXPRESSION_LENGTH = 1000;

const isNameStart = (c: string) => /[A-Za-z_]/.test(c);
const isNamePart = (c: string) => /[A-Za-z0-9_-]/.test(c);
const isDigit = (c: string) => c >= '0' && c <= '9';

function describe(c: string): string {
  const code = c.charCodeAt(0);
  return code < 0x20 || code === 0x7f ? `\\u${code.toString(16).padStart(4, '0')}` : c;
}

/** Hints for characters people try from other template languages. */
function hint(c: string): string {
  switch (c) {
    case '[':
    case ']':
      return '; indexing is not supported, use .config.a.b';
    case '=':
      return '; assignment is not supported, use == to compare';
    case '`':
      return '; template literals are not supported, use quotes';
    case ';':
      return '; only one expression is allowed';
    case '|':
      return '; use || for "or" (pipes are not supported)';
    case '&':
      return '; use && for "and"';
    default:
      return '';
  }
}

/**
 * Splits an expression into tokens. Hand-written on purpose: the grammar is tiny and every character
 * outside it must be an error with a position, never something a regex quietly skips.
 *
 * @public
 */
export function tokenize(
  source: string,
  path: string,
  columnOffset = 0,
): { ok: true; tokens: Token[] } | { ok: false; errors: ExpressionIssue[] } {
  const err = (pos: number, message: string, code = 'expression-syntax') => ({
    ok: false as const,
    errors: [
      {
        code,
        path,
        column: columnOffset + pos + 1,
        message: `${message} (column ${columnOffset + pos + 1})`,
      },
    ],
  });
  if (source.length > MAX_EXPRESSION_LENGTH) {
    return err(0, `expression is longer than ${MAX_EXPRESSION_LENGTH} characters`, 'expression-too-complex');
  }
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const start = i;
    if (c === '.') {
      if (i + 1 >= source.length || !isNameStart(source[i + 1])) {
        return err(i, 'expected a name after "."');
      }
      i++;
      while (i < source.length && isNamePart(source[i])) i++;
      tokens.push({
        type: 'segment',
        name: source.slice(start + 1, i),
        start,
        end: i,
      });
      continue;
    }
    if (isNameStart(c)) {
      while (i < source.length && isNamePart(source[i])) i++;
      tokens.push({
        type: 'name',
        name: source.slice(start, i),
        start,
        end: i,
      });
      continue;
    }
    if (isDigit(c) || (c === '-' && i + 1 < source.length && isDigit(source[i + 1]))) {
      i++;
      while (i < source.length && isDigit(source[i])) i++;
      if (source[i] === '.' && isDigit(source[i + 1] ?? '')) {
        i++;
        while (i < source.length && isDigit(source[i])) i++;
      }
      const text = source.slice(start, i);
      if (i < source.length && isNamePart(source[i]))
        return err(i, `unexpected "${describe(source[i])}" after number ${text}`);
      const value = Number(text);
      if (!Number.isFinite(value)) return err(start, `number ${text} is out of range`);
      tokens.push({ type: 'number', value, start, end: i });
      continue;
    }
    if (c === "'" || c === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < source.length) {
        const d = source[i];
        if (d === c) {
          closed = true;
          i++;
          break;
        }
        if (d === '\\') {
          const e = source[i + 1];
          const escapes: Record<string, string> = {
            '\\': '\\',
            "'": "'",
            '"': '"',
            n: '\n',
            t: '\t',
          };
          if (e === undefined || !(e in escapes))
            return err(i, 'unknown escape in string (allowed: \\\\ \\\' \\" \\n \\t)');
          value += escapes[e];
          i += 2;
          continue;
        }
        value += d;
        i++;
      }
      if (!closed) return err(start, 'unterminated string');
      tokens.push({ type: 'string', value, start, end: i });
      continue;
    }
    const two = source.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '&&' || two === '||') {
      if (source[i + 2] === '=') return err(i + 2, 'unexpected "=" (use == or !=)');
      tokens.push({ type: two, start, end: i + 2 });
      i += 2;
      continue;
    }
    if (c === '!' || c === '(' || c === ')') {
      tokens.push({ type: c, start, end: i + 1 });
      i++;
      continue;
    }
    return err(i, `unexpected character "${describe(c)}"${hint(c)}`);
  }
  tokens.push({ type: 'eof', start: source.length, end: source.length });
  return { ok: true, tokens };
}
