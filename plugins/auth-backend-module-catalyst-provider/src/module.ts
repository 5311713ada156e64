import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { microsoftAuthenticator } from '@backstage/plugin-auth-backend-module-microsoft-provider';
import { oidcAuthenticator } from '@backstage/plugin-auth-backend-module-oidc-provider';
import { authProvidersExtensionPoint, createOAuthProviderFactory } from '@backstage/plugin-auth-node';
import { catalystApiClientServiceRef } from '@internal/plugin-catalyst-node';
import { idTokenClaims, oidcClaims } from './claims';
import { readEntraMapping, readKeycloakMapping } from './mapping';
import { catalystSignInResolver, IdentityRecorder } from './resolver';

/** `oidc-<org>`: a per-organization Keycloak issuer's provider id. */
const ORGANIZATION_PROVIDER = /^oidc-([a-z][a-z0-9-]{2,31})$/;

/**
 * Corporate sign-in for Catalyst (auth plugin, module id `catalyst-provider`), on Backstage's own
 * OIDC and Microsoft authenticators with Catalyst's sign-in resolver:
 * - `oidc` — Keycloak, one issuer for the Sovereign (`catalyst.keycloakTopology: shared-sovereign`);
 * - `oidc-<org>` — Keycloak, one issuer (realm) per Organization (`per-organization`), one provider
 *   per `auth.providers.oidc-<org>` entry; the sign-in page lets people pick their Organization;
 * - `microsoft` — Azure AD / Entra ID, with Entra's claim shapes.
 * Each provider is registered when `auth.providers.<id>` is configured. It replaces Backstage's
 * stock OIDC and Microsoft modules (one module per provider id).
 *
 * @public
 */
export const authModuleCatalystProvider = createBackendModule({
  pluginId: 'auth',
  moduleId: 'catalyst-provider',
  register(reg) {
    reg.registerInit({
      deps: {
        providers: authProvidersExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        client: catalystApiClientServiceRef,
      },
      async init({ providers, config, logger, auth, client }) {
        const keycloak = readKeycloakMapping(config);
        const entra = readEntraMapping(config);
        const topology = config.getOptionalString('catalyst.keycloakTopology') ?? 'shared-sovereign';
        // As the auth plugin itself: only it may record identities.
        const record: IdentityRecorder = async body => {
          await client.api.recordIdentity(body, await client.as(await auth.getOwnServiceCredentials()));
        };
        const configured = config.getOptionalConfig('auth.providers')?.keys() ?? [];

        if (configured.includes('oidc') && topology === 'shared-sovereign') {
          providers.registerProvider({
            providerId: 'oidc',
            factory: createOAuthProviderFactory({
              authenticator: oidcAuthenticator,
              signInResolver: catalystSignInResolver({ mapping: keycloak, claimsOf: oidcClaims, record, logger }),
            }),
          });
        }
        for (const id of configured) {
          const organization = ORGANIZATION_PROVIDER.exec(id)?.[1];
          if (!organization || topology !== 'per-organization') continue;
          providers.registerProvider({
            providerId: id,
            factory: createOAuthProviderFactory({
              authenticator: oidcAuthenticator,
              signInResolver: catalystSignInResolver({
                mapping: keycloak,
                claimsOf: oidcClaims,
                issuerOrganization: organization,
                record,
                logger,
              }),
            }),
          });
        }
        if (configured.includes('microsoft')) {
          providers.registerProvider({
            providerId: 'microsoft',
            factory: createOAuthProviderFactory({
              authenticator: microsoftAuthenticator,
              signInResolver: catalystSignInResolver({ mapping: entra, claimsOf: idTokenClaims, record, logger }),
            }),
          });
        }
      },
    });
  },
});
