import { coreServices, createBackendPlugin, resolvePackagePath } from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import {
  CatalystRoleName,
  catalystPermissionList,
  grantsFromOwnershipRefs,
  RoleGrant,
} from '@internal/plugin-catalyst-common';
import { readCatalystSettings } from '@internal/plugin-catalyst-node';
import { jetstream } from '@nats-io/jetstream';
import Router from 'express-promise-router';
import fs from 'node:fs';
import { Authorization } from './access/Authorization';
import { CatalystAudit } from './audit/CatalystAudit';
import { CatalystAccessService } from './access/CatalystAccessService';
import { allowedByGrantsRule, catalystEnvironmentResourceRef } from '@internal/plugin-catalyst-node';
import { createApplicationsRouter } from './api/applicationsRouter';
import { createChangeRequestsRouter } from './api/changeRequestsRouter';
import { createGitTokensRouter } from './api/gitTokensRouter';
import { createGraphqlRouter } from './api/graphqlRouter';
import { createBlueprintsRouter } from './api/blueprintsRouter';
import { createCatalogRouter } from './api/catalogRouter';
import { createCommitsRouter } from './api/commitsRouter';
import { createEnvironmentsRouter } from './api/environmentsRouter';
import { createIdentitiesRouter } from './api/identitiesRouter';
import { createRouteMounter } from './api/http';
import { catalystOpenApiDocument } from './api/openapi';
import { createOrganizationsRouter } from './api/organizationsRouter';
import { createServiceRouter } from './api/serviceRouter';
import { BlueprintQueries } from './blueprints/BlueprintQueries';
import { GitBlueprintRegistry } from './blueprints/GitBlueprintRegistry';
import { CatalogEntities } from './catalog/CatalogEntities';
import { ChangeRequestNotifier } from './changes/ChangeRequestNotifier';
import { ChangeRequestService } from './changes/ChangeRequestService';
import { ChangeRequestStore } from './changes/ChangeRequestStore';
import { DatabaseOrganizationStore } from './database/DatabaseOrganizationStore';
import { applyMigrations } from './database/migrations';
import { EnvironmentController } from './environments/EnvironmentController';
import { EnvironmentRepositories } from './environments/EnvironmentRepositories';
import { GitHttpSurface } from './gitsurface/GitHttpSurface';
import { GitTokenService } from './gitsurface/GitTokenService';
import { GitTokenStore } from './gitsurface/GitTokenStore';
import { PushPolicy } from './gitsurface/PushPolicy';
import { HealthService } from './health/HealthService';
import { IdentityRecords } from './identity/IdentityRecords';
import { IdentityService } from './identity/IdentityService';
import { connectNats } from './nats/connectNats';
import { ReplicatedKvm } from './nats/ReplicatedKvm';
import { OnboardingService } from './onboarding/OnboardingService';
import { EnvironmentQueries } from './provisioning/EnvironmentQueries';
import { ProvisioningService } from './provisioning/ProvisioningService';
import { createReadSide } from './readside';
import { seedEmbeddedData } from './seed/seedEmbeddedData';

/**
 * The catalyst backend plugin. `init` only wires, in this order: settings (read once), adapters
 * (NATS, database, Git), controllers, access, read side, services, scheduled tasks, routers.
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
        auditor: coreServices.auditor,
        scheduler: coreServices.scheduler,
        lifecycle: coreServices.lifecycle,
        catalog: catalogServiceRef,
        notifications: notificationService,
        discovery: coreServices.discovery,
      },
      async init(deps) {
        const { config, logger, lifecycle, scheduler } = deps;
        const settings = readCatalystSettings(config);
        // The one clock of the plugin: commits, events and records take their time from here.
        const now = () => new Date();
        const committer = { name: 'Catalyst', email: `catalyst@${settings.sovereign}.catalyst.local`, timestamp: 0 };

        // Adapters. Fatal on purpose without NATS: no event spine, no live status; one clear line.
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

        // Controllers: Environment repos from the registry; Blueprints from their source repos.
        const controller = EnvironmentController.create({
          store,
          repos,
          committer,
          now,
          logger: logger.child({ component: 'environment-controller' }),
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
        const bootstrapped = (await controller.reconcileAll()).filter(outcome => outcome.created);
        await registry.refresh();

        // Access: who the caller is and what Backstage's permission framework lets them do. The
        // identity records (what each user last signed in with) are shared by every replica.
        const identities = await IdentityRecords.create({
          kvm: new ReplicatedKvm(jetstream(nats), settings.nats.replicas),
          logger: logger.child({ component: 'identities' }),
        });
        await identities.start();
        const access = CatalystAccessService.create({
          userInfo: deps.userInfo,
          permissions: deps.permissions,
          catalog: deps.catalog,
          auth: deps.auth,
          logger,
          bindings: settings.bindings,
          environments: () => store.listEnvironments(),
          identities,
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
        const authorization = Authorization.create({ access, store });
        // Every write and every refusal, on every surface, through Backstage's auditor.
        const audit = CatalystAudit.create(deps.auditor);

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
            ).map(e => ({
              name: e.name,
              organization: e.organization,
              envType: e.envType,
            })),
          access,
          httpAuth: deps.httpAuth,
          audit,
          // a user's new identity record (sign-in, refresh) re-authorizes their open streams at once
          accessChanges: listener => identities.onChange(listener),
          scheduler,
          natsReplicas: settings.nats.replicas,
        });

        // Services: every surface calls these and nothing below them.
        // Who holds a role in an Organization: bound in config, or holding it at their newest sign-in.
        const roleHolders = async (role: CatalystRoleName, organization: string) => {
          const holds = (grants: RoleGrant[]) =>
            grants.some(g => g.role === role && (g.organization === organization || g.organization === '*'));
          const bound = settings.bindings.filter(b => holds([b])).map(b => b.subject);
          const signedIn = identities
            .all()
            .filter(r => holds(grantsFromOwnershipRefs(r.ownershipRefs)))
            .map(r => r.userRef);
          return [...new Set([...bound, ...signedIn])];
        };
        const notifier = ChangeRequestNotifier.create({
          notifications: deps.notifications,
          securityOfficers: organization => roleHolders('security-officer', organization),
          // People known only through SSO have no catalog membership behind a group: ref, so
          // approvers are also reached by the teams of their newest sign-in.
          teamMembers: async group => {
            const wanted = group.toLocaleLowerCase('en-US');
            return identities
              .all()
              .filter(r => r.ownershipRefs.some(o => o.toLocaleLowerCase('en-US') === wanted))
              .map(r => r.userRef);
          },
          logger: logger.child({ component: 'change-requests' }),
        });
        const changeRequests = ChangeRequestService.create({
          store: ChangeRequestStore.create(db),
          registry: store,
          repos,
          authorization,
          catalog: () => registry.catalog(),
          publisher: readSide.publisher,
          soak: (environment, application) => readSide.soakObservation(environment, application),
          notifier,
          orgAdmins: organization => roleHolders('org-admin', organization),
          committer,
          now,
          logger: logger.child({ component: 'change-requests' }),
        });
        // A soak's source starting, stopping or changing what it runs re-judges the requests waiting
        // on it at once instead of at the next sweep (DESIGN §7). Coalesced per Application, and a
        // moment late so this replica's mirror of the read model (what the soak rule reads) has it.
        const soakTimers = new Map<string, NodeJS.Timeout>();
        const stopSoakWatch = readSide.onSoakChanged((environment, application) => {
          const key = `${environment}/${application}`;
          if (soakTimers.has(key)) return;
          soakTimers.set(
            key,
            setTimeout(() => {
              soakTimers.delete(key);
              changeRequests.reevaluateForSource(environment, application).catch(error =>
                logger.warn('Could not re-evaluate the change requests waiting on a soak', {
                  environment,
                  application,
                  error: String(error),
                }),
              );
            }, 250),
          );
        });
        const queries = EnvironmentQueries.create({ store, repos, authorization, changeRequests });
        const provisioning = ProvisioningService.create({
          repos,
          authorization,
          catalog: () => registry.catalog(),
          publisher: readSide.publisher,
          changeRequests,
          committer,
          now,
          logger: logger.child({ component: 'provisioning' }),
        });
        const onboarding = OnboardingService.create({
          store,
          authorization,
          controller,
          queries,
          publisher: readSide.publisher,
          sovereign: settings.sovereign,
          now,
          logger: logger.child({ component: 'onboarding' }),
        });
        const blueprints = BlueprintQueries.create({
          registry,
          authorization,
          // the read side's per-Blueprint view: one in-memory index, whatever the number of Environments
          usage: readSide,
        });
        const catalogEntities = CatalogEntities.create({ store, registry, queries, clusters: settings.clusters });
        const identityService = IdentityService.create({ records: identities, now });
        const gitTokenStore = GitTokenStore.create(db);
        const gitBaseUrl = async () => `${await deps.discovery.getExternalBaseUrl('catalyst')}/git`;
        const gitTokens = GitTokenService.create({ tokens: gitTokenStore, authorization, gitBaseUrl, now });
        // The Git surface: git's http-backend under the same authorization, and a push policy that
        // turns pushes into the same intents every other surface writes through.
        const gitSurface = await GitHttpSurface.create({
          gitRoot: settings.gitRoot,
          remote: !!settings.gitRemote,
          store,
          tokens: gitTokenStore,
          access,
          auth: deps.auth,
          authorization,
          audit,
          policy: new PushPolicy({
            repos,
            catalog: () => registry.catalog(),
            openChangeRequest: (environment, principal, intent, requestKey) =>
              changeRequests.open(environment, principal, intent, requestKey),
            refreshBlueprints: async () => {
              await registry.refresh();
            },
            publisher: readSide.publisher,
            committer,
            portalUrl: async () => config.getOptionalString('app.baseUrl') ?? '',
            now,
            logger: logger.child({ component: 'git-surface' }),
          }),
          logger: logger.child({ component: 'git-surface' }),
          now,
        });

        // Scheduled tasks. blueprint-controller: every replica keeps its own registry current (reads only).
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
        // environment-controller: one replica at a time repairs and creates Environment repos.
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
        // change requests: soaks completing, windows opening, freezes lifted, main moving — one replica at a time
        await scheduler.scheduleTask({
          id: 'catalyst-change-requests',
          scope: 'global',
          frequency: { seconds: 10 },
          timeout: { minutes: 2 },
          initialDelay: { seconds: 10 },
          fn: async () => {
            await changeRequests.evaluateWaiting();
          },
        });
        await readSide.start();
        // Environments whose repos were just bootstrapped (the seed's) are announced like created ones.
        for (const { environment } of bootstrapped) {
          const record = await store.getEnvironment(environment);
          if (record) await onboarding.announce(record);
        }
        (async () => {
          // A watch's consumer may not survive a NATS server restart: resume the mirror.
          for await (const status of nats.status()) if (status.type === 'reconnect') identities.restart();
        })().catch(() => undefined);
        lifecycle.addShutdownHook(async () => {
          stopSoakWatch();
          soakTimers.forEach(timer => clearTimeout(timer));
          await gitSurface.stop();
          await readSide.stop();
          await identities.stop();
          await nats.drain().catch(() => undefined);
        });

        // Routers: each parses, authenticates, calls one service and answers.
        const health = HealthService.create({ nats, gitRoot: settings.gitRoot, db });
        const { version } = JSON.parse(
          await fs.promises.readFile(resolvePackagePath('@internal/plugin-catalyst-backend', 'package.json'), 'utf8'),
        ) as { version: string };
        const mount = createRouteMounter({ httpAuth: deps.httpAuth, access, audit });
        const api = Router();
        api.use(createServiceRouter({ health, openApiDocument: catalystOpenApiDocument(version) }));
        api.use(createBlueprintsRouter({ mount, blueprints }));
        api.use(createOrganizationsRouter({ mount, onboarding }));
        api.use(createEnvironmentsRouter({ mount, queries, onboarding }));
        api.use(createApplicationsRouter({ mount, queries, provisioning }));
        api.use(createCommitsRouter({ mount, queries, provisioning }));
        api.use(createChangeRequestsRouter({ mount, provisioning, changeRequests }));
        api.use(
          createGraphqlRouter({
            services: { onboarding, queries, blueprints, changeRequests, provisioning, readSide },
            httpAuth: deps.httpAuth,
            access,
            audit,
          }),
        );
        api.use(createCatalogRouter({ mount, catalog: catalogEntities }));
        api.use(createIdentitiesRouter({ mount, identities: identityService }));
        api.use(createGitTokensRouter({ mount, tokens: gitTokens }));
        api.use(gitSurface.router());
        api.use(readSide.router);
        deps.httpRouter.use(api);
        // Every route authenticates the request itself (the route mounter, the read side's router), so
        // that a request refused for its credentials — none, forged, expired — is refused by Catalyst
        // and audited like any other refusal; Backstage's barrier would answer 401 before anything
        // could record it. agreement.test.ts sends every mounted route a request without credentials
        // and one with a forged token, so a route that forgets to authenticate fails the build.
        deps.httpRouter.addAuthPolicy({ path: '/', allow: 'unauthenticated' });
      },
    });
  },
});
