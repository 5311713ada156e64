import type { OidcAuthResult } from '@backstage/plugin-auth-backend-module-oidc-provider';
import type { OAuthAuthenticatorResult } from '@backstage/plugin-auth-node';

/**
 * An OIDC sign-in's claims: the userinfo answer with the ID token's claims over it (Keycloak puts
 * `groups`, `realm_access` and `org` in both; the ID token is what the issuer signed for this
 * client). On a refresh both come from the identity provider again, so a changed membership shows.
 */
export function oidcClaims(result: OAuthAuthenticatorResult<OidcAuthResult>): Record<string, unknown> {
  const { tokenset, userinfo } = result.fullProfile;
  let idClaims: Record<string, unknown> = {};
  try {
    idClaims = tokenset.claims() as Record<string, unknown>;
  } catch {
    // a refresh answer may carry no ID token; userinfo then says it all
  }
  return { ...(userinfo as Record<string, unknown>), ...idClaims };
}

/**
 * An Entra ID sign-in's claims: the payload of the ID token the Microsoft authenticator received
 * from Entra's token endpoint (over TLS, for this client) — `tid`, `oid`, `preferred_username`,
 * `groups` (object ids) and app `roles` are only there, not in the Graph profile.
 */
export function idTokenClaims(result: OAuthAuthenticatorResult<unknown>): Record<string, unknown> {
  const idToken = result.session.idToken;
  if (!idToken) return {};
  const payload = idToken.split('.')[1];
  try {
    return JSON.parse(Buffer.from(payload ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
