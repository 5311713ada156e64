import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { IdentityProvider, startIdentityProvider } from './startIdentityProvider';
import {
  browse,
  Client,
  CookieJar,
  discover,
  Discovery,
  formOf,
  pageOf,
  postForm,
  redirectOf,
  signIn,
  startSignIn,
  tokenRequest,
  verifiedClaims,
  waitUntilRefused,
} from './__testUtils__/browser';

const PORTAL = 'http://localhost:7107';
const SECRET = 'test-secret';
const clientFor = (providerId: string): Client => ({
  id: 'catalyst-portal',
  secret: SECRET,
  redirectUri: `${PORTAL}/api/auth/${providerId}/handler/frame`,
});
const CATALYST = clientFor('oidc');
const ACME = clientFor('oidc-acme');
const GLOBEX = clientFor('oidc-globex');

async function expectSignedIn(result: Awaited<ReturnType<typeof signIn>>) {
  if (!result.ok) throw new Error(`sign-in refused (${result.page.status}): ${result.page.body.slice(0, 500)}`);
  return result;
}

describe('startIdentityProvider', () => {
  let dataDir: string;
  let idp: IdentityProvider;
  const realm: Record<string, Discovery> = {};

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'catalyst-idp-'));
    idp = await startIdentityProvider({
      dataDir,
      port: 0,
      portalUrl: PORTAL,
      clientSecret: SECRET,
      accessTokenTtlSeconds: 120,
    });
    for (const name of ['catalyst', 'acme', 'globex']) realm[name] = await discover(idp.issuer(name));
  });
  afterAll(async () => {
    await idp?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('serves realm catalyst and one realm per Organization, at Keycloak URLs, and says it is a stand-in', async () => {
    expect(idp.url).toMatch(/^http:\/\/localhost:\d+$/);
    expect(idp.realms).toEqual(['catalyst', 'acme', 'globex']);
    const index = await (await fetch(idp.url)).json();
    expect(index).toEqual({
      kind: 'CatalystIdentityProvider',
      note: 'development stand-in for Keycloak, not a real identity provider',
      realms: ['catalyst', 'acme', 'globex'].map(name => ({ name, issuer: `${idp.url}/realms/${name}` })),
    });
    for (const name of ['catalyst', 'acme', 'globex']) {
      const d = realm[name];
      const issuer = `${idp.url}/realms/${name}`;
      expect(d.issuer).toBe(issuer);
      expect(d).toMatchObject({
        authorization_endpoint: `${issuer}/protocol/openid-connect/auth`,
        token_endpoint: `${issuer}/protocol/openid-connect/token`,
        userinfo_endpoint: `${issuer}/protocol/openid-connect/userinfo`,
        jwks_uri: `${issuer}/protocol/openid-connect/certs`,
        end_session_endpoint: `${issuer}/protocol/openid-connect/logout`,
        response_types_supported: ['code'],
      });
      expect(d.scopes_supported).toEqual(
        expect.arrayContaining(['openid', 'profile', 'email', 'groups', 'offline_access']),
      );
      expect(d.claims_supported).toEqual(
        expect.arrayContaining(['sub', 'preferred_username', 'email', 'groups', 'realm_access', 'org']),
      );
      expect(d.grant_types_supported).toEqual(expect.arrayContaining(['authorization_code', 'refresh_token']));
    }
    const missing = await fetch(`${idp.url}/realms/initech/.well-known/openid-configuration`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ error: 'Realm does not exist' });
  });

  const SIGN_INS: Array<{ realmName: string; username: string; expected: Record<string, unknown> }> = [
    {
      realmName: 'catalyst',
      username: 'sofia',
      expected: {
        groups: ['/catalyst-admins'],
        realm_access: { roles: ['sovereign-admin'] },
        email: 'sofia@catalyst.example',
      },
    },
    {
      realmName: 'catalyst',
      username: 'ada',
      expected: {
        groups: ['/acme/team-platform'],
        realm_access: { roles: ['org-admin'] },
        org: 'acme',
        email: 'ada@acme.example',
      },
    },
    {
      realmName: 'catalyst',
      username: 'gus',
      expected: { groups: ['/globex/team-ops'], realm_access: { roles: ['org-developer'] }, org: 'globex' },
    },
    {
      realmName: 'acme',
      username: 'sam',
      expected: {
        groups: ['/team-security'],
        realm_access: { roles: ['security-officer'] },
        org: 'acme',
        email: 'sam@acme.example',
      },
    },
    {
      realmName: 'acme',
      username: 'vic',
      expected: { groups: [], realm_access: { roles: ['org-viewer'] }, org: 'acme' },
    },
    {
      realmName: 'globex',
      username: 'gina',
      expected: {
        groups: ['/team-ops'],
        realm_access: { roles: ['org-admin'] },
        org: 'globex',
        email: 'gina@globex.example',
      },
    },
  ];

  it.each(SIGN_INS)(
    'realm $realmName: $username signs in with a password and gets Keycloak-shaped claims',
    async ({ realmName: name, username, expected }) => {
      const client = name === 'catalyst' ? CATALYST : clientFor(`oidc-${name}`);
      const d = realm[name];
      const { tokens, nonce } = await expectSignedIn(await signIn(d, client, username, `${username}-demo`));
      expect(tokens).toMatchObject({ token_type: 'Bearer', expires_in: 120 });
      expect(tokens.refresh_token).toEqual(expect.any(String));

      const claims = await verifiedClaims(d, tokens.id_token);
      expect(claims).toMatchObject({
        iss: d.issuer,
        aud: 'catalyst-portal',
        nonce,
        preferred_username: username,
        email_verified: true,
        ...expected,
      });
      expect(claims.sub).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expect(claims.name).toEqual(expect.any(String));
      expect(claims.exp - claims.iat).toBe(120);
      // Absent for a user of no Organization (JSON has no undefined: absent is the only way).
      expect(claims.org).toBe(expected.org);

      const userinfo = await fetch(d.userinfo_endpoint, {
        headers: { authorization: `Bearer ${tokens.access_token}` },
      });
      expect(userinfo.status).toBe(200);
      expect(await userinfo.json()).toMatchObject({ sub: claims.sub, preferred_username: username, ...expected });
    },
  );

  it('gives a user the same subject in every realm they belong to', async () => {
    const shared = await expectSignedIn(await signIn(realm.catalyst, CATALYST, 'pat', 'pat-demo'));
    const own = await expectSignedIn(await signIn(realm.acme, ACME, 'pat', 'pat-demo'));
    expect((await verifiedClaims(realm.acme, own.tokens.id_token)).sub).toBe(
      (await verifiedClaims(realm.catalyst, shared.tokens.id_token)).sub,
    );
  });

  it('refuses a wrong password with a clear message, and accepts the right one on the same page', async () => {
    const { jar, outcome } = await startSignIn(realm.acme, ACME);
    const login = pageOf(outcome);
    expect(login.body).toContain('Sign in to realm acme');
    expect(login.body).toContain('a stand-in for Keycloak, not a real identity provider');
    const refused = pageOf(
      await postForm(jar, formOf(login).action, { username: 'ada', password: 'ada-wrong' }, idp.url),
    );
    expect(refused.status).toBe(401);
    expect(refused.body).toContain('Invalid username or password.');
    expect(refused.body).toContain('value="ada"');

    const accepted = await postForm(jar, formOf(refused).action, { username: 'ada', password: 'ada-demo' }, idp.url);
    expect(redirectOf(accepted).startsWith(`${ACME.redirectUri}?code=`)).toBe(true);
  });

  it.each([
    ['an acme user', 'globex', GLOBEX, 'ada'],
    ['the sovereign-admin', 'acme', ACME, 'sofia'],
    ['an unknown user', 'catalyst', CATALYST, 'mallory'],
  ])('refuses %s in realm %s, with the right password, as Keycloak does', async (_who, name, client, username) => {
    const result = await signIn(realm[name], client, username, `${username}-demo`);
    expect(result).toMatchObject({ ok: false, page: { status: 401 } });
    expect(!result.ok && result.page.body).toContain('Invalid username or password.');
  });

  it("refuses a redirect URI of another realm's provider", async () => {
    const jar = new CookieJar();
    const url = `${realm.catalyst.authorization_endpoint}?${new URLSearchParams({
      client_id: 'catalyst-portal',
      response_type: 'code',
      scope: 'openid',
      redirect_uri: ACME.redirectUri,
    })}`;
    const page = pageOf(await browse(jar, url));
    expect(page.status).toBe(400);
    expect(page.body).toContain('redirect_uri did not match any of the client');
  });

  it('refuses the token endpoint without the client secret', async () => {
    const { status, body } = await tokenRequest(
      realm.catalyst,
      { ...CATALYST, secret: 'wrong' },
      {
        grant_type: 'refresh_token',
        refresh_token: 'x',
      },
    );
    expect(status).toBe(401);
    expect(body.error).toBe('invalid_client');
  });

  it('signs out through end_session: back to the portal, refresh token revoked, next sign-in asks again', async () => {
    const { tokens, jar } = await expectSignedIn(await signIn(realm.acme, ACME, 'layla', 'layla-demo'));
    // Signed in: a second authorization request goes straight back to the portal with a code.
    const again = await startSignIn(realm.acme, ACME, jar);
    expect(redirectOf(again.outcome).startsWith(`${ACME.redirectUri}?code=`)).toBe(true);

    const logout = pageOf(
      await browse(
        jar,
        `${realm.acme.end_session_endpoint}?${new URLSearchParams({
          id_token_hint: tokens.id_token,
          post_logout_redirect_uri: PORTAL,
          state: 'bye',
        })}`,
      ),
    );
    expect(logout.body).toContain('Sign out of realm acme?');
    const form = formOf(logout);
    const done = await postForm(jar, form.action, { ...form.fields, logout: 'yes' }, idp.url);
    expect(done).toEqual({ kind: 'redirect', location: `${PORTAL}/?state=bye` });

    const refresh = await tokenRequest(realm.acme, ACME, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refresh.status).toBe(400);
    expect(refresh.body.error).toBe('invalid_grant');
    const afterwards = await startSignIn(realm.acme, ACME, jar);
    expect(pageOf(afterwards.outcome).body).toContain('Sign in to realm acme');
  });

  it('refuses a post-logout redirect that is not the portal', async () => {
    const { tokens, jar } = await expectSignedIn(await signIn(realm.catalyst, CATALYST, 'gina', 'gina-demo'));
    const logout = pageOf(
      await browse(
        jar,
        `${realm.catalyst.end_session_endpoint}?${new URLSearchParams({
          id_token_hint: tokens.id_token,
          post_logout_redirect_uri: 'http://evil.example/',
        })}`,
      ),
    );
    expect(logout.status).toBe(400);
    expect(logout.body).toContain('post_logout_redirect_uri not registered');
  });
});

describe('startIdentityProvider users file', () => {
  let dataDir: string;
  let idp: IdentityProvider | undefined;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'catalyst-idp-'));
  });
  afterEach(async () => {
    await idp?.stop();
    idp = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  const editUsers = (change: (users: Array<Record<string, unknown>>) => void) => {
    const file = join(dataDir, 'idp/users.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    change(data.users);
    writeFileSync(file, JSON.stringify(data, null, 2));
  };

  it('seeds the demo users with scrypt hashes only, and keeps edits across restarts', async () => {
    idp = await startIdentityProvider({ dataDir, port: 0 });
    const file = join(dataDir, 'idp/users.json');
    expect(idp.usersFile).toBe(file);
    const text = readFileSync(file, 'utf8');
    const seeded = JSON.parse(text);
    expect(seeded.note).toMatch(/stand-in for Keycloak/);
    expect(seeded.users.map((u: { username: string }) => u.username)).toEqual([
      'sofia',
      'ada',
      'pat',
      'sam',
      'layla',
      'vic',
      'gina',
      'gus',
      'gwen',
      'greta',
    ]);
    expect(seeded.users.find((u: { username: string }) => u.username === 'sofia')).not.toHaveProperty('organization');
    for (const user of seeded.users) expect(user.passwordHash).toMatch(/^scrypt:16384:8:1:[\w-]{22}:[\w-]{43}$/);
    expect(text).not.toContain('-demo');

    await idp.stop();
    editUsers(users => {
      users.find(u => u.username === 'vic')!.groups = ['/acme/team-apps'];
    });
    idp = await startIdentityProvider({ dataDir, port: 0 });
    expect(
      JSON.parse(readFileSync(file, 'utf8')).users.find((u: { username: string }) => u.username === 'vic').groups,
    ).toEqual(['/acme/team-apps']);
  });

  it('applies a group change at the next refresh; refresh tokens rotate and an old one is refused', async () => {
    idp = await startIdentityProvider({ dataDir, port: 0, portalUrl: PORTAL, clientSecret: SECRET });
    const d = await discover(idp.issuer('catalyst'));
    const { tokens } = await expectSignedIn(await signIn(d, CATALYST, 'pat', 'pat-demo'));
    expect((await verifiedClaims(d, tokens.id_token)).groups).toEqual(['/acme/team-platform']);

    editUsers(users => {
      users.find(u => u.username === 'pat')!.groups = ['/acme/team-apps'];
    });
    const refreshed = await tokenRequest(d, CATALYST, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect((await verifiedClaims(d, refreshed.body.id_token)).groups).toEqual(['/acme/team-apps']);
    const userinfo = await fetch(d.userinfo_endpoint, {
      headers: { authorization: `Bearer ${refreshed.body.access_token}` },
    });
    expect((await userinfo.json()).groups).toEqual(['/acme/team-apps']);
    expect(refreshed.body.refresh_token).toEqual(expect.any(String));
    expect(refreshed.body.refresh_token).not.toBe(tokens.refresh_token);

    const reused = await tokenRequest(d, CATALYST, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toBe('invalid_grant');
  });

  it('refuses the refresh of a user taken out of the Organization, and keeps the last good file when an edit breaks it', async () => {
    idp = await startIdentityProvider({ dataDir, port: 0, portalUrl: PORTAL, clientSecret: SECRET });
    const d = await discover(idp.issuer('acme'));
    const sam = await expectSignedIn(await signIn(d, ACME, 'sam', 'sam-demo'));
    const ada = await expectSignedIn(await signIn(d, ACME, 'ada', 'ada-demo'));

    editUsers(users => {
      users.find(u => u.username === 'sam')!.organization = 'globex';
      users.find(u => u.username === 'sam')!.groups = ['/globex/team-ops'];
    });
    const moved = await tokenRequest(d, ACME, { grant_type: 'refresh_token', refresh_token: sam.tokens.refresh_token });
    expect(moved.status).toBe(400);
    expect(moved.body.error).toBe('invalid_grant');

    writeFileSync(join(dataDir, 'idp/users.json'), '{ "users": [ broken');
    const stillAda = await tokenRequest(d, ACME, {
      grant_type: 'refresh_token',
      refresh_token: ada.tokens.refresh_token,
    });
    expect(stillAda.status).toBe(200);
    expect((await verifiedClaims(d, stillAda.body.id_token)).groups).toEqual(['/team-platform']);
  });

  it('keeps sessions, refresh tokens and signing keys across a restart', async () => {
    idp = await startIdentityProvider({ dataDir, port: 0, portalUrl: PORTAL, clientSecret: SECRET });
    const port = Number(new URL(idp.url).port);
    const d = await discover(idp.issuer('globex'));
    const { tokens } = await expectSignedIn(await signIn(d, GLOBEX, 'gus', 'gus-demo'));
    await idp.stop();
    await waitUntilRefused(idp.url);

    idp = await startIdentityProvider({ dataDir, port, portalUrl: PORTAL, clientSecret: SECRET });
    // The old ID token still verifies against the restarted IdP's keys.
    expect((await verifiedClaims(d, tokens.id_token)).preferred_username).toBe('gus');
    const refreshed = await tokenRequest(d, GLOBEX, {
      grant_type: 'refresh_token',
      refresh_token: tokens.refresh_token,
    });
    expect(refreshed.status).toBe(200);
    expect((await verifiedClaims(d, refreshed.body.id_token)).groups).toEqual(['/team-ops']);
  });

  it('refuses to start on a users file it cannot read, naming the file and the field', async () => {
    idp = await startIdentityProvider({ dataDir, port: 0 });
    await idp.stop();
    idp = undefined;
    editUsers(users => {
      users[2].role = 'superuser';
    });
    await expect(startIdentityProvider({ dataDir, port: 0 })).rejects.toThrow(
      `${join(
        dataDir,
        'idp/users.json',
      )}: users[2].role must be one of sovereign-admin, org-admin, org-developer, org-viewer, security-officer`,
    );
  });
});
