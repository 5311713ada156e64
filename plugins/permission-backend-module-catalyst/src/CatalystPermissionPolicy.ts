import {
  actionOfPermission,
  CATALYST_ANNOTATIONS,
  grantsOf,
  isSovereignAdmin,
  RoleBinding,
} from '@internal/plugin-catalyst-common';
import {
  AuthorizeResult,
  isResourcePermission,
  PermissionCondition,
  PermissionCriteria,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { PermissionPolicy, PolicyQuery, PolicyQueryUser } from '@backstage/plugin-permission-node';
import { catalystPermissionConditions, encodeGrant } from '@internal/plugin-catalyst-node';

/**
 * The Kubernetes plugin's proxy passes requests straight to a cluster's API: it knows nothing of
 * Organizations (a devcluster serves every Environment), so only a sovereign-admin may use it. The
 * plugin's reads of an entity's workloads go through the catalog, whose Organization conditions
 * apply, after this membership check.
 */
const SOVEREIGN_ONLY = new Set(['kubernetes.proxy']);

/** What needs a role in some Organization: Kubernetes reads and (below) every scaffolder permission. */
const MEMBERS_ONLY = new Set(['kubernetes.clusters.read', 'kubernetes.resources.read']);

/**
 * Catalyst's permission policy. Catalyst permissions are decided from the user's role grants
 * (their User and Group refs matched against `catalyst.access.bindings`) as a condition the catalyst
 * plugin applies to the Environment; the Kubernetes proxy is the sovereign-admin's; Kubernetes reads
 * and the scaffolder need a role in some Organization (the catalyst API they call then decides per
 * Organization and Environment); the catalog shows Catalyst's entities by Organization and
 * Environment, and only a sovereign-admin deletes them; every other permission is allowed, as
 * Backstage's allow-all policy did. Adopters with their own policy can delegate `catalyst.*`
 * permissions to this one.
 */
export class CatalystPermissionPolicy implements PermissionPolicy {
  constructor(private readonly bindings: RoleBinding[]) {}

  async handle(request: PolicyQuery, user?: PolicyQueryUser): Promise<PolicyDecision> {
    const name = request.permission.name;
    if (name === 'catalog.entity.read' && user) {
      return this.catalogRead(user);
    }
    if (name === 'catalog.entity.delete') {
      return this.catalogDelete(user);
    }
    if (SOVEREIGN_ONLY.has(name) || MEMBERS_ONLY.has(name) || name.startsWith('scaffolder.')) {
      const grants = user ? grantsOf([user.info.userEntityRef, ...user.info.ownershipEntityRefs], this.bindings) : [];
      const allowed = SOVEREIGN_ONLY.has(name) ? isSovereignAdmin(grants) : grants.length > 0;
      return { result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY };
    }
    const action = actionOfPermission(request.permission.name);
    if (!action) return { result: AuthorizeResult.ALLOW };
    if (!user) return { result: AuthorizeResult.DENY };
    const refs = [user.info.userEntityRef, ...user.info.ownershipEntityRefs];
    const grants = grantsOf(refs, this.bindings);
    if (grants.length === 0 || !isResourcePermission(request.permission, 'catalyst-environment')) {
      return { result: AuthorizeResult.DENY };
    }
    return catalystPermissionConditions.createConditionalDecision(
      request.permission,
      catalystPermissionConditions.conditions.allowedByGrants({ action, grants: grants.map(encodeGrant) }),
    );
  }

  /**
   * Catalyst's entities are the registry's, changed through the catalyst API: deleting one by hand
   * (which any caller who knows its uid could do under allow-all, a read-only role or another
   * Organization included) would hide it until its content next changes. So only a sovereign-admin
   * may delete an entity Catalyst marks with an Organization; other entities stay as before.
   */
  private catalogDelete(user?: PolicyQueryUser): PolicyDecision {
    const grants = user ? grantsOf([user.info.userEntityRef, ...user.info.ownershipEntityRefs], this.bindings) : [];
    if (isSovereignAdmin(grants)) return { result: AuthorizeResult.ALLOW };
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        not: {
          rule: 'HAS_ANNOTATION',
          resourceType: 'catalog-entity',
          params: { annotation: CATALYST_ANNOTATIONS.organization },
        },
      },
    };
  }

  /**
   * Organization isolation in the catalog (reference §8.7 #12): entities Catalyst marks with an
   * Organization (its Groups, Environments, Applications, private Blueprints and their Templates) are
   * readable only by people with a role in that Organization (an Environment's entities, by a grant
   * narrowed to Environments, only if it names that one); everything else stays readable.
   */
  private catalogRead(user: PolicyQueryUser): PolicyDecision {
    const grants = grantsOf([user.info.userEntityRef, ...user.info.ownershipEntityRefs], this.bindings);
    // a sovereign-admin, or any role bound in every Organization (`organization: '*'`, e.g. an
    // auditor's org-viewer), reads every Organization's entities
    if (isSovereignAdmin(grants) || grants.some(g => g.organization === '*' && !g.environments)) {
      return { result: AuthorizeResult.ALLOW };
    }
    const has = (annotation: string, value?: string): PermissionCondition => ({
      rule: 'HAS_ANNOTATION',
      resourceType: 'catalog-entity',
      params: value === undefined ? { annotation } : { annotation, value },
    });
    const { organization, environment } = CATALYST_ANNOTATIONS;
    // A grant of a whole Organization shows all of it; a grant narrowed to some Environments shows
    // the Organization's entities of no Environment (its Groups, Blueprints) and of those only, as
    // the catalyst API hides the others.
    const whole = new Set(grants.filter(g => !g.environments).map(g => g.organization));
    const narrowed = new Map<string, Set<string>>();
    for (const g of grants) {
      if (!g.environments || whole.has(g.organization)) continue;
      const envs = narrowed.get(g.organization) ?? new Set<string>();
      g.environments.forEach(e => envs.add(e));
      narrowed.set(g.organization, envs);
    }
    return {
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          { not: has(organization) },
          ...[...whole].sort().map(o => has(organization, o)),
          ...[...narrowed.keys()].sort().map(
            (o): PermissionCriteria<PermissionCondition> => ({
              allOf: [
                has(organization, o),
                { anyOf: [{ not: has(environment) }, ...[...narrowed.get(o)!].sort().map(e => has(environment, e))] },
              ],
            }),
          ),
        ],
      },
    };
  }
}
