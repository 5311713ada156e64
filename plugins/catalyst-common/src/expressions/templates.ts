import { CatalystIssue, jsonPath } from '../issues';
import { ExpressionContext, evaluateExpression, isTruthy } from './evaluate';
import { ExpressionNode, parseExpression } from './parser';
import { ExpressionIssue } from './tokenizer';

/** @public */
export interface ParsedTemplate {
  /** Literal text and expressions in order. */
  parts: Array<string | { ast: ExpressionNode; source: string }>;
  /** The string is exactly one `{{ expr }}`: it renders to the expression's typed value. */
  whole: boolean;
}

/** @public */
export type ParsedTemplateResult = { ok: true; template: ParsedTemplate } | { ok: false; errors: ExpressionIssue[] };

/** Finds the `}}` that closes a template, skipping quoted strings so `'}}'` inside them is text. */
function findClose(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '}' && text[i + 1] === '}') {
      return i;
    }
  }
  return -1;
}

/**
 * Splits a string into literal text and `{{ expr }}` parts and parses every expression.
 *
 * @public
 */
export function parseTemplate(text: string, path = ''): ParsedTemplateResult {
  const parts: ParsedTemplate['parts'] = [];
  const errors: ExpressionIssue[] = [];
  let i = 0;
  while (i < text.length) {
    const open = text.indexOf('{{', i);
    if (open < 0) {
      parts.push(text.slice(i));
      break;
    }
    if (open > i) parts.push(text.slice(i, open));
    const close = findClose(text, open + 2);
    if (close < 0) {
      errors.push({
        code: 'expression-syntax',
        path,
        column: open + 1,
        message: `"{{" is never closed (column ${open + 1})`,
      });
      break;
    }
    const source = text.slice(open + 2, close);
    const parsed = parseExpression(source, { path, columnOffset: open + 2 });
    if (parsed.ok) parts.push({ ast: parsed.ast, source: source.trim() });
    else errors.push(...parsed.errors);
    i = close + 2;
  }
  if (errors.length > 0) return { ok: false, errors };
  const whole = parts.length === 1 && typeof parts[0] !== 'string';
  return { ok: true, template: { parts, whole } };
}

const templateCache = new Map<string, ParsedTemplateResult>();

/**
 * Parsed templates by text: Blueprints repeat the same few templates on every install. Bounded,
 * because the text comes from Blueprints; issues carry no path here (callers add theirs).
 */
function cachedTemplate(text: string): ParsedTemplateResult {
  const hit = templateCache.get(text);
  if (hit) return hit;
  const parsed = parseTemplate(text, '');
  if (templateCache.size >= 1000) templateCache.clear();
  templateCache.set(text, parsed);
  return parsed;
}

/** Text form of a value inside an interpolated string. */
function interpolate(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return JSON.stringify(v);
}

/**
 * Renders a parsed template. A whole-string template keeps the value's type (`"{{ .config.replicas }}"`
 * → 3); otherwise expressions are interpolated as text. The result is never parsed again, so values
 * that themselves contain `{{ }}` stay literal text (no template injection).
 *
 * @public
 */
export function renderTemplate(template: ParsedTemplate, context: ExpressionContext): unknown {
  if (template.whole) {
    const only = template.parts[0];
    return typeof only === 'string' ? only : evaluateExpression(only.ast, context);
  }
  return template.parts
    .map(p => (typeof p === 'string' ? p : interpolate(evaluateExpression(p.ast, context))))
    .join('');
}

/** Own enumerable keys of a plain object, as written. */
function entries(v: object): Array<[string, unknown]> {
  return Object.keys(v).map(k => [k, Object.getOwnPropertyDescriptor(v, k)?.value]);
}

/** Defines a key as an own data property, so `__proto__` from YAML stays data. @public */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  // Only __proto__ has a setter on Object.prototype; plain assignment is safe (and fast) otherwise.
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}

function walk(
  value: unknown,
  segments: Array<string | number>,
  onString: (s: string, segments: Array<string | number>) => unknown,
): unknown {
  if (typeof value === 'string') return onString(value, segments);
  if (Array.isArray(value)) return value.map((v, i) => walk(v, [...segments, i], onString));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries(value)) setOwn(out, k, walk(v, [...segments, k], onString));
    return out;
  }
  return value;
}

/**
 * Every template inside a values tree, parsed; issues carry the JSON path of the offending string
 * (`spec.depends[0].values.databases[0]`).
 *
 * @public
 */
export function validateTemplateValues(value: unknown, basePath: Array<string | number>): ExpressionIssue[] {
  const errors: ExpressionIssue[] = [];
  walk(value, basePath, (s, segments) => {
    if (s.includes('{{')) {
      const r = parseTemplate(s, jsonPath(...segments));
      if (!r.ok) errors.push(...r.errors);
    }
    return s;
  });
  return errors;
}

/**
 * Renders a values tree: strings with templates are evaluated, everything else is copied.
 *
 * @public
 */
export function renderTemplateValues(
  value: unknown,
  context: ExpressionContext,
  basePath: Array<string | number> = [],
): { ok: true; value: unknown } | { ok: false; errors: CatalystIssue[] } {
  const errors: CatalystIssue[] = [];
  const rendered = walk(value, basePath, (s, segments) => {
    if (!s.includes('{{')) return s;
    const r = cachedTemplate(s);
    if (!r.ok) {
      const path = jsonPath(...segments);
      errors.push(...r.errors.map(e => ({ ...e, path })));
      return s;
    }
    return renderTemplate(r.template, context);
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, value: rendered };
}

/**
 * Checks a `when` predicate at registration: a boolean, or a string that is exactly one `{{ expr }}`.
 *
 * @public
 */
export function validateWhen(when: unknown, path: string): ExpressionIssue[] {
  if (when === undefined || typeof when === 'boolean') return [];
  if (typeof when !== 'string') {
    return [
      {
        code: 'invalid-when',
        path,
        column: 1,
        message: 'when must be a boolean or "{{ expression }}"',
      },
    ];
  }
  const r = parseTemplate(when, path);
  if (!r.ok) return r.errors;
  if (!r.template.whole) {
    return [
      {
        code: 'invalid-when',
        path,
        column: 1,
        message: 'when must be exactly one "{{ expression }}" with nothing around it',
      },
    ];
  }
  return [];
}

/**
 * Evaluates a `when` predicate; absent means true.
 *
 * @public
 */
export function evaluateWhen(
  when: string | boolean | undefined,
  context: ExpressionContext,
  path: string,
): { ok: true; value: boolean } | { ok: false; errors: CatalystIssue[] } {
  if (when === undefined) return { ok: true, value: true };
  if (typeof when === 'boolean') return { ok: true, value: when };
  const r = typeof when === 'string' ? cachedTemplate(when) : undefined;
  if (!r || !r.ok || !r.template.whole) return { ok: false, errors: validateWhen(when, path) };
  return { ok: true, value: isTruthy(renderTemplate(r.template, context)) };
}
