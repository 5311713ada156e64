import { KubeObject } from '../types';
import { getPath, isRecord } from '../util/json';

export type LabelRequirement =
  | { key: string; op: 'in' | 'notin'; values: string[] }
  | { key: string; op: 'exists' | 'notexists' };

export type SelectorResult<T> = { ok: true; value: T } | { ok: false; message: string };

const KEY_RE = /^([a-z0-9A-Z]([-a-z0-9A-Z.]*[a-z0-9A-Z])?\/)?[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$/;
const VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Splits on commas outside parentheses (`a in (x,y),b` has two requirements). */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  parts.push(current);
  return parts.map(p => p.trim()).filter(p => p.length > 0);
}

function parseRequirement(text: string): SelectorResult<LabelRequirement> {
  const fail = (why: string): SelectorResult<LabelRequirement> => ({
    ok: false,
    message: `unable to parse requirement: ${why}: "${text}"`,
  });
  const setMatch = /^(\S+)\s+(in|notin)\s*\((.*)\)$/.exec(text);
  if (setMatch) {
    const [, key, op, list] = setMatch;
    const values = list
      .split(',')
      .map(v => v.trim())
      .filter(v => v.length > 0);
    if (!KEY_RE.test(key)) return fail('invalid label key');
    if (!values.every(v => VALUE_RE.test(v))) return fail('invalid label value');
    return { ok: true, value: { key, op: op as 'in' | 'notin', values } };
  }
  const eqMatch = /^([^=!\s]+)\s*(==|=|!=)\s*(\S*)$/.exec(text);
  if (eqMatch) {
    const [, key, op, value] = eqMatch;
    if (!KEY_RE.test(key)) return fail('invalid label key');
    if (!VALUE_RE.test(value)) return fail('invalid label value');
    return {
      ok: true,
      value: { key, op: op === '!=' ? 'notin' : 'in', values: [value] },
    };
  }
  const notExists = /^!\s*(\S+)$/.exec(text);
  if (notExists) {
    if (!KEY_RE.test(notExists[1])) return fail('invalid label key');
    return { ok: true, value: { key: notExists[1], op: 'notexists' } };
  }
  if (KEY_RE.test(text)) {
    return { ok: true, value: { key: text, op: 'exists' } };
  }
  return fail('found unexpected token');
}

/** Parses a label selector in the API's string syntax (`a=b,c!=d,e in (x,y),f,!g`). */
export function parseLabelSelector(text: string | undefined): SelectorResult<LabelRequirement[]> {
  const requirements: LabelRequirement[] = [];
  for (const part of splitTopLevel(text ?? '')) {
    const parsed = parseRequirement(part);
    if (!parsed.ok) return parsed;
    requirements.push(parsed.value);
  }
  return { ok: true, value: requirements };
}

/** Converts a `spec.selector` (matchLabels + matchExpressions) to requirements. */
export function requirementsFromLabelSelector(selector: unknown): LabelRequirement[] {
  const requirements: LabelRequirement[] = [];
  if (!isRecord(selector)) return requirements;
  if (isRecord(selector.matchLabels)) {
    for (const [key, value] of Object.entries(selector.matchLabels)) {
      requirements.push({ key, op: 'in', values: [String(value)] });
    }
  }
  if (Array.isArray(selector.matchExpressions)) {
    for (const expr of selector.matchExpressions) {
      if (!isRecord(expr) || typeof expr.key !== 'string') continue;
      const values = Array.isArray(expr.values) ? expr.values.map(String) : [];
      switch (expr.operator) {
        case 'In':
          requirements.push({ key: expr.key, op: 'in', values });
          break;
        case 'NotIn':
          requirements.push({ key: expr.key, op: 'notin', values });
          break;
        case 'Exists':
          requirements.push({ key: expr.key, op: 'exists' });
          break;
        case 'DoesNotExist':
          requirements.push({ key: expr.key, op: 'notexists' });
          break;
        default:
          break;
      }
    }
  }
  return requirements;
}

export function matchesLabels(
  labels: Record<string, string> | undefined,
  requirements: readonly LabelRequirement[],
): boolean {
  const actual = labels ?? {};
  return requirements.every(req => {
    const has = Object.prototype.hasOwnProperty.call(actual, req.key);
    switch (req.op) {
      case 'exists':
        return has;
      case 'notexists':
        return !has;
      case 'in':
        return has && req.values.includes(actual[req.key]);
      case 'notin':
        return !has || !req.values.includes(actual[req.key]);
      default:
        return false;
    }
  });
}

export interface FieldRequirement {
  path: string[];
  field: string;
  negate: boolean;
  value: string;
}

// The API server supports metadata.name/namespace for every kind and a few
// extra fields per kind; anything else is rejected the same way it is there.
const EXTRA_FIELDS: Record<string, string[]> = {
  Pod: ['status.phase', 'spec.nodeName', 'spec.restartPolicy', 'spec.serviceAccountName', 'status.podIP'],
  Event: [
    'involvedObject.kind',
    'involvedObject.name',
    'involvedObject.namespace',
    'involvedObject.uid',
    'reason',
    'type',
  ],
};

export function parseFieldSelector(text: string | undefined, kind: string): SelectorResult<FieldRequirement[]> {
  const requirements: FieldRequirement[] = [];
  const allowed = ['metadata.name', 'metadata.namespace', ...(EXTRA_FIELDS[kind] ?? [])];
  for (const part of splitTopLevel(text ?? '')) {
    const match = /^([^=!]+)(==|=|!=)(.*)$/.exec(part);
    if (!match) {
      return { ok: false, message: `invalid selector: '${part}'; can't understand '${part}'` };
    }
    const field = match[1].trim();
    if (!allowed.includes(field)) {
      return { ok: false, message: `field label not supported: ${field}` };
    }
    requirements.push({
      field,
      path: field.split('.'),
      negate: match[2] === '!=',
      value: match[3].trim(),
    });
  }
  return { ok: true, value: requirements };
}

export function matchesFields(object: KubeObject, requirements: readonly FieldRequirement[]): boolean {
  return requirements.every(req => {
    const raw = getPath(object, req.path);
    const actual = raw === undefined || raw === null ? '' : String(raw);
    return req.negate ? actual !== req.value : actual === req.value;
  });
}
