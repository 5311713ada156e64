import { coreServices, createBackendPlugin, resolvePackagePath } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { catalystPermissionList } from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { readRoleBindings } from './access/bindings';
import { CatalystAccessService } from './access/CatalystAccessService';
import { allowedByGrantsRule, catalystEnvironmentResourceRef } from './access/permissionRules';
import { createUsageRoutes } from './api/usageRoutes';
import { createWriteRoutes } from './api/writeRoutes';
import { GitBlueprintRegistry } from './blueprints/GitBlueprintRegistry';
import { createCatalogRoutes } from './catalog/catalogRoutes';
import { readClusters } from './catalog/clusters';
import { readCatalystConfig } from './config';
import { DatabaseOrganizationStore } from './database/DatabaseOrganizationStore';
import { applyMigrations } from './database/migrations';
import { EnvironmentController } from './environments/EnvironmentController';
import { EnvironmentRepositories } from './environments/EnvironmentRepositories';
import { HealthService } from './health/HealthService';
import { connectNats } from './nats/connectNats';
import { ProvisioningService } from './provisioning/ProvisioningService';
import { createReadSide } from './readside';
import { createRouter } from './router';
import { seedEmbeddedData } from './seed/seedEmbeddedData';

/**
 * The catalyst backend plugin. `init` only wires: read config once, connect the adapters, start the
 * long-running parts (controllers, registry refresh, read side), mount the routes.
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
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        userInfo: coreServices.userInfo,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
      },
      async init(deps) {
        const { config, logger, lifecycle, scheduler } = deps;
        const settings = readCatalystConfig(config);
        const now = () => new Date();
        // Fatal on purpose: without the event spine there is no live status; fail with one clear line.
        const nats = await connectNats(settings.nats);
        logger.info(`Connected to NATS at ${nats.getServer()}`);

        const db = await deps.database.getClient();
        await applyMigrations(db);
        await fs.promises.mkdir(settings.gitRoot, { recursive: true });
        const store = DatabaseOrganizationStore.create(db);
        const repos = EnvironmentRepositories.create({
          gitRoot: settings.gitRoot,
          sovereign: settings.sovereign,
          ...(settings.gitRemote ? { remote: settings.gitRemote } : {}),
        });
        const committer = () => ({
          name: 'Catalyst',
          email: `catalyst@${settings.sovereign}.catalyst.local`,
          timestamp: Math.floor(Date.now() / 1000),
        });
        const controller = EnvironmentController.create({
          store,
          repos,
          logger: logger.child({ component: 'environment-controller' }),
          committer,
        });
        const registry = GitBlueprintRegistry.create({
          gitRoot: settings.gitRoot,
          organizations: async () => (await store.listOrganizations()).map(o => o.name),
          logger: logger.child({ component: 'blueprint-controller' }),
          openSource: source => repos.openBlueprintSource(source),
        });

        if (settings.seed.enabled) {
          await seedEmbeddedData({ store, gitRoot: settings.gitRoot, sovereign: settings.sovereign, logger, now });
        }
        // Start with repos and Blueprints in place, so the first request never sees a half-made Sovereign.
        await controller.reconcileAll();
        await registry.refresh();

        const access = CatalystAccessService.create({
          userInfo: deps.userInfo,
          permissions: deps.permissions,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          bindings: readRoleBindings(config),
          environments: () => store.listEnvironments(),
        });
        deps.permissionsRegistry.addResourceType({
          resourceRef: catalystEnvironmentResourceRef,
          permissions: catalystPermissionList,
          rules: [allowedByGrantsRule],
          getResources: async names => {
            const envs = new Map((await store.listEnvironments()).map(e => [e.name, e]));
            return names.map(n => {
              const e = envs.get(n);
              return e ? { name: e.name, organization: e.organization } : undefined;
            });
          },
        });

        const readSide = await createReadSide({
          config,
          logger: logger.child({ component: 'read-side' }),
          nats,
          gitRoot: settings.gitRoot,
          // The repos the writer commits to, so a Git host's commits reach the read side too.
          openRepository: environment => repos.openIfExists(environment),
          environments: async () =>
            (
              await store.listEnvironments()
            ).map(e => ({ name: e.name, organization: e.organization, envType: e.envType })),
          access,
          httpAuth: deps.httpAuth,
          scheduler,
        });

        const provisioning = ProvisioningService.create({
          store,
          repos,
          catalog: () => registry.catalog(),
          publisher: readSide.publisher,
          committer,
          now,
          logger: logger.child({ component: 'provisioning' }),
        });

        // blueprint-controller: every replica keeps its own registry current (reads only)
        await scheduler.scheduleTask({
          id: 'catalyst-blueprint-registry',
          scope: 'local',
          frequency: { seconds: 5 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 5 },
          fn: async () => {
            await registry.refresh();
          },
        });
        // environment-controller: one replica at a time repairs and creates Environment repos
        await scheduler.scheduleTask({
          id: 'catalyst-environment-controller',
          scope: 'global',
          frequency: { seconds: 30 },
          timeout: { minutes: 5 },
          initialDelay: { seconds: 30 },
          fn: async () => {
            await controller.reconcileAll();
          },
        });

        await readSide.start();
        lifecycle.addShutdownHook(async () => {
          await readSide.stop();
          await nats.drain().catch(() => undefined);
        });

        const health = HealthService.create({ nats, gitRoot: settings.gitRoot, db });
        const { version } = JSON.parse(
          await fs.promises.readFile(resolvePackagePath('@internal/plugin-catalyst-backend', 'package.json'), 'utf8'),
        ) as { version: string };
        deps.httpRouter.use(await createRouter({ health, version }));
        // before the write routes, whose /blueprints/:name would not match this path anyway
        deps.httpRouter.use(createUsageRoutes({ httpAuth: deps.httpAuth, access, provisioning, readSide }));
        deps.httpRouter.use(
          await createWriteRoutes({
            httpAuth: deps.httpAuth,
            access,
            store,
            registry,
            provisioning,
            controller,
            sovereign: settings.sovereign,
            now,
            logger,
          }),
        );
        deps.httpRouter.use(
          createCatalogRoutes({
            httpAuth: deps.httpAuth,
            store,
            registry,
            provisioning,
            clusters: readClusters(config),
          }),
        );
        deps.httpRouter.use(readSide.router);
        deps.httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        deps.httpRouter.addAuthPolicy({ path: '/openapi.json', allow: 'unauthenticated' });
      },
    });
  },
});
