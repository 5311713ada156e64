import { mockCredentials } from '@backstage/backend-test-utils';
import { decideAccess, RoleGrant } from '@internal/plugin-catalyst-common';
import type { CatalystAccess, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import { Authorization } from '../access/Authorization';
import type { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';

/**
 * A principal holding these role grants, for service tests. Decisions come from catalyst-common's
 * `decideAccess` — the rule Catalyst's permission policy applies — without the permission
 * framework's round trip (the REST and plugin tests take that path).
 */
export function testPrincipal(
  userRef: string,
  grants: RoleGrant[],
  profile: { displayName?: string; email?: string } = {},
): CatalystPrincipal {
  return {
    userRef,
    displayName: profile.displayName ?? userRef.replace(/^user:(default\/)?/, ''),
    ...(profile.email ? { email: profile.email } : {}),
    ownershipRefs: [userRef],
    grants,
    credentials: mockCredentials.user(userRef),
  };
}

export function grantsAccess(store: Pick<DatabaseOrganizationStore, 'listEnvironments'>): CatalystAccess {
  return {
    principal: async () => {
      throw new Error('service tests pass principals in');
    },
    decide: (p, action, scope) => decideAccess(p.grants, action, scope),
    authorize: async (p, action, scope) => decideAccess(p.grants, action, scope),
    readableEnvironments: async p =>
      (await store.listEnvironments())
        .filter(e => decideAccess(p.grants, 'read', { organization: e.organization, environment: e.name }).allowed)
        .map(e => e.name),
  };
}

/** An Authorization over {@link grantsAccess}. */
export function grantsAuthorization(store: DatabaseOrganizationStore): Authorization {
  return Authorization.create({ access: grantsAccess(store), store });
}
