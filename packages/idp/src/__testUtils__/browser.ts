import { createPublicKey, randomBytes, verify } from 'node:crypto';
import { browse, CookieJar, formOf, Page, postForm } from '@internal/catalyst-test-utils';

export { browse, CookieJar, formOf, pageOf, postForm, redirectOf } from '@internal/catalyst-test-utils';
export type { Outcome, Page } from '@internal/catalyst-test-utils';

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  [key: string]: unknown;
}

export async function discover(issuer: string): Promise<Discovery> {
  const res = await fetch(`${issuer}/.well-known/openid-configuration`);
  if (res.status !== 200) throw new Error(`discovery of ${issuer} answered ${res.status}`);
  return (await res.json()) as Discovery;
}

export interface Tokens {
  access_token: string;
  id_token: string;
  refresh_token: string;
  expires_in: number;
  token_type: string;
  scope: string;
}

export interface Client {
  id: string;
  secret: string;
  redirectUri: string;
}

export async function tokenRequest(discovery: Discovery, client: Client, params: Record<string, string>) {
  const res = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${client.id}:${client.secret}`).toString('base64')}`,
    },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, body: (await res.json()) as Tokens & { error?: string; error_description?: string } };
}

/** The login page of a fresh authorization request, with the jar that carries its cookies. */
export async function startSignIn(discovery: Discovery, client: Client, jar = new CookieJar()) {
  const state = randomBytes(8).toString('hex');
  const nonce = randomBytes(8).toString('hex');
  const url = `${discovery.authorization_endpoint}?${new URLSearchParams({
    client_id: client.id,
    response_type: 'code',
    scope: 'openid profile email groups',
    redirect_uri: client.redirectUri,
    state,
    nonce,
  })}`;
  const outcome = await browse(jar, url);
  return { jar, state, nonce, outcome };
}

/** Signs in with a password and exchanges the code: the tokens, or the page that refused. */
export async function signIn(
  discovery: Discovery,
  client: Client,
  username: string,
  password: string,
): Promise<{ ok: true; tokens: Tokens; nonce: string; jar: CookieJar } | { ok: false; page: Page }> {
  const { jar, state, nonce, outcome } = await startSignIn(discovery, client);
  if (outcome.kind !== 'page') throw new Error(`expected the login page, got a redirect to ${outcome.location}`);
  const form = formOf(outcome.page);
  const result = await postForm(jar, form.action, { username, password }, discovery.issuer);
  if (result.kind === 'page') return { ok: false, page: result.page };
  const callback = new URL(result.location);
  if (`${callback.origin}${callback.pathname}` !== client.redirectUri)
    throw new Error(`redirected to ${callback.href}`);
  if (callback.searchParams.get('state') !== state) throw new Error('state not returned');
  const code = callback.searchParams.get('code');
  if (!code) throw new Error(`no code: ${callback.href}`);
  const exchanged = await tokenRequest(discovery, client, {
    grant_type: 'authorization_code',
    code,
    redirect_uri: client.redirectUri,
  });
  if (exchanged.status !== 200)
    throw new Error(`token endpoint answered ${exchanged.status}: ${JSON.stringify(exchanged.body)}`);
  return { ok: true, tokens: exchanged.body, nonce, jar };
}

/** The claims of a JWT after checking its RS256 signature against the issuer's JWKS. */
export async function verifiedClaims(discovery: Discovery, jwt: string): Promise<Record<string, any>> {
  const [header, payload, signature] = jwt.split('.');
  const { kid, alg } = JSON.parse(Buffer.from(header, 'base64url').toString('utf8'));
  if (alg !== 'RS256') throw new Error(`unexpected alg ${alg}`);
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Array<{ kid: string }> };
  const jwk = jwks.keys.find(k => k.kid === kid);
  if (!jwk) throw new Error(`no key ${kid} at ${discovery.jwks_uri}`);
  const key = createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
  if (!verify('RSA-SHA256', Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, 'base64url'))) {
    throw new Error('bad signature');
  }
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
}

/**
 * Resolves once `url` refuses connections. fetch keeps idle connections for reuse, and one to a
 * server that just stopped fails on its next use ("other side closed") if the client has not yet
 * seen it close: asking until the answer is a refused connection drops every such connection, so a
 * server restarted on the same port is then reached afresh.
 */
export async function waitUntilRefused(url: string): Promise<void> {
  for (let attempt = 0; attempt < 20; attempt++) {
    try {
      await (await fetch(url)).arrayBuffer();
    } catch (error) {
      if ((error as { cause?: { code?: string } }).cause?.code === 'ECONNREFUSED') return;
    }
  }
  throw new Error(`${url} still answers`);
}
