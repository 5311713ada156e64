/**
 * @jest-environment node
 */
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { endSessionUrl } from './endSession';

/** An unsigned JWT with these claims: endSessionUrl only reads where to log out, never trusts them. */
const jwt = (claims: Record<string, unknown>) =>
  ['{"alg":"RS256"}', JSON.stringify(claims), 'signature']
    .map((part, i) => (i < 2 ? Buffer.from(part).toString('base64url') : part))
    .join('.');

/**
 * A real issuer on 127.0.0.1 answering OpenID discovery for realm `acme` (what the local identity
 * provider and Keycloak publish), and whatever `answers` says for other paths.
 */
describe('endSessionUrl', () => {
  let server: Server;
  let origin: string;
  const answers = new Map<string, { status: number; body: string }>();
  const requested: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const answer = answers.get(req.url ?? '') ?? { status: 404, body: '{}' };
      res.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    answers.set('/realms/acme/.well-known/openid-configuration', {
      status: 200,
      body: JSON.stringify({
        issuer: `${origin}/realms/acme`,
        end_session_endpoint: `${origin}/realms/acme/protocol/openid-connect/logout`,
      }),
    });
    answers.set('/realms/plain/.well-known/openid-configuration', {
      status: 200,
      body: JSON.stringify({ issuer: `${origin}/realms/plain` }),
    });
    answers.set('/realms/script/.well-known/openid-configuration', {
      status: 200,
      // eslint-disable-next-line no-script-url -- what an issuer must not be able to send the browser to
      body: JSON.stringify({ end_session_endpoint: 'javascript:alert(1)' }),
    });
    answers.set('/realms/broken/.well-known/openid-configuration', { status: 200, body: 'not json' });
  });
  afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));
  beforeEach(() => {
    requested.length = 0;
  });

  const run = (idToken: string | undefined) =>
    endSessionUrl({ idToken, postLogoutRedirectUri: 'http://localhost:7007', fetch: url => fetch(url) });

  it("sends the browser to the issuer's end_session_endpoint with the ID token, the portal and the client", async () => {
    const idToken = jwt({ iss: `${origin}/realms/acme/`, aud: 'catalyst-portal', sub: 'x' });
    const url = new URL((await run(idToken))!);
    expect(`${url.origin}${url.pathname}`).toBe(`${origin}/realms/acme/protocol/openid-connect/logout`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      id_token_hint: idToken,
      post_logout_redirect_uri: 'http://localhost:7007',
      client_id: 'catalyst-portal',
    });
    // the trailing slash of the issuer is not doubled
    expect(requested).toEqual(['/realms/acme/.well-known/openid-configuration']);
  });

  it('takes the first audience as the client when the token has several', async () => {
    const idToken = jwt({ iss: `${origin}/realms/acme`, aud: ['catalyst-portal', 'other'] });
    expect(new URL((await run(idToken))!).searchParams.get('client_id')).toBe('catalyst-portal');
  });

  it.each([
    ['no ID token (the guest, Microsoft without one)', undefined],
    ['a token that is no JWT', 'opaque-access-token'],
    ['a token whose claims are not JSON', `x.${Buffer.from('nope').toString('base64url')}.y`],
    ['no issuer', jwt({ aud: 'catalyst-portal' })],
    ['an issuer that is no http(s) URL', jwt({ iss: 'file:///etc' })],
  ])('ends the Backstage session only: %s', async (_name, idToken) => {
    expect(await run(idToken)).toBeUndefined();
    expect(requested).toEqual([]);
  });

  it.each([
    ['the issuer publishes no end_session_endpoint', 'plain'],
    ['the endpoint is no http(s) URL', 'script'],
    ['the discovery document is not JSON', 'broken'],
    ['the issuer has no discovery document (404)', 'missing'],
  ])('ends the Backstage session only when %s', async (_name, realm) => {
    expect(await run(jwt({ iss: `${origin}/realms/${realm}`, aud: 'catalyst-portal' }))).toBeUndefined();
    expect(requested).toEqual([`/realms/${realm}/.well-known/openid-configuration`]);
  });

  it('ends the Backstage session only when the issuer does not answer', async () => {
    const closed = createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>(resolve => closed.close(() => resolve()));
    expect(await run(jwt({ iss: `http://127.0.0.1:${port}/realms/acme` }))).toBeUndefined();
  });
});
