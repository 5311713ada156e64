import { createPermission } from '@backstage/plugin-permission-common';

/** The Catalyst roles (DESIGN §8). @public */
export const CATALYST_ROLES = [
  'sovereign-admin',
  'org-admin',
  'org-developer',
  'org-viewer',
  'security-officer',
] as const;
/** @public */
export type CatalystRoleName = (typeof CATALYST_ROLES)[number];

/** What can be done in an Organization or Environment. @public */
export const CATALYST_ACTIONS = [
  'read',
  'install',
  'configure',
  'promote',
  'approve',
  'merge',
  'manage-environment',
  'manage-policy',
  'freeze',
] as const;
/** @public */
export type CatalystActionName = (typeof CATALYST_ACTIONS)[number];

/**
 * Role → actions (reference §7.3). Approving additionally needs membership of a team the
 * EnvironmentPolicy lists; that is the policy evaluator's rule, not the role's.
 */
const ROLE_ACTIONS: Record<CatalystRoleName, readonly CatalystActionName[]> = {
  'sovereign-admin': CATALYST_ACTIONS,
  'org-admin': CATALYST_ACTIONS,
  'org-developer': ['read', 'install', 'configure', 'promote', 'approve'],
  'org-viewer': ['read'],
  // Security officers review and approve, edit policy, and may freeze an Environment (reference §7.3).
  'security-officer': ['read', 'approve', 'manage-policy', 'freeze'],
};

/** A role held in an Organization (`*` = every Organization), optionally only in some Environments. @public */
export interface RoleGrant {
  role: CatalystRoleName;
  organization: string;
  environments?: string[];
}

/** Config rows mapping a user or group ref to a role. @public */
export interface RoleBinding extends RoleGrant {
  /** `user:default/layla` or `group:acme/team-platform` (entity refs, compared case-insensitively). */
  subject: string;
}

/** The grants that apply to someone with these ownership refs (their User ref and Group refs). @public */
export function grantsFor(ownershipRefs: readonly string[], bindings: readonly RoleBinding[]): RoleGrant[] {
  const refs = new Set(ownershipRefs.map(r => r.toLocaleLowerCase('en-US')));
  return bindings
    .filter(b => refs.has(b.subject.toLocaleLowerCase('en-US')))
    .map(({ role, organization, environments }) => ({
      role,
      organization,
      ...(environments ? { environments } : {}),
    }));
}

/** @public */
export type AccessDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Decides an action in an Organization (and Environment) from grants. Organization-wide actions
 * (no environment given) need a grant that is not narrowed to some Environments, except `read`,
 * which any grant in the Organization gives.
 *
 * @public
 */
export function decideAccess(
  grants: readonly RoleGrant[],
  action: CatalystActionName,
  scope: { organization: string; environment?: string },
): AccessDecision {
  for (const g of grants) {
    if (g.organization !== '*' && g.organization !== scope.organization) continue;
    if (!ROLE_ACTIONS[g.role].includes(action)) continue;
    if (g.environments) {
      if (scope.environment === undefined) {
        if (action === 'read') return { allowed: true };
        continue;
      }
      if (!g.environments.includes(scope.environment)) continue;
    }
    return { allowed: true };
  }
  const where = scope.environment ?? `Organization ${scope.organization}`;
  return { allowed: false, reason: `you may not ${action} in ${where}` };
}

/** Is this a sovereign-wide grant? @public */
export function isSovereignAdmin(grants: readonly RoleGrant[]): boolean {
  return grants.some(g => g.role === 'sovereign-admin');
}

/** The resource type of Catalyst permissions: an Environment (`environment:<org>/<env>`). @public */
export const CATALYST_ENVIRONMENT_RESOURCE_TYPE = 'catalyst-environment';

const perm = (action: CatalystActionName, verb: 'read' | 'update' | 'create' | 'delete') =>
  createPermission({
    name: `catalyst.${action}`,
    attributes: { action: verb },
    resourceType: CATALYST_ENVIRONMENT_RESOURCE_TYPE,
  });

/**
 * Catalyst's permissions in Backstage's permission framework, one per action, on Environments.
 * The frontend uses them to show or hide actions; the server enforces the same decisions.
 *
 * @public
 */
export const catalystPermissions = {
  read: perm('read', 'read'),
  install: perm('install', 'create'),
  configure: perm('configure', 'update'),
  promote: perm('promote', 'create'),
  approve: perm('approve', 'update'),
  merge: perm('merge', 'update'),
  'manage-environment': perm('manage-environment', 'create'),
  'manage-policy': perm('manage-policy', 'update'),
  freeze: perm('freeze', 'update'),
} as const;

/** @public */
export const catalystPermissionList = Object.values(catalystPermissions);

/** Maps a permission name back to its action (`catalyst.install` → `install`). @public */
export function actionOfPermission(name: string): CatalystActionName | undefined {
  const action = name.startsWith('catalyst.') ? name.slice('catalyst.'.length) : '';
  return (CATALYST_ACTIONS as readonly string[]).includes(action) ? (action as CatalystActionName) : undefined;
}
