import { ClientLike, OidcContext, Provider } from 'oidc-provider';
import { fileAdapterFactory, RealmStateFile } from './FileAdapter';
import { IdpKeys } from './keys';
import { IdpLogger } from './logger';
import { logoutPage, messagePage } from './pages';
import { claimsFor, isMember, Realm } from './realms';
import { UserDirectory } from './users/UserDirectory';

export const CLIENT_ID = 'catalyst-portal';

/** Keycloak's endpoint paths under a realm's issuer, so clients configured for Keycloak find them. */
const KEYCLOAK_ROUTES = {
  authorization: '/protocol/openid-connect/auth',
  token: '/protocol/openid-connect/token',
  userinfo: '/protocol/openid-connect/userinfo',
  jwks: '/protocol/openid-connect/certs',
  end_session: '/protocol/openid-connect/logout',
  revocation: '/protocol/openid-connect/revoke',
  introspection: '/protocol/openid-connect/token/introspect',
  pushed_authorization_request: '/protocol/openid-connect/ext/par/request',
};

export interface RealmProviderOptions {
  realm: Realm;
  issuer: string;
  users: UserDirectory;
  keys: IdpKeys;
  state: RealmStateFile;
  portalUrl: string;
  clientSecret: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  logger: IdpLogger;
}

/** The path of a realm's login pages (served by interactions.ts, not by oidc-provider). */
export function interactionPath(realm: string, uid: string): string {
  return `/realms/${realm}/login-actions/${uid}`;
}

/**
 * One realm's OpenID Connect provider: the `catalyst-portal` client, accounts from the users file
 * filtered to the realm, claims in Keycloak's shapes, refresh tokens always issued and rotated, and
 * RP-initiated logout. Sign-in pages are our own (devInteractions accepts any password).
 */
export function createRealmProvider(options: RealmProviderOptions): Provider {
  const { realm, users, logger } = options;
  const cookiePrefix = `catalyst_idp_${realm.name.replace(/-/g, '_')}`;
  const provider = new Provider(options.issuer, {
    adapter: fileAdapterFactory(options.state),
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: options.clientSecret,
        client_name: 'Catalyst portal',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.portalUrl}/api/auth/${realm.providerId}/handler/frame`],
        post_logout_redirect_uris: [options.portalUrl],
        token_endpoint_auth_method: 'client_secret_basic',
      },
    ],
    jwks: options.keys.jwksFor(realm.name),
    // Every realm shares one host and port: its own cookie names keep their sessions apart.
    cookies: {
      keys: options.keys.cookieKeys,
      names: {
        session: `${cookiePrefix}_session`,
        interaction: `${cookiePrefix}_interaction`,
        resume: `${cookiePrefix}_resume`,
      },
    },
    claims: {
      // Keycloak's mappers put these in every token; the portal's sign-in resolver reads them.
      openid: ['sub', 'realm_access', 'org'],
      profile: ['name', 'given_name', 'family_name', 'preferred_username'],
      email: ['email', 'email_verified'],
      groups: ['groups'],
    },
    scopes: ['openid', 'offline_access', 'profile', 'email', 'groups'],
    // Keycloak puts the scopes' claims in the ID token of a code flow too; oidc-provider's default
    // keeps them for userinfo only.
    conformIdTokenClaims: false,
    responseTypes: ['code'],
    features: {
      devInteractions: { enabled: false },
      revocation: { enabled: true },
      introspection: { enabled: true },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: async (ctx: OidcContext, form: string) => {
          ctx.type = 'html';
          ctx.body = logoutPage(realm.name, form);
        },
        postLogoutSuccessSource: async (ctx: OidcContext) => {
          ctx.type = 'html';
          ctx.body = messagePage('Signed out', `You are signed out of realm ${realm.name}.`);
        },
      },
    },
    // Read on every sign-in, refresh and userinfo call, so users.json edits apply at once; a user
    // removed from the file, or moved to another Organization, is refused at the next refresh.
    findAccount: async (_ctx: unknown, sub: string) => {
      const user = users.findById(sub);
      if (!user || !isMember(user, realm)) return undefined;
      return { accountId: sub, claims: async () => claimsFor(user, realm) };
    },
    interactions: {
      url: async (_ctx: unknown, interaction: { uid: string }) => interactionPath(realm.name, interaction.uid),
    },
    // Keycloak issues a refresh token with every code exchange, offline_access or not, and the
    // portal relies on it to refresh sessions.
    issueRefreshToken: async (_ctx: unknown, client: ClientLike) => client.grantTypeAllowed('refresh_token'),
    rotateRefreshToken: () => true,
    routes: KEYCLOAK_ROUTES,
    ttl: {
      AccessToken: options.accessTokenTtlSeconds,
      IdToken: options.accessTokenTtlSeconds,
      RefreshToken: options.refreshTokenTtlSeconds,
      // A grant or browser session shorter than the refresh token would cut it short.
      Grant: options.refreshTokenTtlSeconds,
      Session: options.refreshTokenTtlSeconds,
      Interaction: 60 * 60,
      AuthorizationCode: 60,
    },
    clientBasedCORS: () => false,
    renderError: async (ctx: OidcContext, out: { error?: string; error_description?: string }) => {
      ctx.type = 'html';
      ctx.body = messagePage(
        'Sign-in failed',
        `${out.error ?? 'error'}: ${out.error_description ?? 'the request could not be completed'}`,
      );
    },
  });
  provider.on('server_error', (_ctx, error) =>
    logger.error('oidc-provider server error', { realm: realm.name, error: String(error) }),
  );
  return provider;
}
