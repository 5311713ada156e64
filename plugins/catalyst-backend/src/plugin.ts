import { coreServices, createBackendPlugin } from '@backstage/backend-plugin-api';
import fs from 'node:fs';
import { readCatalystConfig } from './config';
import { applyMigrations } from './database/migrations';
import { DatabaseOrganizationStore } from './database/DatabaseOrganizationStore';
import { HealthService } from './health/HealthService';
import { connectNats } from './nats/connectNats';
import { createRouter } from './router';
import { seedEmbeddedData } from './seed/seedEmbeddedData';

/**
 * The catalyst backend plugin. `init` only wires: read config once, connect the adapters, start the
 * long-running parts, mount the router.
 */
export const catalystPlugin = createBackendPlugin({
  pluginId: 'catalyst',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        database: coreServices.database,
        httpRouter: coreServices.httpRouter,
        lifecycle: coreServices.lifecycle,
      },
      async init({ config, logger, database, httpRouter, lifecycle }) {
        const settings = readCatalystConfig(config);
        // Fatal on purpose: without the event spine there is no live status; fail with one clear line.
        const nats = await connectNats(settings.nats);
        logger.info(`Connected to NATS at ${nats.getServer()}`);
        lifecycle.addShutdownHook(async () => {
          await nats.drain().catch(() => undefined);
        });

        const db = await database.getClient();
        await applyMigrations(db);
        await fs.promises.mkdir(settings.gitRoot, { recursive: true });
        const organizations = DatabaseOrganizationStore.create(db);

        if (settings.seed.enabled) {
          await seedEmbeddedData({
            store: organizations,
            gitRoot: settings.gitRoot,
            sovereign: settings.sovereign,
            logger,
            now: () => new Date(),
          });
        }

        const health = HealthService.create({ nats, gitRoot: settings.gitRoot, db });
        httpRouter.use(await createRouter({ health }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
