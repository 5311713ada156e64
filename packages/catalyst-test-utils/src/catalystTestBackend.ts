import { AuthService, coreServices, createBackendModule, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { AuditorEvent, DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { discoveryServiceFactory } from '@backstage/backend-defaults/discovery';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { userInfoServiceFactory } from '@backstage/backend-defaults/userInfo';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { RoleBinding } from '@internal/plugin-catalyst-common';
import type { JsonArray, JsonObject } from '@backstage/types';
import fs from 'node:fs';
import { connect as connectNet, createServer as createNetServer, Socket } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { startTestNatsServer, TestNatsServer } from './natsServer';

type Features = NonNullable<Parameters<typeof startTestBackend>[0]['features']>;

/**
 * The mock auth service, except that a token made on behalf of a user carries the calling plugin as
 * its actor, as real plugin-to-plugin tokens do: the permission backend only answers conditional
 * decisions to plugins acting for a user.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return {
      authenticate: (token, options) => mock.authenticate(token, options),
      getNoneCredentials: () => mock.getNoneCredentials(),
      getOwnServiceCredentials: () => mock.getOwnServiceCredentials(),
      isPrincipal: mock.isPrincipal.bind(mock) as AuthService['isPrincipal'],
      getLimitedUserToken: credentials => mock.getLimitedUserToken(credentials),
      listPublicServiceKeys: () => mock.listPublicServiceKeys(),
      getPluginRequestToken: async options => {
        if (mock.isPrincipal(options.onBehalfOf, 'user')) {
          const token = mockCredentials.user.token(options.onBehalfOf.principal.userEntityRef, {
            actor: { subject: `plugin:${plugin.getId()}` },
          });
          return { token };
        }
        return mock.getPluginRequestToken(options);
      },
    };
  },
});

/**
 * Backstage's own auditor implementation, writing its events to `events` instead of the log, so a
 * test reads what production's audit log would say (actor resolved from the request's credentials
 * by the same code).
 */
function recordingAuditor(events: AuditorEvent[]) {
  return createServiceFactory({
    service: coreServices.auditor,
    deps: { auth: coreServices.auth, httpAuth: coreServices.httpAuth, plugin: coreServices.pluginMetadata },
    factory: ({ auth, httpAuth, plugin }) =>
      DefaultAuditorService.create(
        // meta copied as it was at the time; the error kept as thrown (a clone would lose its name)
        event => void events.push({ ...event, ...(event.meta ? { meta: structuredClone(event.meta) } : {}) }),
        { auth, httpAuth, plugin },
      ),
  });
}

export interface TestUser {
  ref: string;
  displayName: string;
  email: string;
}

export interface CatalystTestBackend {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  dataDir: string;
  nats: TestNatsServer;
  /** `Authorization` header value for a user of the test Sovereign. */
  header(userRef: string): string;
  /** `Authorization` header value for a backend plugin calling as itself. */
  serviceHeader(): string;
  /** Every audit event of every plugin so far, oldest first (`plugin`, `eventId`, `actor`, `meta` …). */
  auditEvents: AuditorEvent[];
  /** Runs a scheduled task now (`catalyst-blueprint-registry`, `catalyst-environment-controller`, …). */
  triggerTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real catalyst backend plugin on a test backend: seeded catalog and Environments, bare Git repos
 * in a temp data dir, a real nats-server, and the real permission backend with Catalyst's policy, so
 * authorization takes the production path. Scheduled tasks run only when a test triggers them.
 *
 * `catalyst` is what to test: the catalyst plugin and its permission-policy module (passed in, so
 * this package depends on no Catalyst plugin and ships in none); `extraFeatures` adds more (the
 * scaffolder module, another plugin under test).
 */
export async function startCatalystTestBackend(options: {
  catalyst: Features;
  users: TestUser[];
  bindings: RoleBinding[];
  /** More `catalyst:` config (merged over the test's). */
  config?: Record<string, unknown>;
  /** More config outside `catalyst:` (`auth`, `backend`, `app` …). */
  rootConfig?: JsonObject;
  /**
   * Backstage's real auth, httpAuth, userInfo and permissions services instead of the mocks: for
   * tests that sign in through the auth plugin and use the tokens it issues (mock headers then do
   * not work).
   */
  realAuth?: boolean;
  /**
   * A port on 127.0.0.1 forwarded to the test backend, whose own port is only known once it runs:
   * the backend's public URL (`backend.baseUrl`, `app.baseUrl`) is `http://localhost:<publicPort>`,
   * which an identity provider's redirect URIs can name before the backend starts.
   */
  publicPort?: number;
  /**
   * The real catalog plugin and its modules (e.g. Catalyst's entity provider) instead of the mock
   * catalog service, for tests of what the catalog itself serves to whom: every plugin then reads
   * the catalog over HTTP with the caller's credentials, as in production. The test users are
   * entities of it (provided by a module here).
   */
  catalog?: Features;
  extraFeatures?: Features;
}): Promise<CatalystTestBackend> {
  const forwarder = options.publicPort ? await forwardPort(options.publicPort) : undefined;
  const publicUrl = options.publicPort ? `http://localhost:${options.publicPort}` : undefined;
  const nats = await startTestNatsServer();
  const dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-backend-'));
  const scheduler = mockServices.scheduler();
  const auditEvents: AuditorEvent[] = [];
  const entities: Entity[] = options.users.map(u => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name: u.ref.split('/')[1], namespace: 'default' },
    spec: { profile: { displayName: u.displayName, email: u.email }, memberOf: [] },
  }));
  let backend: Awaited<ReturnType<typeof startTestBackend>>;
  try {
    backend = await startTestBackend({
      features: [
        ...options.catalyst,
        permissionBackend,
        ...(options.realAuth
          ? [
              authServiceFactory,
              httpAuthServiceFactory,
              userInfoServiceFactory,
              permissionsServiceFactory,
              // plugins find each other at the public URL of the config (see `publicPort`)
              discoveryServiceFactory,
            ]
          : [
              authWithActors,
              // a request without a token is anonymous, as in production (the mock's default is a user)
              mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
            ]),
        createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => scheduler }),
        recordingAuditor(auditEvents),
        ...(options.catalog
          ? [...options.catalog, testUsersModule(entities)]
          : [catalogServiceMock.factory({ entities })]),
        mockServices.rootConfig.factory({
          data: {
            ...(publicUrl
              ? {
                  app: { baseUrl: publicUrl },
                  backend: { baseUrl: publicUrl, listen: { port: options.publicPort, host: '127.0.0.1' } },
                }
              : {}),
            ...options.rootConfig,
            permission: { enabled: true },
            catalyst: {
              dataDir,
              seed: { enabled: true },
              nats: { servers: [nats.url], connectTimeoutSeconds: 2 },
              access: { bindings: options.bindings.map(b => ({ ...b })) as unknown as JsonArray },
              ...(options.config as JsonObject | undefined),
            },
          },
        }),
        ...(options.extraFeatures ?? []),
      ],
    });
    forwarder?.to(backend.server.port());
  } catch (e) {
    forwarder?.close();
    await nats.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    server: backend.server,
    dataDir,
    nats,
    auditEvents,
    header: ref => mockCredentials.user.header(ref),
    serviceHeader: () =>
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'catalyst',
      }),
    triggerTask: id => scheduler.triggerTask(id),
    stop: async () => {
      await backend.stop();
      forwarder?.close();
      await nats.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The test users as entities of the real catalog, applied once the catalog connects the provider. */
function testUsersModule(entities: Entity[]) {
  const location = 'catalyst-test:users';
  return createBackendModule({
    pluginId: 'catalog',
    moduleId: 'catalyst-test-users',
    register(reg) {
      reg.registerInit({
        deps: { catalog: catalogProcessingExtensionPoint },
        async init({ catalog }) {
          catalog.addEntityProvider({
            getProviderName: () => 'catalyst-test-users',
            connect: connection =>
              connection.applyMutation({
                type: 'full',
                entities: entities.map(entity => ({
                  locationKey: location,
                  entity: {
                    ...entity,
                    metadata: {
                      ...entity.metadata,
                      annotations: {
                        'backstage.io/managed-by-location': location,
                        'backstage.io/managed-by-origin-location': location,
                      },
                    },
                  },
                })),
              }),
          });
        },
      });
    },
  });
}

/** Accepts connections on 127.0.0.1:`port` and pipes each to the port given later with `to`. */
async function forwardPort(port: number) {
  let target: number | undefined;
  const sockets = new Set<Socket>();
  const server = createNetServer(client => {
    sockets.add(client);
    client.on('close', () => sockets.delete(client));
    if (target === undefined) {
      client.destroy();
      return;
    }
    const upstream = connectNet({ host: '127.0.0.1', port: target });
    sockets.add(upstream);
    upstream.on('close', () => sockets.delete(upstream));
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    to(backendPort: number) {
      target = backendPort;
    },
    close() {
      sockets.forEach(s => s.destroy());
      server.close();
    },
  };
}
