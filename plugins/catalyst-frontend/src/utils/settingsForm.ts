import type { CatalystIssue } from '@internal/plugin-catalyst-common';

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);

const UI_HINT = 'x-catalyst-ui-hint';
const UI_FILTER = 'x-catalyst-ui-filter';

/**
 * Turns `application-ref` fields (BPA §5.3) into choices of the Environment's Applications of the
 * wanted Blueprint, so the form offers a list instead of a free text box. Returns a new schema.
 */
export function withApplicationRefChoices(
  schema: Schema,
  applications: ReadonlyArray<{ name: string; blueprint: string }>,
  depth = 0,
): Schema {
  if (depth > 20) return schema;
  let out: Schema = schema;
  const copy = () => {
    if (out === schema) out = { ...schema };
    return out;
  };
  if (schema[UI_HINT] === 'application-ref' && schema.type === 'string' && !schema.enum) {
    const filter = isSchema(schema[UI_FILTER]) ? schema[UI_FILTER] : {};
    const names = applications
      .filter(a => typeof filter.blueprint !== 'string' || a.blueprint === filter.blueprint)
      .map(a => a.name)
      .sort();
    if (names.length > 0) copy().enum = names;
  }
  if (isSchema(schema.properties)) {
    const props = schema.properties;
    const next: Schema = {};
    let changed = false;
    for (const [key, child] of Object.entries(props)) {
      next[key] = isSchema(child) ? withApplicationRefChoices(child, applications, depth + 1) : child;
      changed ||= next[key] !== child;
    }
    if (changed) copy().properties = next;
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (!Array.isArray(branches)) continue;
    const next = branches.map(b => (isSchema(b) ? withApplicationRefChoices(b, applications, depth + 1) : b));
    if (next.some((b, i) => b !== branches[i])) copy()[keyword] = next;
  }
  return out;
}

/** rjsf's `extraErrors` shape: nested objects with `__errors` lists. */
export interface FieldErrors {
  __errors?: string[];
  [field: string]: FieldErrors | string[] | undefined;
}

/**
 * The server's issues (`values.replicas: must be <= 10`) as field errors of the settings form.
 * Issues outside `values` are returned apart, for a message above the form.
 */
export function issuesToFieldErrors(issues: readonly CatalystIssue[]): { fields: FieldErrors; other: string[] } {
  const fields: FieldErrors = {};
  const other: string[] = [];
  for (const issue of issues) {
    const match = /^values(?:\.|\[|$)(.*)$/.exec(issue.path);
    if (!match) {
      other.push(issue.path ? `${issue.path}: ${issue.message}` : issue.message);
      continue;
    }
    const rest = issue.path.slice('values'.length);
    const segments = [...rest.matchAll(/\.([A-Za-z_$][\w$-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]/g)].map(
      m => m[1] ?? m[2] ?? JSON.parse(`"${m[3]}"`),
    );
    let node = fields;
    for (const s of segments) {
      const child = (node[s] as FieldErrors | undefined) ?? {};
      node[s] = child;
      node = child;
    }
    node.__errors = [...(node.__errors ?? []), issue.message];
  }
  return { fields, other };
}
