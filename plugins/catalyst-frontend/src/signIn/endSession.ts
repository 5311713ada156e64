/**
 * RP-initiated logout (OpenID Connect): where to send the browser after Backstage's own sign-out so
 * the identity provider ends its session too, and the next sign-in asks for credentials instead of
 * signing the last person in again. Found from the ID token alone — its issuer's discovery document
 * names `end_session_endpoint` (Keycloak, Entra ID and the local stand-in all publish one) — so it
 * needs no configuration per provider. Undefined when there is no such endpoint or anything fails:
 * sign-out then ends the Backstage session only.
 */
export async function endSessionUrl(options: {
  idToken: string | undefined;
  /** Where the identity provider returns the browser: the app's base URL (a registered post-logout URI). */
  postLogoutRedirectUri: string;
  fetch: (url: string) => Promise<{ ok: boolean; json(): Promise<unknown> }>;
}): Promise<string | undefined> {
  const claims = options.idToken ? jwtClaims(options.idToken) : undefined;
  const issuer = typeof claims?.iss === 'string' ? claims.iss : undefined;
  if (!issuer || !/^https?:\/\//.test(issuer)) return undefined;
  try {
    const response = await options.fetch(`${issuer.replace(/\/$/, '')}/.well-known/openid-configuration`);
    if (!response.ok) return undefined;
    const endpoint = ((await response.json()) as { end_session_endpoint?: unknown }).end_session_endpoint;
    if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) return undefined;
    const url = new URL(endpoint);
    url.searchParams.set('id_token_hint', options.idToken!);
    url.searchParams.set('post_logout_redirect_uri', options.postLogoutRedirectUri);
    const audience = Array.isArray(claims?.aud) ? claims?.aud[0] : claims?.aud;
    if (typeof audience === 'string') url.searchParams.set('client_id', audience);
    return url.toString();
  } catch {
    return undefined;
  }
}

/**
 * The claims of a JWT, unverified: only to find where to log out. Nothing is decided from them (the
 * identity provider checks the hint itself).
 */
function jwtClaims(token: string): Record<string, unknown> | undefined {
  const payload = token.split('.')[1];
  if (!payload) return undefined;
  try {
    const base64 = payload
      .replace(/-/g, '+')
      .replace(/_/g, '/')
      .padEnd(Math.ceil(payload.length / 4) * 4, '=');
    // bytes as Latin-1: the claims read here (iss, aud) are ASCII, and the JSON stays valid
    const parsed = JSON.parse(atob(base64));
    return parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
