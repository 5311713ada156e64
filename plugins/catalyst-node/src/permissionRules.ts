import {
  CATALYST_ACTIONS,
  CATALYST_ENVIRONMENT_RESOURCE_TYPE,
  CATALYST_ROLES,
  CatalystActionName,
  CatalystRoleName,
  decideAccess,
  RoleGrant,
} from '@internal/plugin-catalyst-common';
import {
  createConditionExports,
  createPermissionResourceRef,
  createPermissionRule,
  PermissionRule,
} from '@backstage/plugin-permission-node';
import { z } from 'zod';

/** What a permission condition is applied to: an Environment of the registry. @public */
export interface EnvironmentResource {
  name: string;
  organization: string;
}

/** The query form of the rule (Catalyst never lists Environments by permission query). @public */
export interface EnvironmentQuery {
  action: string;
  grants: string[];
}

/** Catalyst permissions are about Environments, referenced by name (`acme-dev`). @public */
export const catalystEnvironmentResourceRef = createPermissionResourceRef<EnvironmentResource, EnvironmentQuery>().with(
  { pluginId: 'catalyst', resourceType: CATALYST_ENVIRONMENT_RESOURCE_TYPE },
);

/**
 * Permission-rule parameters must be flat JSON, so a grant travels as `role:organization:envs`
 * (`org-developer:acme:acme-dev+acme-stg`, `org-admin:acme:*`).
 *
 * @public
 */
export function encodeGrant(g: RoleGrant): string {
  return `${g.role}:${g.organization}:${g.environments ? g.environments.join('+') : '*'}`;
}

/** @public */
export function decodeGrant(text: string): RoleGrant | undefined {
  const [role, organization, envs, ...rest] = text.split(':');
  if (rest.length || !organization || !envs || !(CATALYST_ROLES as readonly string[]).includes(role)) return undefined;
  return {
    role: role as CatalystRoleName,
    organization,
    ...(envs === '*' ? {} : { environments: envs.split('+').filter(Boolean) }),
  };
}

/**
 * The rule's parameters: the action and the caller's grants. Named, so the rule's public type reads
 * the same whatever order the compiler lists the action union in.
 *
 * @public
 */
// a type, not an interface: permission-rule parameters must fit PermissionRuleParams' index signature
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type AllowedByGrantsParams = {
  /** The Catalyst action asked for. */
  action: CatalystActionName;
  /** The caller's grants, encoded `role:organization:envs`. */
  grants: string[];
};

/**
 * The one rule Catalyst's policy uses: the user's role grants (computed by the policy from their
 * groups) allow `action` in the Environment. Carrying the grants in the condition keeps the policy a
 * pure function of the user, while the plugin, which knows the Environments, applies it.
 *
 * @public
 */
export const allowedByGrantsRule: PermissionRule<
  EnvironmentResource,
  EnvironmentQuery,
  typeof CATALYST_ENVIRONMENT_RESOURCE_TYPE,
  AllowedByGrantsParams
> = createPermissionRule({
  name: 'ALLOWED_BY_GRANTS',
  description: 'Allow when the Catalyst role grants permit the action in the Environment',
  resourceRef: catalystEnvironmentResourceRef,
  paramsSchema: z.object({ action: z.enum(CATALYST_ACTIONS), grants: z.array(z.string()) }),
  apply: (env, { action, grants }) =>
    decideAccess(
      grants.map(decodeGrant).filter((g): g is RoleGrant => g !== undefined),
      action as CatalystActionName,
      { organization: env.organization, environment: env.name },
    ).allowed,
  toQuery: ({ action, grants }) => ({ action, grants }),
});

/** @public */
export const catalystPermissionConditions = createConditionExports({
  resourceRef: catalystEnvironmentResourceRef,
  rules: { allowedByGrants: allowedByGrantsRule },
});
