import { z } from 'zod';
import { CatalystIssue, jsonPath } from '../issues';
import { validateResourceName } from '../naming/names';

/** @public */
export const CATALYST_API_VERSION = 'catalyst.openova.io/v1alpha1';

/**
 * Result of validating a Catalyst document: the typed value, or every issue found.
 *
 * @public
 */
export type CatalystValidation<T> = { ok: true; value: T } | { ok: false; errors: CatalystIssue[] };

/** Label and annotation maps: string → string. @public */
export const stringMapSchema = z.record(z.string(), z.string());

/**
 * Kubernetes-style metadata. Unknown keys (uid, resourceVersion, …) are dropped rather than refused,
 * because documents may come back from a cluster.
 *
 * @public
 */
export const metadataSchema = z.object({
  name: z.string(),
  namespace: z.string().min(1).optional(),
  labels: stringMapSchema.optional(),
  annotations: stringMapSchema.optional(),
});

/** @public */
export type CatalystMetadata = z.infer<typeof metadataSchema>;

/** Envelope shared by every kind: strict at the top level, `status` tolerated and not interpreted. @public */
export function kindSchema<K extends string, M extends z.ZodType, S extends z.ZodType>(kind: K, metadata: M, spec: S) {
  return z.strictObject({
    apiVersion: z.literal(CATALYST_API_VERSION),
    kind: z.literal(kind),
    metadata,
    spec,
    status: z.unknown().optional(),
  });
}

/** One problem zod found. @public */
export type ZodIssue = z.ZodError['issues'][number];

function lastKey(path: PropertyKey[]): string {
  const last = path[path.length - 1];
  return last === undefined ? 'document' : String(last);
}

/**
 * Maps zod issues to CatalystIssues with our stable codes and JSON paths:
 * `required`, `invalid-type`, `unknown-field`, `invalid-value`, `out-of-range`, `invalid-format`.
 *
 * @public
 */
export function zodIssuesToCatalyst(issues: readonly ZodIssue[], prefix: Array<string | number> = []): CatalystIssue[] {
  const out: CatalystIssue[] = [];
  for (const issue of issues) {
    const segments = [...prefix, ...issue.path.map(p => (typeof p === 'number' ? p : String(p)))];
    const path = jsonPath(...segments);
    // With reportInput an issue carries `input` unless the value was missing.
    const missing = !('input' in issue) || issue.input === undefined;
    if (missing && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) {
      out.push({
        code: 'required',
        path,
        message: `${lastKey(issue.path)} is required`,
      });
      continue;
    }
    switch (issue.code) {
      case 'invalid_type':
        out.push({
          code: 'invalid-type',
          path,
          message: `${lastKey(issue.path)} must be ${
            issue.expected === 'record' ? 'an object' : `a ${issue.expected}`
          }`,
        });
        break;
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          out.push({
            code: 'unknown-field',
            path: jsonPath(...segments, key),
            message: `unknown field "${key}"`,
          });
        }
        break;
      case 'invalid_value':
        out.push({
          code: 'invalid-value',
          path,
          message: `${lastKey(issue.path)} must be ${issue.values.map(v => JSON.stringify(v)).join(' or ')}`,
        });
        break;
      case 'invalid_union': {
        // Discriminated unions report the allowed discriminator values as `options` (untyped in zod).
        const options = (issue as { options?: unknown }).options;
        out.push({
          code: 'invalid-value',
          path,
          message: Array.isArray(options)
            ? `${lastKey(issue.path)} must be one of ${options.map(o => JSON.stringify(o)).join(', ')}`
            : `${lastKey(issue.path)} does not match any allowed shape`,
        });
        break;
      }
      case 'too_small':
      case 'too_big':
        out.push({
          code: 'out-of-range',
          path,
          message: `${lastKey(issue.path)}: ${issue.message}`,
        });
        break;
      case 'invalid_format':
        out.push({
          code: 'invalid-format',
          path,
          message: `${lastKey(issue.path)} must be a valid ${issue.format}`,
        });
        break;
      case 'custom':
        out.push({
          code: typeof issue.params?.code === 'string' ? issue.params.code : 'invalid-value',
          path,
          message: issue.message,
        });
        break;
      default:
        out.push({
          code: 'invalid-value',
          path,
          message: `${lastKey(issue.path)}: ${issue.message}`,
        });
    }
  }
  return out;
}

/** Runs a zod schema and returns the parsed value or mapped issues. @public */
export function parseWith<T>(
  schema: z.ZodType<T>,
  doc: unknown,
  prefix: Array<string | number> = [],
): CatalystValidation<T> {
  const r = schema.safeParse(doc, { reportInput: true });
  return r.success ? { ok: true, value: r.data } : { ok: false, errors: zodIssuesToCatalyst(r.error.issues, prefix) };
}

/** A non-object document gets one clear issue instead of a cascade. @public */
export function notAnObject(doc: unknown): CatalystIssue[] | undefined {
  if (doc === null || typeof doc !== 'object' || Array.isArray(doc)) {
    return [
      {
        code: 'invalid-type',
        path: '',
        message: 'document must be an object (a YAML mapping)',
      },
    ];
  }
  return undefined;
}

/** Own data property read that never walks the prototype chain. @public */
export function ownValue(obj: unknown, key: string): unknown {
  if (obj === null || typeof obj !== 'object') return undefined;
  const d = Object.getOwnPropertyDescriptor(obj, key);
  return d && 'value' in d ? d.value : undefined;
}

/** Combines a schema result with semantic issues found on the raw document. @public */
export function combine<T>(parsed: CatalystValidation<T>, extra: CatalystIssue[]): CatalystValidation<T> {
  if (parsed.ok && extra.length === 0) return parsed;
  const errors = [...(parsed.ok ? [] : parsed.errors), ...extra];
  // Same path + code reported by both passes is shown once.
  const seen = new Set<string>();
  return {
    ok: false,
    errors: errors.filter(e => {
      const k = `${e.code}\u0000${e.path}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    }),
  };
}

/** `metadata.name` checked as a Kubernetes object name, when it is a string (zod reports the rest). @public */
export function nameIssues(doc: unknown, what: string): CatalystIssue[] {
  const name = ownValue(ownValue(doc, 'metadata'), 'name');
  if (typeof name !== 'string') return [];
  const r = validateResourceName(name, what);
  return r.ok ? [] : r.errors;
}
