import { z } from 'zod';
import { validateOrganizationName } from '../naming';
import { CatalystValidation, combine, kindSchema, metadataSchema, notAnObject, ownValue, parseWith } from './common';

/**
 * The multi-tenancy unit (reference §3.2): G1 names only name/contact/plan; the rest follows the G3
 * field list where it is useful to a Backstage portal (owners, identity federation).
 *
 * @public
 */
export const organizationSchema = kindSchema(
  'Organization',
  metadataSchema,
  z.strictObject({
    displayName: z.string().min(1).max(200),
    contact: z.email().optional(),
    plan: z.string().min(1).optional(),
    kind: z.enum(['customer', 'internal']).optional(),
    tier: z.enum(['sme', 'corporate']).optional(),
    owners: z
      .array(
        z.strictObject({
          email: z.email(),
          role: z.enum(['org-admin', 'org-developer', 'org-viewer', 'security-officer', 'billing-admin']),
        }),
      )
      .optional(),
    identity: z
      .strictObject({
        federationProvider: z.enum(['azure-sso', 'okta', 'generic-oidc']).optional(),
        issuer: z.url().optional(),
        clientId: z.string().min(1).optional(),
      })
      .optional(),
  }),
);

/** @public */
export type Organization = z.infer<typeof organizationSchema>;

/** @public */
export function validateOrganization(doc: unknown): CatalystValidation<Organization> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const name = ownValue(ownValue(doc, 'metadata'), 'name');
  const extra = [];
  if (typeof name === 'string') {
    const n = validateOrganizationName(name);
    if (!n.ok) extra.push(...n.errors);
  }
  return combine(parseWith(organizationSchema, doc), extra);
}
