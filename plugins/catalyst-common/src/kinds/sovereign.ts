import { z } from 'zod';
import { BUILDING_BLOCKS, PROVIDERS, validateSovereignName } from '../naming';
import { CatalystValidation, combine, kindSchema, metadataSchema, notAnObject, ownValue, parseWith } from './common';

const FQDN = /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)(\.[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?)+$/;

/**
 * One installation of Catalyst (reference §3.1). `keycloakTopology` is the only field that changes
 * runtime behaviour; the rest records what was provisioned.
 *
 * @public
 */
export const sovereignSchema = kindSchema(
  'Sovereign',
  metadataSchema,
  z.strictObject({
    domain: z.string().regex(FQDN, {
      message: 'domain must be a lowercase DNS name such as omantel.openova.io',
    }),
    provider: z.enum(PROVIDERS as [string, ...string[]]),
    regions: z
      .array(
        z.strictObject({
          region: z.string().regex(/^[a-z]{2,4}$/, {
            message: 'region must be a 2-4 letter region code such as fsn',
          }),
          buildingBlocks: z.array(z.enum(BUILDING_BLOCKS)).min(1),
        }),
      )
      .min(1),
    keycloakTopology: z.enum(['per-organization', 'shared-sovereign']),
    federation: z
      .strictObject({
        provider: z.enum(['azure-ad', 'okta', 'google', 'generic-oidc']),
        issuer: z.url().optional(),
        clientId: z.string().min(1).optional(),
      })
      .optional(),
    tls: z.strictObject({ strategy: z.enum(['letsencrypt', 'corporate-ca']) }).optional(),
    objectStorage: z
      .strictObject({
        provider: z.string().min(1),
        bucket: z.string().min(1).optional(),
      })
      .optional(),
    uiDefaults: z
      .strictObject({
        consoleDepth: z.enum(['form', 'advanced']).optional(),
        developerMode: z.boolean().optional(),
        promotionUi: z.boolean().optional(),
        policyEditor: z.boolean().optional(),
        kubectlAccess: z.boolean().optional(),
        gitAccess: z.boolean().optional(),
      })
      .optional(),
  }),
);

/** @public */
export type Sovereign = z.infer<typeof sovereignSchema>;

/** @public */
export function validateSovereign(doc: unknown): CatalystValidation<Sovereign> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const name = ownValue(ownValue(doc, 'metadata'), 'name');
  const extra = [];
  if (typeof name === 'string') {
    const n = validateSovereignName(name);
    if (!n.ok) extra.push(...n.errors);
  }
  const parsed = parseWith(sovereignSchema, doc);
  if (parsed.ok) {
    const seen = new Set<string>();
    parsed.value.spec.regions.forEach((r, i) => {
      if (seen.has(r.region)) {
        extra.push({
          code: 'duplicate',
          path: `spec.regions[${i}].region`,
          message: `region "${r.region}" is listed twice`,
        });
      }
      seen.add(r.region);
    });
  }
  return combine(parsed, extra);
}
