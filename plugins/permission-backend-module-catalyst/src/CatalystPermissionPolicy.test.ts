import { mockCredentials } from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { catalystPermissions, RoleBinding } from '@internal/plugin-catalyst-common';
import { CatalystPermissionPolicy } from './CatalystPermissionPolicy';
import { allowedByGrantsRule, decodeGrant } from '@internal/plugin-catalyst-node';

const bindings: RoleBinding[] = [
  { subject: 'group:acme/team-platform', role: 'org-admin', organization: 'acme' },
  { subject: 'user:default/layla', role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
  { subject: 'user:default/root', role: 'sovereign-admin', organization: '*' },
  { subject: 'user:default/audrey', role: 'org-viewer', organization: '*' },
];
const policy = new CatalystPermissionPolicy(bindings);
const user = (ref: string, groups: string[] = []) => ({
  credentials: mockCredentials.user(ref),
  info: { userEntityRef: ref, ownershipEntityRefs: [ref, ...groups] },
});

describe('CatalystPermissionPolicy', () => {
  it('allows non-Catalyst permissions, and denies Catalyst ones to people without a role', async () => {
    expect(
      await policy.handle(
        { permission: { type: 'basic', name: 'catalog.location.create', attributes: {} } },
        user('user:default/x'),
      ),
    ).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(await policy.handle({ permission: catalystPermissions.read }, user('user:default/stranger'))).toEqual({
      result: AuthorizeResult.DENY,
    });
    expect(await policy.handle({ permission: catalystPermissions.read })).toEqual({ result: AuthorizeResult.DENY });
  });

  it('returns a condition carrying the grants, which decides per Environment', async () => {
    const decision = await policy.handle({ permission: catalystPermissions.install }, user('user:default/layla'));
    expect(decision.result).toBe(AuthorizeResult.CONDITIONAL);
    const condition = (
      decision as unknown as { conditions: { rule: string; params: { action: string; grants: string[] } } }
    ).conditions;
    expect(condition).toMatchObject({
      rule: 'ALLOWED_BY_GRANTS',
      params: { action: 'install', grants: ['org-developer:acme:acme-dev'] },
    });
    const grants = condition.params.grants;
    expect(allowedByGrantsRule.apply({ name: 'acme-dev', organization: 'acme' }, { action: 'install', grants })).toBe(
      true,
    );
    expect(allowedByGrantsRule.apply({ name: 'acme-prod', organization: 'acme' }, { action: 'install', grants })).toBe(
      false,
    );
    expect(decodeGrant('nonsense')).toBeUndefined();
    expect(decodeGrant('org-admin:acme:*')).toEqual({ role: 'org-admin', organization: 'acme' });
  });

  it('hides catalog entities of Organizations the user has no role in', async () => {
    expect(await policy.handle({ permission: catalogEntityReadPermission }, user('user:default/root'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    expect(
      await policy.handle(
        { permission: catalogEntityReadPermission },
        user('user:default/guest', ['group:acme/team-platform']),
      ),
    ).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'HAS_ANNOTATION',
              resourceType: 'catalog-entity',
              params: { annotation: 'catalyst.openova.io/organization' },
            },
          },
          {
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'catalyst.openova.io/organization', value: 'acme' },
          },
        ],
      },
    });
    // a role bound in every Organization (an auditor's org-viewer) reads every Organization's entities
    expect(await policy.handle({ permission: catalogEntityReadPermission }, user('user:default/audrey'))).toEqual({
      result: AuthorizeResult.ALLOW,
    });
    const stranger = await policy.handle({ permission: catalogEntityReadPermission }, user('user:default/stranger'));
    expect((stranger as { conditions: { anyOf: unknown[] } }).conditions.anyOf).toHaveLength(1);
  });

  it("shows a grant narrowed to some Environments only their entities of the Organization's", async () => {
    const has = (annotation: string, value?: string) => ({
      rule: 'HAS_ANNOTATION',
      resourceType: 'catalog-entity',
      params: value === undefined ? { annotation } : { annotation, value },
    });
    // layla: org-developer of acme narrowed to acme-dev
    expect(await policy.handle({ permission: catalogEntityReadPermission }, user('user:default/layla'))).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          { not: has('catalyst.openova.io/organization') },
          {
            allOf: [
              has('catalyst.openova.io/organization', 'acme'),
              {
                anyOf: [
                  { not: has('catalyst.openova.io/environment') },
                  has('catalyst.openova.io/environment', 'acme-dev'),
                ],
              },
            ],
          },
        ],
      },
    });
    // with a grant of the whole Organization besides, the narrowing no longer narrows anything
    const both = await policy.handle(
      { permission: catalogEntityReadPermission },
      user('user:default/layla', ['group:acme/team-platform']),
    );
    expect((both as { conditions: unknown }).conditions).toEqual({
      anyOf: [{ not: has('catalyst.openova.io/organization') }, has('catalyst.openova.io/organization', 'acme')],
    });
  });
});

describe('CatalystPermissionPolicy: deleting catalog entities', () => {
  const remove = { permission: { type: 'basic' as const, name: 'catalog.entity.delete', attributes: {} } };
  const notCatalysts = {
    result: AuthorizeResult.CONDITIONAL,
    pluginId: 'catalog',
    resourceType: 'catalog-entity',
    conditions: {
      not: {
        rule: 'HAS_ANNOTATION',
        resourceType: 'catalog-entity',
        params: { annotation: 'catalyst.openova.io/organization' },
      },
    },
  };

  it.each([
    ['a sovereign-admin: any entity', user('user:default/root'), { result: AuthorizeResult.ALLOW }],
    // the registry's entities change through the catalyst API, not by hand, even for an org-admin
    ['an org-admin: none of Catalyst', user('user:default/guest', ['group:acme/team-platform']), notCatalysts],
    ['an org-developer: none of Catalyst', user('user:default/layla'), notCatalysts],
    ['someone without a role: none of Catalyst', user('user:default/stranger'), notCatalysts],
    ['a service: none of Catalyst', undefined, notCatalysts],
  ])('%s', async (_who, who, decision) => {
    expect(await policy.handle(remove, who)).toEqual(decision);
  });
});

describe('CatalystPermissionPolicy beyond catalyst.*', () => {
  const basic = (name: string) => ({ permission: { type: 'basic' as const, name, attributes: {} } });
  const decide = async (name: string, who?: ReturnType<typeof user>) => (await policy.handle(basic(name), who)).result;

  it.each([
    // the Kubernetes proxy goes around every Organization: the sovereign-admin's only
    ['kubernetes.proxy', user('user:default/root'), AuthorizeResult.ALLOW],
    ['kubernetes.proxy', user('user:acme/ada', ['group:acme/catalyst-org-admin']), AuthorizeResult.DENY],
    ['kubernetes.proxy', undefined, AuthorizeResult.DENY],
    // Kubernetes reads and the scaffolder: a role in some Organization (role Groups count)
    ['kubernetes.resources.read', user('user:acme/vic', ['group:acme/catalyst-org-viewer']), AuthorizeResult.ALLOW],
    ['kubernetes.clusters.read', user('user:default/stranger'), AuthorizeResult.DENY],
    ['scaffolder.task.create', user('user:default/layla'), AuthorizeResult.ALLOW],
    ['scaffolder.action.execute', user('user:default/stranger'), AuthorizeResult.DENY],
    ['scaffolder.task.create', undefined, AuthorizeResult.DENY],
  ])('%s for %j → %s', async (name, who, expected) => {
    expect(await decide(name, who)).toBe(expected);
  });

  it("takes a role from the identity provider's role Group like one from a binding", async () => {
    const decision = await policy.handle(
      { permission: catalystPermissions.install },
      user('user:globex/gus', ['group:globex/catalyst-org-developer']),
    );
    const condition = (decision as unknown as { conditions: { params: { grants: string[] } } }).conditions;
    expect(condition.params.grants).toEqual(['org-developer:globex:*']);
  });
});
