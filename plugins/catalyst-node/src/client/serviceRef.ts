import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { CatalystBackendClient, createCatalystBackendClient } from './CatalystBackendClient';

/**
 * The catalyst REST client for backend modules (scaffolder actions, Template and entity providers,
 * the kubernetes cluster supplier). Plugin scoped: each plugin mints tokens with its own auth
 * service. Tests may replace it with factories of their own.
 *
 * @public
 */
export const catalystApiClientServiceRef = createServiceRef<CatalystBackendClient>({
  id: 'catalyst.api-client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) => createCatalystBackendClient({ discovery, auth }),
    }),
});
