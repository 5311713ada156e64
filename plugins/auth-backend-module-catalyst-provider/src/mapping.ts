import type { Config } from '@backstage/config';
import {
  CATALYST_ROLES,
  DEFAULT_IDENTITY_MAPPING,
  ENTRA_IDENTITY_MAPPING,
  IdentityMapping,
} from '@internal/plugin-catalyst-common';
import { z } from 'zod';

const role = z.enum(CATALYST_ROLES);
const groupMeaning = z.strictObject({
  organization: z
    .string()
    .regex(/^[a-z][a-z0-9-]{2,31}$/)
    .optional(),
  team: z
    .string()
    .regex(/^[a-z][a-z0-9-]{1,62}$/)
    .optional(),
  role: role.optional(),
});
const common = {
  usernameClaim: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  rolesClaim: z.string().min(1).optional(),
  roles: z.record(z.string(), role).optional(),
  groups: z.record(z.string(), groupMeaning).optional(),
  defaultRole: role.optional(),
  userNamespace: z.enum(['organization', 'default']).optional(),
  userEntityName: z.enum(['local-part', 'msgraph']).optional(),
};
const keycloakSchema = z.strictObject({
  ...common,
  groupsClaim: z.string().min(1).optional(),
  organizationClaim: z.string().min(1).optional(),
  sovereignAdminGroups: z.array(z.string()).optional(),
  microsoft: z.unknown().optional(),
});
const entraSchema = z.strictObject({
  ...common,
  groupsClaim: z.string().min(1).optional(),
  tenants: z.record(z.string(), z.string().regex(/^[a-z][a-z0-9-]{2,31}$/)).optional(),
});

function parse<T extends z.ZodType>(schema: T, value: unknown, path: string): z.infer<T> {
  const parsed = schema.safeParse(value ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`${path}${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`);
  }
  return parsed.data;
}

const defined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * `catalyst.identity` for Keycloak (the documented defaults: `preferred_username`, `groups`,
 * `realm_access.roles`, `org`, sovereign-admins in `/catalyst-admins`). A malformed entry stops the
 * start with its config path.
 */
export function readKeycloakMapping(config: Config): IdentityMapping {
  const raw = parse(keycloakSchema, config.getOptional('catalyst.identity'), 'catalyst.identity');
  const { microsoft: _entra, ...own } = raw;
  return { ...DEFAULT_IDENTITY_MAPPING, ...(defined(own) as Partial<IdentityMapping>) };
}

/**
 * `catalyst.identity.microsoft` for Entra ID (`roles` app roles, group object ids, `tid` →
 * Organization). By default the User ref is the one Microsoft Graph ingestion gives the person
 * (`user:default/<mail or UPN, normalized>`), so two tenants' `ada@…` never share one.
 */
export function readEntraMapping(config: Config): IdentityMapping {
  const raw = parse(entraSchema, config.getOptional('catalyst.identity.microsoft'), 'catalyst.identity.microsoft');
  return { ...ENTRA_IDENTITY_MAPPING, ...(defined(raw) as Partial<IdentityMapping>) };
}
