import { OAuth2 } from '@backstage/core-app-api';
import {
  ApiRef,
  BackstageIdentityApi,
  ConfigApi,
  createApiRef,
  DiscoveryApi,
  OAuthRequestApi,
  OpenIdConnectApi,
  ProfileInfoApi,
  SessionApi,
} from '@backstage/core-plugin-api';

/** What the sign-in page needs of a provider's client: a popup sign-in, sessions, the ID token. */
export type CatalystSignInAuthApi = OpenIdConnectApi & ProfileInfoApi & BackstageIdentityApi & SessionApi;

/**
 * The OAuth clients of Catalyst's sign-in providers (the backend's catalyst-provider auth module):
 * `oidc` (Keycloak, one issuer for the Sovereign), `oidc-<org>` (one issuer per Organization, as many
 * as configuration lists, which is why this is one API handing out clients rather than an API ref per
 * provider) and `microsoft` (Backstage's own client). One client per provider per app, so a tab
 * refreshes each session in one place.
 *
 * @public
 */
export interface CatalystAuthApi {
  forProvider(providerId: string): CatalystSignInAuthApi;
}

/** @public */
export const catalystAuthApiRef: ApiRef<CatalystAuthApi> = createApiRef<CatalystAuthApi>({
  id: 'plugin.catalyst.auth',
});

/**
 * Creates the clients on first use: Backstage's generic OAuth2 client against
 * `/api/auth/<provider id>` (the OIDC providers), and the app's Microsoft client for `microsoft`.
 *
 * @public
 */
export class CatalystAuthClient implements CatalystAuthApi {
  private readonly clients = new Map<string, CatalystSignInAuthApi>();

  static create(deps: {
    configApi: ConfigApi;
    discoveryApi: DiscoveryApi;
    oauthRequestApi: OAuthRequestApi;
    microsoftAuthApi: CatalystSignInAuthApi;
  }): CatalystAuthClient {
    return new CatalystAuthClient(deps);
  }

  private constructor(
    private readonly deps: {
      configApi: ConfigApi;
      discoveryApi: DiscoveryApi;
      oauthRequestApi: OAuthRequestApi;
      microsoftAuthApi: CatalystSignInAuthApi;
    },
  ) {}

  forProvider(providerId: string): CatalystSignInAuthApi {
    if (providerId === 'microsoft') return this.deps.microsoftAuthApi;
    let client = this.clients.get(providerId);
    if (!client) {
      const organization = /^oidc-(.+)$/.exec(providerId)?.[1];
      client = OAuth2.create({
        configApi: this.deps.configApi,
        discoveryApi: this.deps.discoveryApi,
        oauthRequestApi: this.deps.oauthRequestApi,
        // the title is what the "sign in again" dialog names when a session cannot be refreshed
        provider: {
          id: providerId,
          title: organization ? `${organization} account` : 'Corporate sign-in',
          icon: () => null,
        },
        environment: this.deps.configApi.getOptionalString('auth.environment'),
        defaultScopes: ['openid', 'profile', 'email', 'groups'],
      });
      this.clients.set(providerId, client);
    }
    return client;
  }
}
