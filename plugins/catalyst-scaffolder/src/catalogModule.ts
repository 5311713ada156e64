import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalystApiClientServiceRef } from '@internal/plugin-catalyst-node';
import { CatalystTemplateProvider } from './templates/CatalystTemplateProvider';

/**
 * Catalog module: one install Template per Blueprint, from the catalyst REST API, refreshed every
 * few seconds. It reads over HTTP, so the catalog and catalyst plugins may run in separate backends.
 *
 * @public
 */
export const catalystTemplatesCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'catalyst-templates',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        client: catalystApiClientServiceRef,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, client, auth, logger, scheduler }) {
        const provider = CatalystTemplateProvider.create({ client, auth, logger });
        catalog.addEntityProvider(provider);
        await provider.schedule(
          scheduler.createScheduledTaskRunner({
            frequency: { seconds: 5 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 3 },
            scope: 'local',
          }),
        );
      },
    });
  },
});
