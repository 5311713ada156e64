import {
  actionOfPermission,
  grantsFor,
  RoleBinding,
} from '@internal/plugin-catalyst-common';
import {
  AuthorizeResult,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalystPermissionConditions, encodeGrant } from './permissionRules';

/**
 * Catalyst's permission policy. Catalyst permissions are decided from the user's role grants
 * (their User and Group refs matched against `catalyst.access.bindings`) as a condition the catalyst
 * plugin applies to the Environment; every other permission is allowed, as Backstage's allow-all
 * policy did. Adopters with their own policy can delegate `catalyst.*` permissions to this one.
 */
export class CatalystPermissionPolicy implements PermissionPolicy {
  constructor(private readonly bindings: RoleBinding[]) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const action = actionOfPermission(request.permission.name);
    if (!action) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const refs = [user.info.userEntityRef, ...user.info.ownershipEntityRefs];
    const grants = grantsFor(refs, this.bindings);
    if (grants.length === 0 || !isResourcePermission(request.permission, 'catalyst-environment')) {
      return { result: AuthorizeResult.DENY };
    }
    return catalystPermissionConditions.createConditionalDecision(
      request.permission,
      catalystPermissionConditions.conditions.allowedByGrants({ action, grants: grants.map(encodeGrant) }),
    );
  }
}
