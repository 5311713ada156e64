import { browse, CookieJar, formOf, postForm } from './oidcBrowser';

/** A Backstage session got by signing in through an OpenID Connect provider. */
export interface BackstageSession {
  /** The Backstage token the sign-in issued. */
  token: string;
  /** Its claims (sub, ent, …), undecoded signature aside. */
  claims: { sub: string; ent?: string[]; [key: string]: unknown };
  /** Asks the backend for a fresh token with the session's refresh cookie (as the app does). */
  refresh(): Promise<{ status: number; token?: string; claims?: BackstageSession['claims']; body: unknown }>;
  /** The browser's cookies for both sites. */
  jar: CookieJar;
}

export const tokenClaims = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as BackstageSession['claims'];

/**
 * Signs in to a Backstage backend the way the app's popup does: `GET /api/auth/<provider>/start`,
 * the identity provider's login form, back to `/handler/frame`, whose page posts the result to the
 * app — read here from the page instead of a window. Throws with the provider's or the backend's
 * words when the sign-in is refused.
 */
export async function signInToBackstage(options: {
  backendUrl: string;
  appOrigin: string;
  providerId: string;
  username: string;
  password: string;
}): Promise<BackstageSession> {
  const jar = new CookieJar();
  const base = `${options.backendUrl}/api/auth/${options.providerId}`;
  const start = await browse(
    jar,
    `${base}/start?${new URLSearchParams({ env: 'development', origin: options.appOrigin, flow: 'popup' })}`,
  );
  if (start.kind !== 'redirect') throw new Error(`start answered ${start.page.status}: ${start.page.body}`);
  const idpOrigin = new URL(start.location).origin;
  const login = await browse(jar, start.location, {}, idpOrigin);
  if (login.kind !== 'page') throw new Error(`expected the login page, got a redirect to ${login.location}`);
  const form = formOf(login.page);
  const back = await postForm(
    jar,
    form.action,
    { ...form.fields, username: options.username, password: options.password },
    idpOrigin,
  );
  if (back.kind !== 'redirect') throw new Error(`sign-in refused: ${back.page.body.replace(/<[^>]+>/g, ' ')}`);
  const frame = await browse(jar, back.location);
  if (frame.kind !== 'page') throw new Error(`handler redirected to ${frame.location}`);
  const encoded = /decodeURIComponent\('([^']*)'\)/.exec(frame.page.body)?.[1];
  if (!encoded) throw new Error(`handler answered ${frame.page.status}: ${frame.page.body.slice(0, 300)}`);
  const message = JSON.parse(decodeURIComponent(encoded)) as {
    response?: { backstageIdentity?: { token: string } };
    error?: { message: string };
  };
  const token = message.response?.backstageIdentity?.token;
  if (!token) throw new Error(`sign-in failed: ${message.error?.message ?? JSON.stringify(message)}`);
  return {
    token,
    claims: tokenClaims(token),
    jar,
    async refresh() {
      const res = await fetch(`${base}/refresh?env=development`, {
        headers: { 'x-requested-with': 'XMLHttpRequest', cookie: jar.header() },
      });
      jar.take(res);
      const body = (await res.json()) as { backstageIdentity?: { token: string } };
      const fresh = body.backstageIdentity?.token;
      return { status: res.status, body, ...(fresh ? { token: fresh, claims: tokenClaims(fresh) } : {}) };
    },
  };
}
