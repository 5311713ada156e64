import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { CatalystEntitiesProcessor } from './CatalystEntitiesProcessor';
import { CatalystEntityProvider } from './CatalystEntityProvider';

/**
 * Catalog module: Catalyst's kinds (processor) and entities (provider). It reads through the
 * catalyst plugin's API, so the catalog and catalyst plugins can run in separate backends.
 */
export const catalystCatalogModule = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'catalyst',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        logger: coreServices.logger,
        scheduler: coreServices.scheduler,
      },
      async init({ catalog, discovery, auth, logger, scheduler }) {
        const provider = CatalystEntityProvider.create({ discovery, auth, logger });
        catalog.addProcessor(new CatalystEntitiesProcessor());
        catalog.addEntityProvider(provider);
        await provider.schedule(
          scheduler.createScheduledTaskRunner({
            frequency: { seconds: 5 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: 2 },
            scope: 'local',
          }),
        );
      },
    });
  },
});
