import authPlugin from '@backstage/plugin-auth-backend';
import {
  browse,
  CatalystTestBackend,
  CookieJar,
  formOf,
  pageOf,
  postForm,
  redirectOf,
  signInToBackstage,
  startCatalystTestBackend,
  tokenClaims,
} from '@internal/catalyst-test-utils';
import { IdentityProvider, startIdentityProvider } from '@internal/idp';
// The module is tested with the plugin it signs people in to: the catalyst backend, by package.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import authModuleCatalystProvider from '.';

jest.setTimeout(120_000);

/** Everything but the Date: the servers in this process keep working while their clock jumps. */
const TIMERS = [
  'hrtime',
  'nextTick',
  'performance',
  'queueMicrotask',
  'requestAnimationFrame',
  'cancelAnimationFrame',
  'requestIdleCallback',
  'cancelIdleCallback',
  'setImmediate',
  'clearImmediate',
  'setInterval',
  'clearInterval',
  'setTimeout',
  'clearTimeout',
] as const;

const freePort = () =>
  new Promise<number>((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });

/**
 * Sign-in as it runs in the portal: the local OpenID Connect provider (the Keycloak stand-in, both
 * topologies) → Backstage's auth backend with this module → Catalyst's REST API with the token it
 * issued, all real, over loopback.
 */
describe.each([
  ['shared-sovereign', 'oidc', undefined],
  ['per-organization', 'oidc-acme', 'acme'],
])('sign-in through Keycloak, %s topology', (topology, providerId, realmOrg) => {
  let idp: IdentityProvider;
  let backend: CatalystTestBackend;
  let dir: string;
  let url: string;

  beforeAll(async () => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-signin-'));
    const port = await freePort();
    url = `http://localhost:${port}`;
    idp = await startIdentityProvider({ dataDir: dir, port: 0, portalUrl: url });
    const provider = (realm: string) => ({
      development: {
        metadataUrl: `${idp.issuer(realm)}/.well-known/openid-configuration`,
        clientId: 'catalyst-portal',
        clientSecret: 'catalyst-dev-secret',
        prompt: 'auto',
        additionalScopes: ['groups', 'offline_access'],
      },
    });
    backend = await startCatalystTestBackend({
      catalyst: [catalystBackend, catalystPermissionPolicy],
      extraFeatures: [authPlugin, authModuleCatalystProvider],
      realAuth: true,
      publicPort: port,
      users: [],
      bindings: [],
      config: { keycloakTopology: topology },
      rootConfig: {
        auth: {
          session: { secret: 'test-session-secret' },
          providers:
            topology === 'shared-sovereign'
              ? { oidc: provider('catalyst') }
              : { 'oidc-acme': provider('acme'), 'oidc-globex': provider('globex') },
        },
      },
    });
  });
  afterAll(async () => {
    await backend?.stop();
    await idp?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const signIn = (username: string, password = `${username}-demo`, provider = providerId) =>
    signInToBackstage({ backendUrl: url, appOrigin: url, providerId: provider, username, password });

  /** What Backstage holds for the token's user: its ownership refs (kept beside, not in, the token). */
  const ownership = async (token: string) => {
    const res = await fetch(`${url}/api/auth/v1/userinfo`, { headers: { authorization: `Bearer ${token}` } });
    const body = await res.text();
    if (!res.ok) throw new Error(`userinfo ${res.status}: ${body}`);
    return (JSON.parse(body) as { claims: { ent: string[] } }).claims.ent;
  };

  /** An ID token straight from the identity provider (a password grant is not offered: the code flow). */
  const idpIdToken = async (username: string) => {
    const realm = realmOrg ?? 'catalyst';
    const discovery = (await (await fetch(`${idp.issuer(realm)}/.well-known/openid-configuration`)).json()) as {
      authorization_endpoint: string;
      token_endpoint: string;
    };
    const jar = new CookieJar();
    const redirectUri = `${url}/api/auth/${providerId}/handler/frame`;
    const login = pageOf(
      await browse(
        jar,
        `${discovery.authorization_endpoint}?${new URLSearchParams({
          client_id: 'catalyst-portal',
          response_type: 'code',
          scope: 'openid profile',
          redirect_uri: redirectUri,
          state: 'test-state',
          nonce: 'test-nonce',
        })}`,
      ),
    );
    const form = formOf(login);
    const back = redirectOf(
      await postForm(jar, form.action, { ...form.fields, username, password: `${username}-demo` }, idp.url),
    );
    const code = new URL(back).searchParams.get('code')!;
    const res = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        authorization: `Basic ${Buffer.from('catalyst-portal:catalyst-dev-secret').toString('base64')}`,
      },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: redirectUri }).toString(),
    });
    return ((await res.json()) as { id_token: string }).id_token;
  };

  const api = (token: string, path: string) =>
    fetch(`${url}/api/catalyst${path}`, { headers: { authorization: `Bearer ${token}` } });

  it('issues an identity from the claims alone: User ref, Organization and team Groups, and the role', async () => {
    const ada = await signIn('ada');
    expect(ada.claims.sub).toBe('user:acme/ada');
    expect(await ownership(ada.token)).toEqual([
      'user:acme/ada',
      'group:default/acme',
      'group:acme/team-platform',
      'group:acme/catalyst-org-admin',
    ]);
    // Catalyst takes the role from the token: an org-admin of acme, nothing in globex
    const envs = (await (await api(ada.token, '/environments')).json()) as { items: Array<{ name: string }> };
    expect(envs.items.map(e => e.name)).toEqual(['acme-dev', 'acme-prod', 'acme-stg']);
  });

  it('gives each role what it may do', async () => {
    const vic = await signIn('vic');
    expect(await ownership(vic.token)).toContain('group:acme/catalyst-org-viewer');
    const install = await fetch(`${url}/api/catalyst/environments/acme-dev/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${vic.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ application: 'cache', blueprint: 'bp-redis' }),
    });
    expect(install.status).toBe(403);
    expect(((await install.json()) as { error: { code: string } }).error.code).toBe('not-allowed');
  });

  it('keeps Organizations apart', async () => {
    // shared realm: everyone signs in at one issuer; per-organization: globex's people at globex's
    const gina = await signIn('gina', 'gina-demo', realmOrg ? 'oidc-globex' : providerId);
    expect(gina.claims.sub).toBe('user:globex/gina');
    expect((await api(gina.token, '/environments/acme-dev')).status).toBe(404);
    expect(
      ((await (await api(gina.token, '/environments')).json()) as { items: Array<{ name: string }> }).items.map(
        e => e.name,
      ),
    ).toEqual(['globex-dev']);
  });

  // What only one topology has: the Sovereign's own admins sign in at the shared issuer; an
  // Organization's issuer knows its own people only.
  const topologyOnly: Array<[string, () => Promise<unknown>, unknown]> = realmOrg
    ? [
        [
          "refuses another Organization's people at this Organization's issuer",
          () =>
            signIn('gina').then(
              () => 'signed in',
              error => /Invalid username or password/.exec(String(error))?.[0],
            ),
          'Invalid username or password',
        ],
      ]
    : [
        [
          'signs in the sovereign-admin, of no Organization, with the Sovereign-wide role',
          async () => {
            const sofia = await signIn('sofia');
            return [
              sofia.claims.sub,
              (await ownership(sofia.token)).includes('group:default/catalyst-sovereign-admin'),
              (await api(sofia.token, '/environments/globex-dev')).status,
            ];
          },
          ['user:default/sofia', true, 200],
        ],
      ];
  it.each(topologyOnly)('%s', async (_name, run, expected) => {
    expect(await run()).toEqual(expected);
  });

  it('refuses a wrong password, and forged, foreign and expired tokens at the API', async () => {
    await expect(signIn('ada', 'not-the-password')).rejects.toThrow(/Invalid username or password/);
    const ada = await signIn('ada');
    expect((await api(ada.token, '/environments')).status).toBe(200);
    // forged: another subject under ada's signature
    const [header, , signature] = ada.token.split('.');
    const forged = Buffer.from(JSON.stringify({ ...tokenClaims(ada.token), sub: 'user:default/sofia' })).toString(
      'base64url',
    );
    expect((await api(`${header}.${forged}.${signature}`, '/environments')).status).toBe(401);
    // foreign: the identity provider's own ID token (another issuer, another audience)
    expect((await api(await idpIdToken('ada'), '/environments')).status).toBe(401);
    expect((await api('not-a-token', '/environments')).status).toBe(401);
    // expired: the same token an hour and more later (only the clock moves)
    jest.useFakeTimers({ now: Date.now() + 2 * 60 * 60 * 1000, doNotFake: [...TIMERS] });
    try {
      expect((await api(ada.token, '/environments')).status).toBe(401);
    } finally {
      jest.useRealTimers();
    }
  });

  it('takes a team away at the next refresh, and refuses the older token from then on', async () => {
    const pat = await signIn('pat');
    expect(await ownership(pat.token)).toContain('group:acme/team-platform');
    expect((await api(pat.token, '/environments')).status).toBe(200);

    // The directory changes: pat leaves team-platform (the IdP reads its users file again).
    const users = JSON.parse(fs.readFileSync(idp.usersFile, 'utf8')) as {
      users: Array<{ username: string; groups: string[] }>;
    };
    users.users.find(u => u.username === 'pat')!.groups = [];
    fs.writeFileSync(idp.usersFile, JSON.stringify(users, null, 2));

    const refreshed = await pat.refresh();
    expect(refreshed.status).toBe(200);
    expect(await ownership(refreshed.token!)).not.toContain('group:acme/team-platform');
    expect(await ownership(refreshed.token!)).toContain('group:acme/catalyst-org-developer');
    expect((await api(refreshed.token!, '/environments')).status).toBe(200);
    // the token from before the change claims the team: refused, with the reason
    const stale = await api(pat.token, '/environments');
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('group:acme/team-platform'),
    });
  });
});
