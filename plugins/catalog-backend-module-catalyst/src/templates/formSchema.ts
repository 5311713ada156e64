import type { JsonObject, JsonValue } from '@backstage/types';
import { CATALYST_FIELDS } from '@internal/plugin-catalyst-common';

const HINT = 'x-catalyst-ui-hint';
const FILTER = 'x-catalyst-ui-filter';

const isObject = (v: unknown): v is JsonObject => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The scaffolder's review step masks these (it would otherwise show the secret in clear). */
const MASK = '••••••••';

/**
 * A Blueprint `configSchema` as a scaffolder form (reference §3.5.3): the same JSON Schema — so the
 * form validates required fields, formats, min/max and oneOf branches exactly as the backend will —
 * with our `x-catalyst-ui-*` hints turned into the field extensions that render them:
 * `password` → CatalystPassword (masked, and masked on the review step), `domain-picker` →
 * CatalystDomainPicker, `application-ref` → CatalystApplicationRefPicker with the filter as
 * `ui:options`. The hints themselves are removed, so the form's validator sees plain JSON Schema.
 *
 * oneOf branches are made to render as a choice: a branch without `type` takes its parent's; a
 * property fixed by `const` (`mode: embedded`) gets it as default and is hidden, because choosing the
 * branch (by its title) already sets it.
 */
export function toFormSchema(configSchema: JsonObject): JsonObject {
  return transform(configSchema, 0) as JsonObject;
}

const SCHEMA_MAPS = ['properties', 'patternProperties', 'definitions', '$defs', 'dependencies'];
const SCHEMA_LISTS = ['oneOf', 'anyOf', 'allOf', 'prefixItems'];
const SCHEMAS = [
  'items',
  'additionalProperties',
  'additionalItems',
  'contains',
  'not',
  'if',
  'then',
  'else',
  'propertyNames',
];

/** Walks schema keywords only, so a property that happens to be called `default` is still a schema. */
function transform(node: JsonValue, depth: number): JsonValue {
  if (depth > 64 || !isObject(node)) return node;
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === HINT || key === FILTER || value === undefined) continue;
    if (SCHEMA_MAPS.includes(key) && isObject(value)) {
      out[key] = Object.fromEntries(
        Object.entries(value).map(([k, v]) => [k, v === undefined || Array.isArray(v) ? v : transform(v, depth + 1)]),
      );
    } else if (SCHEMA_LISTS.includes(key) && Array.isArray(value)) {
      out[key] = value.map(v => transform(v, depth + 1));
    } else if (SCHEMAS.includes(key)) {
      out[key] = Array.isArray(value) ? value.map(v => transform(v, depth + 1)) : transform(value, depth + 1);
    } else {
      out[key] = value;
    }
  }
  Object.assign(out, uiFor(node));
  for (const keyword of ['oneOf', 'anyOf'] as const) {
    const branches = out[keyword];
    if (Array.isArray(branches)) out[keyword] = branches.map(b => asBranch(b, out.type));
  }
  return out;
}

function uiFor(node: JsonObject): JsonObject {
  switch (node[HINT]) {
    case 'password':
      return { 'ui:field': CATALYST_FIELDS.password, 'ui:backstage': { review: { mask: MASK } } };
    case 'domain-picker':
      return { 'ui:field': CATALYST_FIELDS.domainPicker };
    case 'application-ref': {
      const filter = isObject(node[FILTER]) ? node[FILTER] : {};
      const options: JsonObject = {};
      if (typeof filter.blueprint === 'string') options.blueprint = filter.blueprint;
      if (typeof filter.environment === 'string') options.environment = filter.environment;
      return { 'ui:field': CATALYST_FIELDS.applicationRefPicker, 'ui:options': options };
    }
    default:
      return {};
  }
}

function constType(value: JsonValue): string | undefined {
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'boolean';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return undefined;
}

function asBranch(branch: JsonValue, parentType: JsonValue | undefined): JsonValue {
  if (!isObject(branch)) return branch;
  const out: JsonObject = { ...branch };
  if (out.type === undefined && typeof parentType === 'string') out.type = parentType;
  if (isObject(out.properties)) {
    const fixed: string[] = [];
    const properties: JsonObject = {};
    for (const [name, prop] of Object.entries(out.properties)) {
      if (isObject(prop) && prop.const !== undefined && constType(prop.const)) {
        fixed.push(`${name}: ${String(prop.const)}`);
        properties[name] = {
          type: prop.type ?? (constType(prop.const) as string),
          ...prop,
          default: prop.const,
          'ui:widget': 'hidden',
        };
      } else {
        properties[name] = prop;
      }
    }
    out.properties = properties;
    // Without a title the branch picker would say "Option 1"; the fixed values say what it is.
    if (out.title === undefined && fixed.length > 0) out.title = fixed.join(', ');
  }
  return out;
}
