import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalystApiClientServiceRef } from '@internal/plugin-catalyst-node';
import { CatalystEntitiesProcessor } from './CatalystEntitiesProcessor';
import { CatalystEntityProvider } from './CatalystEntityProvider';
import { CatalystTemplateProvider } from './templates/CatalystTemplateProvider';

/**
 * The catalog's Catalyst module: Catalyst's kinds (processor), its entities — Organizations and
 * teams, Blueprints, Environments, Applications — and one install Template per Blueprint. Both
 * providers read through the catalyst REST client as the catalog plugin, so the catalog and the
 * catalyst plugin may run in separate backends.
 *
 * @public
 */
export const catalogModuleCatalyst = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'catalyst',
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
        const entities = CatalystEntityProvider.create({ client, auth, logger });
        const templates = CatalystTemplateProvider.create({ client, auth, logger });
        catalog.addProcessor(new CatalystEntitiesProcessor());
        catalog.addEntityProvider(entities, templates);
        // Every few seconds: a new Environment, an install, a direct Git push or a new Blueprint
        // release shows up within one poll; an unchanged poll costs one hash.
        const runner = (initialDelaySeconds: number) =>
          scheduler.createScheduledTaskRunner({
            frequency: { seconds: 5 },
            timeout: { minutes: 1 },
            initialDelay: { seconds: initialDelaySeconds },
            scope: 'local',
          });
        await entities.schedule(runner(2));
        await templates.schedule(runner(3));
      },
    });
  },
});
