import { AuthService, coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import authPlugin from '@backstage/plugin-auth-backend';
import {
  browse,
  CatalystTestBackend,
  CookieJar,
  formOf,
  freePort,
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

/** Another plugin of the same backend, holding its real auth service: tokens for other audiences. */
let probeAuth: AuthService;
const probePlugin = createBackendPlugin({
  pluginId: 'probe',
  register(reg) {
    reg.registerInit({ deps: { auth: coreServices.auth }, init: async ({ auth }) => void (probeAuth = auth) });
  },
});

/** An open `GET /events` stream, read frame by frame (`event:` name and `data:` JSON). */
async function openEvents(url: string, token: string) {
  const res = await fetch(url, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' } });
  if (res.status !== 200) throw new Error(`events ${res.status}: ${await res.text()}`);
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  /** The next frame with an event name; `undefined` once the server has ended the stream. */
  const next = async (): Promise<{ event: string; data: unknown } | undefined> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const lines = buffer.slice(0, end).split('\n');
        buffer = buffer.slice(end + 2);
        const event = lines.find(l => l.startsWith('event: '))?.slice(7);
        const data = lines.filter(l => l.startsWith('data: ')).map(l => l.slice(6));
        if (event) return { event, data: JSON.parse(data.join('\n')) };
        continue;
      }
      const chunk = await reader.read();
      if (chunk.done) return undefined;
      buffer += chunk.value;
    }
  };
  return { next, cancel: () => reader.cancel().catch(() => undefined) };
}

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
      extraFeatures: [authPlugin, authModuleCatalystProvider, probePlugin],
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

  it('refuses a token Backstage signed for another audience: only the audience differs', async () => {
    const ada = await signIn('ada');
    const asAda = await probeAuth.authenticate(ada.token);
    const tokenFor = async (targetPluginId: string, onBehalfOf = asAda) =>
      (await probeAuth.getPluginRequestToken({ onBehalfOf, targetPluginId })).token;
    // the same key, the same subject, aimed at catalyst: accepted
    expect((await api(await tokenFor('catalyst'), '/environments')).status).toBe(200);
    expect(
      (await api(await tokenFor('catalyst', await probeAuth.getOwnServiceCredentials()), '/environments')).status,
    ).toBe(200);
    // aimed at the catalog: refused, for ada and for the plugin itself
    for (const token of [
      await tokenFor('catalog'),
      await tokenFor('catalog', await probeAuth.getOwnServiceCredentials()),
    ]) {
      const res = await api(token, '/environments');
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('unauthenticated');
    }
  });

  it('takes a team away at the next refresh: the open stream ends, the team approval no longer counts', async () => {
    const pat = await signIn('pat');
    expect(await ownership(pat.token)).toContain('group:acme/team-platform');
    expect((await api(pat.token, '/environments')).status).toBe(200);
    // pat watches acme-dev live, with the token from before the change
    const stream = await openEvents(`${url}/api/catalyst/events?environment=acme-dev`, pat.token);
    const opening: string[] = [];
    for (let frame = await stream.next(); frame && opening.push(frame.event) && frame.event !== 'ready'; ) {
      frame = await stream.next();
    }
    expect(opening).toEqual(['snapshot', 'ready']);
    // a change request into acme-prod, whose policy wants approvals from team-platform and team-security
    const opened = await fetch(`${url}/api/catalyst/environments/acme-prod/applications`, {
      method: 'POST',
      headers: { authorization: `Bearer ${(await signIn('ada')).token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ application: `cache-${realmOrg ?? 'shared'}`, blueprint: 'bp-redis' }),
    });
    expect(opened.status).toBe(202);
    const crId = ((await opened.json()) as { changeRequest: { id: string } }).changeRequest.id;
    const approve = (token: string) =>
      fetch(`${url}/api/catalyst/change-requests/${crId}/approve`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    // a team approval counts while the team is held: sam's, for team-security
    expect((await approve((await signIn('sam')).token)).status).toBe(200);

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

    // the stream opened with the older token ends, saying why, and the server closes it
    const ending: Array<{ event: string; data: unknown }> = [];
    for (let frame = await stream.next(); frame; frame = await stream.next()) ending.push(frame);
    expect(ending.filter(f => f.event !== 'change')).toEqual([
      {
        event: 'end',
        data: { reason: 'access-changed', detail: expect.stringContaining('group:acme/team-platform') },
      },
    ]);
    // pat, still a developer who may approve, approves with the new token: not for team-platform
    expect((await approve(refreshed.token!)).status).toBe(200);
    const cr = (await (await api(refreshed.token!, `/change-requests/${crId}`)).json()) as {
      evaluation: { verdicts: Array<{ rule: { kind: string }; details: Record<string, unknown> }> };
    };
    expect(cr.evaluation.verdicts.find(v => v.rule.kind === 'pr-required')?.details).toMatchObject({
      approvedBy: { 'team-platform': [], 'team-security': ['user:acme/sam'] },
      missingTeams: ['team-platform'],
      ignoredApprovals: [{ user: 'user:acme/pat', why: 'not-a-member' }],
    });
    // the token from before the change claims the team: refused, with the reason
    const stale = await api(pat.token, '/environments');
    expect(stale.status).toBe(401);
    expect(((await stale.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'unauthenticated',
      message: expect.stringContaining('group:acme/team-platform'),
    });
  });
});
