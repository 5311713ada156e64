import { ConfigReader } from '@backstage/config';
import { DEFAULT_IDENTITY_MAPPING, identityFromClaims } from '@internal/plugin-catalyst-common';
import {
  ACME_PLATFORM_GROUP,
  ACME_SECURITY_GROUP,
  ENTRA_CONFIG,
  entraClaims,
  GLOBEX_OPS_GROUP,
  GLOBEX_TENANT,
} from './__fixtures__/entraTokens';
import { readEntraMapping, readKeycloakMapping } from './mapping';

const config = (identity: object | undefined) =>
  new ConfigReader({ catalyst: { identity } } as ConstructorParameters<typeof ConfigReader>[0]);

describe('readEntraMapping', () => {
  const entra = readEntraMapping(config({ microsoft: ENTRA_CONFIG }));

  it('defaults to the names Microsoft Graph ingestion gives users, in namespace default', () => {
    expect(readEntraMapping(config(undefined))).toMatchObject({
      usernameClaim: ['email', 'upn', 'preferred_username'],
      userEntityName: 'msgraph',
      userNamespace: 'default',
      rolesClaim: 'roles',
      groupsClaim: 'groups',
      sovereignAdminGroups: [],
    });
  });

  it.each([
    [
      'an org-admin of acme in team-platform',
      entraClaims(),
      {
        userRef: 'user:default/ada_acme.example',
        organization: 'acme',
        teams: ['team-platform'],
        role: 'org-admin',
      },
    ],
    [
      'the mail before the UPN',
      entraClaims({ email: 'Ada.Okafor@acme.example', xms_edov: true, upn: 'aokafor@acme.onmicrosoft.com' }),
      { userRef: 'user:default/ada.okafor_acme.example' },
    ],
    [
      'a security officer by app role, in two teams',
      entraClaims({ roles: ['Catalyst.SecurityOfficer'], groups: [ACME_SECURITY_GROUP, ACME_PLATFORM_GROUP] }),
      { teams: ['team-platform', 'team-security'], role: 'security-officer' },
    ],
    [
      "globex's tenant: another Organization, and acme's group ids give no team there",
      entraClaims({
        tid: GLOBEX_TENANT,
        preferred_username: 'ada@globex.example',
        roles: ['Catalyst.Viewer'],
        groups: [GLOBEX_OPS_GROUP, ACME_PLATFORM_GROUP],
      }),
      { userRef: 'user:default/ada_globex.example', organization: 'globex', teams: ['team-ops'], role: 'org-viewer' },
    ],
  ])('maps Entra claims: %s', (_name, claims, expected) => {
    expect(identityFromClaims(claims, entra)).toMatchObject({ ok: true, identity: expected });
  });

  it('takes overrides from config', () => {
    const mapping = readEntraMapping(
      config({ microsoft: { ...ENTRA_CONFIG, usernameClaim: 'upn', userNamespace: 'organization' } }),
    );
    expect(identityFromClaims(entraClaims({ upn: 'ada@acme.example' }), mapping)).toMatchObject({
      identity: { userRef: 'user:acme/ada_acme.example' },
    });
  });

  it.each([
    [{ tenants: { [GLOBEX_TENANT]: 'Globex Corp' } }, /catalyst\.identity\.microsoft\.tenants\./],
    [{ roles: { 'Catalyst.Owner': 'owner' } }, /catalyst\.identity\.microsoft\.roles\.Catalyst\.Owner/],
    [{ groups: { [GLOBEX_OPS_GROUP]: { team: 'Ops Team' } } }, /catalyst\.identity\.microsoft\.groups\./],
    [{ usernameClaim: [] }, /catalyst\.identity\.microsoft\.usernameClaim/],
    [{ userEntityName: 'upn' }, /catalyst\.identity\.microsoft\.userEntityName/],
    [{ sovereignAdminGroups: ['/admins'] }, /catalyst\.identity\.microsoft/],
  ])('stops the start on %j with the config path', (microsoft, path) => {
    expect(() => readEntraMapping(config({ microsoft }))).toThrow(path);
  });
});

describe('readKeycloakMapping', () => {
  it('is the documented defaults, and ignores the Entra subtree', () => {
    expect(readKeycloakMapping(config({ microsoft: ENTRA_CONFIG }))).toEqual(DEFAULT_IDENTITY_MAPPING);
  });

  it('keeps the local part of an e-mail-like username (an address the provider verified)', () => {
    const mapping = readKeycloakMapping(config({ usernameClaim: 'email', userNamespace: 'default' }));
    expect(
      identityFromClaims(
        { email: 'layla@acme.example', email_verified: true, org: 'acme', realm_access: { roles: ['org-viewer'] } },
        mapping,
      ),
    ).toMatchObject({ identity: { userRef: 'user:default/layla', role: 'org-viewer' } });
  });
});
