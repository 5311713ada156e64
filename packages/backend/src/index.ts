/*
 * The Catalyst backend. The embedded default runs it from source (packages/portal); production runs
 * it with app-config.production.yaml. Modules not needed by Catalyst (TechDocs, GitHub) are left out.
 */
import { createBackend } from '@backstage/backend-defaults';
import { catalystKubernetesClusterSupplierModule } from '@internal/plugin-catalyst-backend';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// auth: guest for the embedded default, OIDC (Keycloak) and Microsoft (Azure AD) by config
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-oidc-provider'));
backend.add(import('@backstage/plugin-auth-backend-module-microsoft-provider'));

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'));
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));

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
backend.add(catalystKubernetesClusterSupplierModule);
backend.add(import('@internal/plugin-scaffolder-backend-module-catalyst'));

backend.start();
