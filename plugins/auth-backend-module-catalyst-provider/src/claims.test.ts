import type { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import type { OAuthAuthenticatorResult } from '@backstage/plugin-auth-node';
import { ACME_PLATFORM_GROUP, ACME_TENANT, entraClaims, entraIdToken } from './__fixtures__/entraTokens';
import { idTokenClaims, oidcClaims } from './claims';

const session = (idToken?: string) => ({
  accessToken: 'access',
  tokenType: 'Bearer',
  scope: 'openid profile email offline_access',
  ...(idToken !== undefined ? { idToken } : {}),
});

describe('idTokenClaims (Entra ID)', () => {
  it('reads what only the ID token has: tenant, object id, group object ids, app roles', () => {
    const claims = idTokenClaims({ fullProfile: {}, session: session(entraIdToken(entraClaims())) });
    expect(claims).toMatchObject({
      tid: ACME_TENANT,
      oid: '3f1f0a5e-0000-0000-0000-0000000000aa',
      preferred_username: 'ada@acme.example',
      groups: [ACME_PLATFORM_GROUP],
      roles: ['Catalyst.OrgAdmin'],
    });
  });

  it.each([
    ['no ID token', undefined],
    ['a payload that is not JSON', `e30.${Buffer.from('not json').toString('base64url')}.c2ln`],
    ['no payload at all', 'just-one-part'],
  ])('gives no claims for %s (the resolver then refuses: no username)', (_name, idToken) => {
    expect(idTokenClaims({ fullProfile: {}, session: session(idToken) })).toEqual({});
  });
});

describe('oidcClaims (Keycloak)', () => {
  const result = (claims: () => Record<string, unknown>, userinfo: Record<string, unknown>) =>
    ({
      fullProfile: { tokenset: { claims }, userinfo },
      session: session('unused'),
    } as unknown as OAuthAuthenticatorResult<OidcAuthResult>);

  it('puts the ID token claims over userinfo', () => {
    const claims = oidcClaims(
      result(() => ({ preferred_username: 'pat', groups: ['/acme/team-platform'] }), {
        preferred_username: 'pat',
        groups: ['/acme/team-apps'],
        email: 'pat@acme.example',
      }),
    );
    expect(claims).toEqual({ preferred_username: 'pat', groups: ['/acme/team-platform'], email: 'pat@acme.example' });
  });

  it('takes userinfo alone when a refresh answer carries no ID token', () => {
    const claims = oidcClaims(
      result(
        () => {
          throw new Error('id_token not present in TokenSet');
        },
        { preferred_username: 'pat', groups: [] },
      ),
    );
    expect(claims).toEqual({ preferred_username: 'pat', groups: [] });
  });
});
