/*
 * The Catalyst backend. The embedded default runs it from source (packages/portal); production runs
 * it with app-config.production.yaml. Modules not needed by Catalyst (TechDocs, GitHub) are left out.
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: Keycloak over OIDC (both topologies) and Azure AD / Entra ID through Catalyst's sign-in
// resolver, by config; the embedded default signs in through its local identity provider. Guest
// sign-in is the embedded default's read-only look around.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@internal/plugin-auth-backend-module-catalyst-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
// Users and Groups from Microsoft Graph, when catalog.providers.microsoftGraphOrg is configured
// (app-config.production.yaml); without it the module provides nothing.
backend.add(import('@backstage/plugin-catalog-backend-module-msgraph'));

backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend-module-notifications'));

backend.add(import('@backstage/plugin-permission-backend'));

backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));

backend.add(import('@backstage/plugin-kubernetes-backend'));
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-notifications-backend'));
backend.add(import('@backstage/plugin-signals-backend'));

// Catalyst: the plugin, its permission policy (catalyst.* from role bindings, everything else
// allowed), its catalog kinds and entities, and the clusters for the kubernetes plugin
backend.add(import('@internal/plugin-catalyst-backend'));
backend.add(import('@internal/plugin-permission-backend-module-catalyst'));
backend.add(import('@internal/plugin-catalog-backend-module-catalyst'));
backend.add(import('@internal/plugin-kubernetes-backend-module-catalyst'));
backend.add(import('@internal/plugin-scaffolder-backend-module-catalyst'));

backend.start();
