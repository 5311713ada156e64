/** What the settings form shows of one configSchema field. */
export interface SchemaField {
  /** `replicas`, `image.tag`, `postgres.ref` (oneOf branches share their object's path). */
  path: string;
  facts: Record<string, string>;
}

/** One difference between the fields of two configSchema versions. */
export interface SchemaFieldChange {
  path: string;
  change: 'added' | 'removed' | 'changed';
  /** For `changed`: `default: 2 → 3`, `required: no → yes`; for added/removed: the field's facts. */
  details: string[];
}

const FACT_KEYWORDS = [
  'type',
  'format',
  'default',
  'enum',
  'const',
  'minimum',
  'maximum',
  'minLength',
  'maxLength',
  'pattern',
  'x-catalyst-ui-hint',
] as const;

type Schema = Record<string, unknown>;
const isSchema = (v: unknown): v is Schema => typeof v === 'object' && v !== null && !Array.isArray(v);
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

function collect(
  schema: Schema,
  path: string,
  required: boolean,
  out: Map<string, Record<string, string>>,
  depth: number,
) {
  if (depth > 20) return;
  if (path) {
    const facts = out.get(path) ?? {};
    for (const keyword of FACT_KEYWORDS) {
      if (schema[keyword] === undefined) continue;
      const value = show(schema[keyword]);
      // oneOf branches describe the same field differently (`const: embedded | external`)
      const had = facts[keyword];
      facts[keyword] =
        had !== undefined && had !== value && !had.split(' | ').includes(value) ? `${had} | ${value}` : value;
    }
    if (required) facts.required = 'yes';
    out.set(path, facts);
  }
  const props = isSchema(schema.properties) ? schema.properties : {};
  const req = Array.isArray(schema.required) ? (schema.required as unknown[]) : [];
  for (const [key, child] of Object.entries(props)) {
    if (isSchema(child)) collect(child, path ? `${path}.${key}` : key, req.includes(key), out, depth + 1);
  }
  for (const keyword of ['oneOf', 'anyOf', 'allOf'] as const) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) {
      // branch-required fields are required only in that branch; the form shows them that way too
      for (const b of branches)
        if (isSchema(b)) collect({ ...b, required: undefined, properties: b.properties }, path, false, out, depth + 1);
    }
  }
}

/** Every field of a configSchema with its facts, by path. */
export function schemaFields(schema: Record<string, unknown> | undefined): SchemaField[] {
  const out = new Map<string, Record<string, string>>();
  if (schema) collect(schema, '', false, out, 0);
  return [...out.entries()].map(([path, facts]) => ({ path, facts })).sort((a, b) => a.path.localeCompare(b.path));
}

const factsInWords = (facts: Record<string, string>) =>
  Object.entries(facts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`);

/** The configSchema differences between two Blueprint versions, field by field. */
export function diffConfigSchemas(
  before: Record<string, unknown> | undefined,
  after: Record<string, unknown> | undefined,
): SchemaFieldChange[] {
  const a = new Map(schemaFields(before).map(f => [f.path, f.facts]));
  const b = new Map(schemaFields(after).map(f => [f.path, f.facts]));
  const paths = [...new Set([...a.keys(), ...b.keys()])].sort();
  const out: SchemaFieldChange[] = [];
  for (const path of paths) {
    const x = a.get(path);
    const y = b.get(path);
    if (!x && y) out.push({ path, change: 'added', details: factsInWords(y) });
    else if (x && !y) out.push({ path, change: 'removed', details: factsInWords(x) });
    else if (x && y) {
      const keys = [...new Set([...Object.keys(x), ...Object.keys(y)])].sort();
      const details = keys
        .filter(k => x[k] !== y[k])
        .map(k =>
          k === 'required'
            ? `required: ${x[k] ? 'yes' : 'no'} → ${y[k] ? 'yes' : 'no'}`
            : `${k}: ${x[k] ?? '—'} → ${y[k] ?? '—'}`,
        );
      if (details.length) out.push({ path, change: 'changed', details });
    }
  }
  return out;
}
