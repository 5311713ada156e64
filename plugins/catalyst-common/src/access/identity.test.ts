import {
  DEFAULT_IDENTITY_MAPPING,
  ENTRA_IDENTITY_MAPPING,
  grantsFromOwnershipRefs,
  identityFromClaims,
  identityOwnershipRefs,
  IdentityMapping,
  isRoleGroupName,
  msgraphEntityName,
  roleGroupRef,
} from './identity';

// Keycloak's default mappers (the local IdP issues the same shapes).
const keycloak = (over: Record<string, unknown>) => ({
  sub: '0d6f6a58-4b4a-4f84-9c49-1',
  preferred_username: 'layla',
  name: 'Layla Al-Harthy',
  email: 'layla@acme.example',
  org: 'acme',
  groups: ['/acme/team-apps'],
  realm_access: { roles: ['org-developer', 'offline_access', 'uma_authorization'] },
  ...over,
});

// Entra ID: tenant id, object id, group object ids, app roles, UPN as preferred_username.
const entraMapping: IdentityMapping = {
  ...ENTRA_IDENTITY_MAPPING,
  tenants: { '72f988bf-0000-0000-0000-000000000001': 'acme' },
  groups: {
    'a6f7d1e2-0000-0000-0000-00000000platf': { organization: 'acme', team: 'team-platform' },
    'b1c2d3e4-0000-0000-0000-0000000000sec': { organization: 'acme', team: 'team-security', role: 'security-officer' },
    'c0ffee00-0000-0000-0000-00000000admin': { role: 'sovereign-admin' },
  },
  roles: { 'Catalyst.Developer': 'org-developer', 'Catalyst.Admin': 'org-admin' },
};
const entra = (over: Record<string, unknown>) => ({
  tid: '72f988bf-0000-0000-0000-000000000001',
  oid: '3f1f0a5e-0000-0000-0000-0000000000aa',
  preferred_username: 'Ada.Lovelace@acme.onmicrosoft.com',
  name: 'Ada Lovelace',
  groups: ['a6f7d1e2-0000-0000-0000-00000000platf'],
  roles: ['Catalyst.Admin'],
  ...over,
});

describe('identityFromClaims', () => {
  it.each([
    [
      'a Keycloak developer in the shared realm',
      keycloak({}),
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      { userRef: 'user:acme/layla', organization: 'acme', teams: ['team-apps'], role: 'org-developer' },
    ],
    [
      'the organization from the group path when there is no org claim',
      keycloak({
        org: undefined,
        groups: ['/acme/team-platform', '/acme/team-security'],
        realm_access: { roles: ['org-admin'] },
      }),
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      {
        userRef: 'user:acme/layla',
        organization: 'acme',
        teams: ['team-platform', 'team-security'],
        role: 'org-admin',
      },
    ],
    [
      'a sovereign-admin by group, of no Organization',
      { preferred_username: 'sofia', groups: ['/catalyst-admins'], realm_access: { roles: [] } },
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      { userRef: 'user:default/sofia', teams: [], role: 'sovereign-admin' },
    ],
    [
      "per-organization realm: the issuer's Organization, groups without the prefix",
      keycloak({ org: undefined, groups: ['/team-platform'], realm_access: { roles: ['org-admin'] } }),
      DEFAULT_IDENTITY_MAPPING,
      'acme',
      { userRef: 'user:acme/layla', organization: 'acme', teams: ['team-platform'], role: 'org-admin' },
    ],
    [
      'a group of another Organization gives no team there',
      keycloak({ groups: ['/acme/team-apps', '/globex/team-ops'] }),
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      { organization: 'acme', teams: ['team-apps'], role: 'org-developer' },
    ],
    [
      'the most privileged of several roles',
      keycloak({ realm_access: { roles: ['org-viewer', 'security-officer', 'org-developer'] } }),
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      { role: 'security-officer' },
    ],
    [
      'no role named: no role, unless a default role is configured',
      keycloak({ realm_access: { roles: ['offline_access'] } }),
      DEFAULT_IDENTITY_MAPPING,
      undefined,
      { organization: 'acme', teams: ['team-apps'], role: undefined },
    ],
    [
      'the default role for members without one',
      keycloak({ realm_access: { roles: [] } }),
      { ...DEFAULT_IDENTITY_MAPPING, defaultRole: 'org-viewer' as const },
      undefined,
      { role: 'org-viewer' },
    ],
    [
      'Entra: tenant → Organization, app role mapped, group object ids → teams, named as Graph ingestion names',
      entra({}),
      entraMapping,
      undefined,
      {
        userRef: 'user:default/ada.lovelace_acme.onmicrosoft.com',
        organization: 'acme',
        teams: ['team-platform'],
        role: 'org-admin',
      },
    ],
    [
      "Entra: the mail (`email`) before the UPN, as Graph ingestion's user transformer, when its domain is verified",
      entra({ email: 'ada@acme.example', xms_edov: true, upn: 'ada.l@acme.onmicrosoft.com' }),
      entraMapping,
      undefined,
      { userRef: 'user:default/ada_acme.example', role: 'org-admin' },
    ],
    [
      // a tenant's admin may set anyone's mail to another person's address (another tenant's too)
      'Entra: an unverified mail names nobody; the UPN does',
      entra({ email: 'sofia@catalyst.example', upn: 'mallory@acme.onmicrosoft.com' }),
      entraMapping,
      undefined,
      { userRef: 'user:default/mallory_acme.onmicrosoft.com', role: 'org-admin' },
    ],
    [
      'Entra: a claim that makes no entity name gives way to the next',
      entra({ email: `${'a'.repeat(60)}@acme.example`, xms_edov: true, upn: 'ada.l@acme.onmicrosoft.com' }),
      entraMapping,
      undefined,
      { userRef: 'user:default/ada.l_acme.onmicrosoft.com', role: 'org-admin' },
    ],
    [
      // (a group the Sovereign's configuration maps by object id still may: ids are Entra's, not the tenant's)
      "Entra: an Organization's tenant makes nobody a sovereign-admin by app role (its admins assign those)",
      entra({ roles: ['sovereign-admin'] }),
      entraMapping,
      undefined,
      { organization: 'acme', role: undefined },
    ],
    [
      "Entra: the Sovereign's own tenant (mapped to no Organization) may",
      entra({ tid: 'sovereign-tenant', roles: ['sovereign-admin'], groups: [] }),
      entraMapping,
      undefined,
      { role: 'sovereign-admin' },
    ],
    [
      'Entra: the UPN claim before preferred_username',
      entra({ upn: 'ada.l@acme.onmicrosoft.com' }),
      entraMapping,
      undefined,
      { userRef: 'user:default/ada.l_acme.onmicrosoft.com', role: 'org-admin' },
    ],
    [
      'Entra: a group can carry a role',
      entra({ roles: [], groups: ['b1c2d3e4-0000-0000-0000-0000000000sec'] }),
      entraMapping,
      undefined,
      { teams: ['team-security'], role: 'security-officer' },
    ],
    [
      'Entra: unknown group ids and roles mean nothing',
      entra({ roles: ['Other.Role'], groups: ['ffffffff-0000-0000-0000-000000000000'] }),
      entraMapping,
      undefined,
      { organization: 'acme', teams: [], role: undefined },
    ],
  ])('%s', (_name, claims, mapping, issuerOrganization, expected) => {
    const result = identityFromClaims(claims, mapping, issuerOrganization);
    const { role, ...rest } = expected as { role?: string };
    expect(result).toMatchObject({ ok: true, identity: rest });
    // every row names the role it expects; undefined means none
    expect((result as { identity?: { role?: string } }).identity?.role).toBe(role);
  });

  it.each([
    ['no username', keycloak({ preferred_username: undefined }), /preferred_username/],
    ['an Organization that is not a slug', keycloak({ org: 'ACME Corp' }), /not an Organization name/],
    ['a role without an Organization', keycloak({ org: undefined, groups: [] }), /org-developer but no Organization/],
  ])('refuses %s', (_name, claims, reason) => {
    const result = identityFromClaims(claims, DEFAULT_IDENTITY_MAPPING);
    expect(result).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });

  it("keeps two tenants' people of the same local part apart under Entra", () => {
    // namespace default, as app-config.production.yaml has it: the names alone must differ
    const mapping: IdentityMapping = {
      ...entraMapping,
      userNamespace: 'default',
      tenants: { ...entraMapping.tenants, 'globex-tid': 'globex' },
    };
    const acme = identityFromClaims(entra({ preferred_username: 'ada@acme.example' }), mapping);
    const globex = identityFromClaims(entra({ tid: 'globex-tid', preferred_username: 'ada@globex.example' }), mapping);
    expect([acme, globex].map(r => (r.ok ? [r.identity.userRef, r.identity.organization] : r.reason))).toEqual([
      ['user:default/ada_acme.example', 'acme'],
      ['user:default/ada_globex.example', 'globex'],
    ]);
  });

  // Expected names are what @backstage/plugin-catalog-backend-module-msgraph's normalizeEntityName
  // gives (its default user transformer names ingested users so).
  it.each([
    ['Ada.Lovelace@Acme.Example', 'ada.lovelace_acme.example'],
    ['  ada+ops@acme.example ', 'ada_ops_acme.example'],
    ['ada@@acme.example!!', 'ada_acme.example'],
    ["o'brien@acme.example", 'o_brien_acme.example'],
  ])('names %j as Microsoft Graph ingestion does: %s', (value, name) => {
    expect(msgraphEntityName(value)).toBe(name);
  });

  it('refuses an Entra username that is no entity name', () => {
    expect(identityFromClaims(entra({ preferred_username: `${'a'.repeat(60)}@acme.example` }), entraMapping)).toEqual({
      ok: false,
      reason: 'the token has no usable email or upn or preferred_username claim',
    });
  });

  it('puts User refs in the default namespace when catalog ingestion does', () => {
    expect(identityFromClaims(keycloak({}), { ...DEFAULT_IDENTITY_MAPPING, userNamespace: 'default' })).toMatchObject({
      identity: { userRef: 'user:default/layla' },
    });
  });

  it('keeps the profile for commit authorship', () => {
    expect(identityFromClaims(keycloak({}), DEFAULT_IDENTITY_MAPPING)).toMatchObject({
      identity: { displayName: 'Layla Al-Harthy', email: 'layla@acme.example' },
    });
  });
});

describe('role refs', () => {
  it('round-trips an identity through ownership refs to its grants', () => {
    const result = identityFromClaims(keycloak({ realm_access: { roles: ['org-admin'] } }), DEFAULT_IDENTITY_MAPPING);
    if (!result.ok) throw new Error(result.reason);
    const refs = identityOwnershipRefs(result.identity);
    expect(refs).toEqual([
      'user:acme/layla',
      'group:default/acme',
      'group:acme/team-apps',
      'group:acme/catalyst-org-admin',
    ]);
    expect(grantsFromOwnershipRefs(refs)).toEqual([{ role: 'org-admin', organization: 'acme' }]);
    expect(grantsFromOwnershipRefs([roleGroupRef('sovereign-admin')])).toEqual([
      { role: 'sovereign-admin', organization: '*' },
    ]);
  });

  it('reads no grant from other Groups, unknown roles, or a sovereign-admin ref outside default', () => {
    expect(
      grantsFromOwnershipRefs([
        'group:acme/team-platform',
        'group:acme/catalyst-superuser',
        'group:acme/catalyst-sovereign-admin',
        'user:acme/catalyst-org-admin',
      ]),
    ).toEqual([]);
    expect(isRoleGroupName('catalyst-org-admin')).toBe(true);
    expect(isRoleGroupName('team-platform')).toBe(false);
  });
});
