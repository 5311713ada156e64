import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import authPlugin from '@backstage/plugin-auth-backend';
import type { AuthResolverContext, TokenParams } from '@backstage/plugin-auth-node';
import type { IdentityRecordBody } from '@internal/plugin-catalyst-common';
import {
  ACME_PLATFORM_GROUP,
  ACME_TENANT,
  ENTRA_CONFIG,
  entraClaims,
  entraIdToken,
  GLOBEX_OPS_GROUP,
  GLOBEX_TENANT,
} from './__fixtures__/entraTokens';
import { idTokenClaims } from './claims';
import { readEntraMapping } from './mapping';
import { catalystSignInResolver } from './resolver';
import authModuleCatalystProvider from '.';

/**
 * The resolver as the Microsoft provider runs it: Entra's ID token → `idTokenClaims` → the mapping
 * of `catalyst.identity.microsoft`. Entra itself cannot run here, so the auth plugin's context is
 * the edge: it issues what the resolver asks for, and refuses catalog lookups (the resolver
 * must not need the catalog).
 */
describe('catalystSignInResolver with Entra ID', () => {
  const mapping = readEntraMapping(
    new ConfigReader({ catalyst: { identity: { microsoft: { ...ENTRA_CONFIG, userNamespace: 'default' } } } }),
  );
  const issued: TokenParams[] = [];
  const recorded: IdentityRecordBody[] = [];
  const ctx: AuthResolverContext = {
    issueToken: async params => {
      issued.push(params);
      return { token: `token-for-${params.claims.sub}` };
    },
    findCatalogUser: () => Promise.reject(new Error('the resolver looked the user up in the catalog')),
    signInWithCatalogUser: () => Promise.reject(new Error('the resolver signed in through the catalog')),
    resolveOwnershipEntityRefs: () => Promise.reject(new Error('the resolver resolved ownership from the catalog')),
  };
  const resolver = catalystSignInResolver({
    mapping,
    claimsOf: idTokenClaims,
    record: async body => void recorded.push(body),
    logger: mockServices.logger.mock(),
  });
  const signIn = (claims: Record<string, unknown>) =>
    resolver(
      {
        result: {
          fullProfile: { provider: 'microsoft', id: String(claims.oid), displayName: String(claims.name) },
          session: { accessToken: 'graph-access', tokenType: 'Bearer', scope: 'openid', idToken: entraIdToken(claims) },
        },
      },
      ctx,
    );

  beforeEach(() => {
    issued.length = 0;
    recorded.length = 0;
  });

  it("issues the Graph-ingested User's ref, the tenant's Organization, the group ids' teams and the app role", async () => {
    expect(await signIn(entraClaims())).toEqual({ token: 'token-for-user:default/ada_acme.example' });
    expect(issued).toEqual([
      {
        claims: {
          sub: 'user:default/ada_acme.example',
          ent: [
            'user:default/ada_acme.example',
            'group:default/acme',
            'group:acme/team-platform',
            'group:acme/catalyst-org-admin',
          ],
        },
      },
    ]);
    expect(recorded).toEqual([
      {
        userRef: 'user:default/ada_acme.example',
        ownershipRefs: issued[0].claims.ent,
        displayName: 'Ada Okafor',
        organization: 'acme',
        role: 'org-admin',
      },
    ]);
  });

  it("gives two tenants' people of the same local part two identities", async () => {
    await signIn(entraClaims());
    await signIn(
      entraClaims({
        tid: GLOBEX_TENANT,
        oid: '9a9a9a9a-0000-0000-0000-0000000000bb',
        preferred_username: 'ada@globex.example',
        groups: [GLOBEX_OPS_GROUP],
        roles: ['Catalyst.Developer'],
      }),
    );
    expect(issued.map(p => p.claims.sub)).toEqual(['user:default/ada_acme.example', 'user:default/ada_globex.example']);
    expect(issued[1].claims.ent).toEqual([
      'user:default/ada_globex.example',
      'group:default/globex',
      'group:globex/team-ops',
      'group:globex/catalyst-org-developer',
    ]);
  });

  it.each([
    [
      'a role from a tenant no Organization is mapped to',
      { tid: '00000000-0000-0000-0000-00000000dead', groups: [] },
      /org-admin but no Organization/,
    ],
    ['no username claim at all', { preferred_username: undefined }, /no usable email or upn or preferred_username/],
  ])('refuses %s, issuing nothing', async (_name, over, reason) => {
    await expect(signIn(entraClaims(over))).rejects.toThrow(reason);
    expect(issued).toEqual([]);
    expect(recorded).toEqual([]);
  });

  it('signs in a member of no mapped group or role with no rights, rather than guessing', async () => {
    await signIn(entraClaims({ groups: ['ffffffff-0000-0000-0000-000000000000'], roles: [] }));
    expect(issued[0].claims.ent).toEqual(['user:default/ada_acme.example', 'group:default/acme']);
  });
});

describe('the microsoft provider registration', () => {
  it("registers `microsoft` on the auth plugin with Entra's endpoints, and no Keycloak provider unasked", async () => {
    const { server } = await startTestBackend({
      features: [
        authPlugin,
        authModuleCatalystProvider,
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            auth: {
              session: { secret: 'test-session-secret' },
              providers: {
                microsoft: {
                  development: { clientId: 'catalyst-portal', clientSecret: 'unused', tenantId: ACME_TENANT },
                },
              },
            },
            catalyst: { identity: { microsoft: ENTRA_CONFIG } },
          },
        }),
      ],
    });
    const start = await fetch(
      `http://localhost:${server.port()}/api/auth/microsoft/start?env=development&origin=http://localhost:3000`,
      { redirect: 'manual' },
    );
    expect(start.status).toBe(302);
    const to = new URL(start.headers.get('location')!);
    expect(`${to.origin}${to.pathname}`).toBe(`https://login.microsoftonline.com/${ACME_TENANT}/oauth2/v2.0/authorize`);
    expect(to.searchParams.get('client_id')).toBe('catalyst-portal');
    expect(to.searchParams.get('scope')?.split(' ')).toEqual(expect.arrayContaining(['openid', 'offline_access']));
    const oidc = await fetch(`http://localhost:${server.port()}/api/auth/oidc/start?env=development`, {
      redirect: 'manual',
    });
    expect(oidc.status).toBe(404);
  });

  it('stops the start on a malformed catalyst.identity.microsoft, with its path', async () => {
    await expect(
      startTestBackend({
        features: [
          authPlugin,
          authModuleCatalystProvider,
          mockServices.rootConfig.factory({
            data: {
              auth: { session: { secret: 's' }, providers: {} },
              catalyst: { identity: { microsoft: { groups: { [ACME_PLATFORM_GROUP]: { role: 'owner' } } } } },
            },
          }),
        ],
      }),
    ).rejects.toThrow(/catalyst\.identity\.microsoft\.groups\..*role/);
  });
});
