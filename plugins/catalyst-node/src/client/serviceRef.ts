import { coreServices, createServiceFactory, createServiceRef } from '@backstage/backend-plugin-api';
import { CatalystApiClient } from './CatalystApiClient';
import { HttpCatalystApiClient } from './HttpCatalystApiClient';

/**
 * The catalyst REST client for backend modules (scaffolder actions, Template provider). Plugin
 * scoped: each plugin's client mints tokens with that plugin's own auth service. Tests replace it
 * with `catalystApiClientServiceRef` factories of their own.
 *
 * @public
 */
export const catalystApiClientServiceRef = createServiceRef<CatalystApiClient>({
  id: 'catalyst.api-client',
  scope: 'plugin',
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: { discovery: coreServices.discovery, auth: coreServices.auth },
      factory: ({ discovery, auth }) => HttpCatalystApiClient.create({ discovery, auth }),
    }),
});
