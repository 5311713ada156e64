import { ExpressionNode } from './parser';

/**
 * What expressions can read. `config` is the values of the Application whose Blueprint declares the
 * expression; `application` and `environment` describe where it is being installed.
 *
 * @public
 */
export interface ExpressionContext {
  config: unknown;
  application: unknown;
  environment: unknown;
}

/** @public */
export type ExpressionValue = unknown;

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (v === null || typeof v !== 'object' || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/**
 * Reads `key` only if it is an own, plain data property of a plain object: no prototype chain, no
 * getters, nothing on arrays, functions or class instances.
 */
function lookup(obj: unknown, key: string): unknown {
  if (!isPlainObject(obj)) return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}

/** Missing values read as null, so `.config.missing == null` is true. */
function normalize(v: unknown): unknown {
  return v === undefined ? null : v;
}

/** @public */
export function isTruthy(v: unknown): boolean {
  return !(v === null || v === undefined || v === false || v === 0 || v === '' || Number.isNaN(v));
}

/** Structural equality for JSON-like values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const x = normalize(a);
  const y = normalize(b);
  if (x === y) return true;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => jsonEqual(v, y[i]));
  if (isPlainObject(x) && isPlainObject(y)) {
    const kx = Object.keys(x).filter(k => x[k] !== undefined);
    const ky = Object.keys(y).filter(k => y[k] !== undefined);
    return (
      kx.length === ky.length && kx.every(k => Object.prototype.hasOwnProperty.call(y, k) && jsonEqual(x[k], y[k]))
    );
  }
  return false;
}

/**
 * Evaluates a parsed expression. Total: every AST evaluates to a JSON value; a missing path is null.
 * `&&`, `||` and `!` yield booleans (truthiness as in JSON: null, false, 0 and "" are false).
 *
 * @public
 */
export function evaluateExpression(node: ExpressionNode, context: ExpressionContext): ExpressionValue {
  switch (node.type) {
    case 'literal':
      return node.value;
    case 'path': {
      let v: unknown = lookup(context as unknown, node.root);
      for (const s of node.segments) v = lookup(v, s);
      return normalize(v);
    }
    case 'not':
      return !isTruthy(evaluateExpression(node.operand, context));
    case 'binary':
      switch (node.op) {
        case '==':
          return jsonEqual(evaluateExpression(node.left, context), evaluateExpression(node.right, context));
        case '!=':
          return !jsonEqual(evaluateExpression(node.left, context), evaluateExpression(node.right, context));
        case '&&':
          return isTruthy(evaluateExpression(node.left, context)) && isTruthy(evaluateExpression(node.right, context));
        case '||':
          return isTruthy(evaluateExpression(node.left, context)) || isTruthy(evaluateExpression(node.right, context));
        default:
          return null;
      }
    default:
      return null;
  }
}
