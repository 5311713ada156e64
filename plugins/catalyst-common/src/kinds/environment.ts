import { z } from 'zod';
import { CatalystIssue } from '../issues';
import { BUILDING_BLOCKS, ENV_TYPES, PROVIDERS, parseEnvironmentName, validateOrganizationName } from '../naming';
import { CatalystValidation, combine, kindSchema, metadataSchema, notAnObject, ownValue, parseWith } from './common';

/**
 * `{org}-{env_type}` scope (reference §3.3, G3 field names). The name is authoritative: `organizationRef`
 * and `envType` must agree with it.
 *
 * @public
 */
export const environmentSchema = kindSchema(
  'Environment',
  metadataSchema,
  z.strictObject({
    organizationRef: z.string(),
    envType: z.enum(ENV_TYPES),
    placement: z.enum(['single-region', 'multi-region']).default('single-region'),
    regions: z
      .array(
        z.strictObject({
          provider: z.enum(PROVIDERS as [string, ...string[]]),
          region: z.string().regex(/^[a-z]{2,4}$/, {
            message: 'region must be a 2-4 letter region code such as fsn',
          }),
          buildingBlock: z.enum(BUILDING_BLOCKS),
        }),
      )
      .default([]),
    policyRef: z.string().min(1).optional(),
  }),
);

/** @public */
export type Environment = z.infer<typeof environmentSchema>;

/** @public */
export function validateEnvironment(doc: unknown): CatalystValidation<Environment> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const extra: CatalystIssue[] = [];
  const name = ownValue(ownValue(doc, 'metadata'), 'name');
  const parsedName = typeof name === 'string' ? parseEnvironmentName(name) : undefined;
  if (parsedName && !parsedName.ok) extra.push(...parsedName.errors);
  const orgRef = ownValue(ownValue(doc, 'spec'), 'organizationRef');
  if (typeof orgRef === 'string') {
    const o = validateOrganizationName(orgRef, 'spec.organizationRef');
    if (!o.ok) extra.push(...o.errors);
  }
  const parsed = parseWith(environmentSchema, doc);
  if (parsed.ok && parsedName?.ok) {
    const { spec } = parsed.value;
    if (spec.organizationRef !== parsedName.organization) {
      extra.push({
        code: 'name-mismatch',
        path: 'spec.organizationRef',
        message: `Environment ${name} belongs to Organization "${parsedName.organization}", not "${spec.organizationRef}"`,
      });
    }
    if (spec.envType !== parsedName.envType) {
      extra.push({
        code: 'name-mismatch',
        path: 'spec.envType',
        message: `Environment ${name} has env type "${parsedName.envType}", not "${spec.envType}"`,
      });
    }
    if (spec.placement === 'single-region' && new Set(spec.regions.map(r => `${r.provider}/${r.region}`)).size > 1) {
      extra.push({
        code: 'invalid-placement',
        path: 'spec.regions',
        message: 'a single-region Environment may list building blocks of one region only',
      });
    }
  }
  return combine(parsed, extra);
}
