import Ajv, { ErrorObject, ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { CatalystIssue, jsonPath } from '../issues';
import { setOwn } from '../expressions/templates';

/** Widget hints the generated form understands (reference §3.5.3). @public */
export const UI_HINTS = ['password', 'domain-picker', 'application-ref'] as const;

/**
 * A fresh strict ajv per schema: Blueprint authors may use `$id`, and two versions of one Blueprint
 * must not collide in a shared instance. Registration is rare; validation reuses the compiled function.
 */
function createAjv(): Ajv {
  const ajv = new Ajv({
    strict: true,
    allErrors: true,
    allowUnionTypes: true,
    // No loadSchema: remote $refs are never fetched, a Blueprint's schema must be self-contained.
    logger: false,
  });
  addFormats(ajv);
  ajv.addKeyword({
    keyword: 'x-catalyst-ui-hint',
    metaSchema: { enum: [...UI_HINTS] },
  });
  ajv.addKeyword({
    keyword: 'x-catalyst-ui-filter',
    metaSchema: {
      type: 'object',
      properties: {
        blueprint: { type: 'string' },
        environment: { type: 'string' },
      },
      additionalProperties: false,
    },
  });
  return ajv;
}

const compiled = new WeakMap<object, ValidateFunction>();

/** @public */
export type CompiledConfigSchema = { ok: true; validate: ValidateFunction } | { ok: false; errors: CatalystIssue[] };

/**
 * Compiles a Blueprint `configSchema` with ajv in strict mode (unknown keywords, formats and
 * type/keyword mismatches are errors) plus our `x-catalyst-ui-*` keywords. The root must describe an
 * object, because values are a map. Compiled functions are cached per schema object.
 *
 * @public
 */
export function compileConfigSchema(schema: unknown, path = 'spec.configSchema'): CompiledConfigSchema {
  if (schema === null || typeof schema !== 'object' || Array.isArray(schema)) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-config-schema',
          path,
          message: 'configSchema must be a JSON Schema object',
        },
      ],
    };
  }
  const cached = compiled.get(schema);
  if (cached) return { ok: true, validate: cached };
  const root = schema as Record<string, unknown>;
  if (root.type !== 'object') {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-config-schema',
          path: `${path}.type`,
          message: 'configSchema must have type: object at its root',
        },
      ],
    };
  }
  try {
    const validate = createAjv().compile(schema);
    compiled.set(schema, validate);
    return { ok: true, validate };
  } catch (e) {
    return {
      ok: false,
      errors: [
        {
          code: 'invalid-config-schema',
          path,
          message: `configSchema is not a valid JSON Schema: ${e instanceof Error ? e.message : String(e)}`,
        },
      ],
    };
  }
}

function pointerSegments(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map(s => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** Turns ajv's JSON-pointer errors into `invalid-values` issues at `values.replicas`-style paths. @public */
export function ajvErrorsToIssues(errors: readonly ErrorObject[], prefix: Array<string | number>): CatalystIssue[] {
  return errors.map(e => {
    const segments: Array<string | number> = [...prefix, ...pointerSegments(e.instancePath)];
    const params = e.params as Record<string, unknown>;
    if (e.keyword === 'required' && typeof params.missingProperty === 'string') {
      segments.push(params.missingProperty);
      return {
        code: 'invalid-values',
        path: jsonPath(...segments),
        message: `${params.missingProperty} is required`,
      };
    }
    if (e.keyword === 'additionalProperties' && typeof params.additionalProperty === 'string') {
      segments.push(params.additionalProperty);
      return {
        code: 'invalid-values',
        path: jsonPath(...segments),
        message: `unknown setting "${params.additionalProperty}"`,
      };
    }
    const where = jsonPath(...segments);
    return {
      code: 'invalid-values',
      path: where,
      message: `${where || 'values'} ${e.message ?? 'is invalid'}`,
    };
  });
}

/**
 * Validates values against a compiled schema; issues are prefixed with `prefix` (e.g. `values`).
 *
 * @public
 */
export function validateConfigValues(
  schema: unknown,
  values: unknown,
  prefix: Array<string | number> = ['values'],
): CatalystIssue[] {
  const c = compileConfigSchema(schema);
  if (!c.ok) return c.errors;
  return c.validate(values) ? [] : ajvErrorsToIssues(c.validate.errors ?? [], prefix);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function clone<T>(v: T): T {
  if (Array.isArray(v)) return v.map(clone) as T;
  if (isPlainObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v)) setOwn(out, k, clone(v[k]));
    return out as T;
  }
  return v;
}

/**
 * Fills `default`s from the schema's `properties` into `values` where a key is missing, recursing into
 * nested objects that are present. Branches of oneOf/anyOf are not guessed at (as in ajv's useDefaults).
 * Returns a new object; the input is not modified.
 *
 * @public
 */
export function applySchemaDefaults(schema: unknown, values: Record<string, unknown>): Record<string, unknown> {
  const out = clone(values);
  fill(schema, out, 0);
  return out;
}

function fill(schema: unknown, target: Record<string, unknown>, depth: number): void {
  if (depth > 64 || !isPlainObject(schema) || !isPlainObject(schema.properties)) return;
  const props = schema.properties;
  for (const key of Object.keys(props)) {
    const sub = props[key];
    if (!isPlainObject(sub)) continue;
    const has = Object.prototype.hasOwnProperty.call(target, key);
    if (!has && 'default' in sub) setOwn(target, key, clone(sub.default));
    const v = Object.getOwnPropertyDescriptor(target, key)?.value;
    if (isPlainObject(v)) fill(sub, v, depth + 1);
  }
}

/** @public */
export interface ApplicationRefField {
  /** Property names from the values root to the field (`['postgres', 'ref']`). */
  path: string[];
  /** The Blueprint the field's picker is filtered to (`x-catalyst-ui-filter.blueprint`). */
  blueprint: string;
}

const refFieldCache = new WeakMap<object, ApplicationRefField[]>();

function collectRefFields(schema: unknown, path: string[], out: ApplicationRefField[], depth: number): void {
  if (depth > 32 || !isPlainObject(schema)) return;
  const filter = schema['x-catalyst-ui-filter'];
  if (
    schema['x-catalyst-ui-hint'] === 'application-ref' &&
    isPlainObject(filter) &&
    typeof filter.blueprint === 'string'
  ) {
    if (!out.some(f => f.blueprint === filter.blueprint && f.path.join('\u0000') === path.join('\u0000'))) {
      out.push({ path, blueprint: filter.blueprint });
    }
  }
  if (isPlainObject(schema.properties)) {
    for (const key of Object.keys(schema.properties)) {
      collectRefFields(schema.properties[key], [...path, key], out, depth + 1);
    }
  }
  // Branches describe the same object, so their fields share its path (e.g. postgres.oneOf[1].ref).
  for (const keyword of ['oneOf', 'anyOf', 'allOf']) {
    const branches = schema[keyword];
    if (Array.isArray(branches)) branches.forEach(b => collectRefFields(b, path, out, depth + 1));
  }
  for (const keyword of ['if', 'then', 'else']) collectRefFields(schema[keyword], path, out, depth + 1);
}

/**
 * Fields of a configSchema that name an existing Application (`x-catalyst-ui-hint: application-ref`
 * with `x-catalyst-ui-filter.blueprint`), in schema order. They drive reference-mode dependencies
 * (docs/contracts.md §3).
 *
 * @public
 */
export function applicationRefFields(schema: unknown): ApplicationRefField[] {
  if (!isPlainObject(schema)) return [];
  const cached = refFieldCache.get(schema);
  if (cached) return cached;
  const out: ApplicationRefField[] = [];
  collectRefFields(schema, [], out, 0);
  refFieldCache.set(schema, out);
  return out;
}
