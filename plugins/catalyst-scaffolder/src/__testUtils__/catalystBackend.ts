import {
  AuthService,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
// Tests only: the actions are tested against the real catalyst backend, not a fake of its API.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import catalystPlugin, { catalystPermissionPolicyModule } from '@internal/plugin-catalyst-backend';
// The catalyst backend's own test helper (a real nats-server on loopback); it has no public test entry point.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports, @backstage/no-forbidden-package-imports
import { startTestNatsServer, TestNatsServer } from '@internal/plugin-catalyst-backend/src/__testUtils__/natsServer';
import { CatalystApiClient, HttpCatalystApiClient } from '@internal/plugin-catalyst-node';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** The people of the test Sovereign and the Catalyst role each holds (catalyst.access.bindings). */
export const TEST_USERS = {
  /** org-admin of acme */
  dev: 'user:default/dana',
  /** sovereign-admin */
  admin: 'user:default/sam-admin',
  /** org-viewer of acme: may read, never change */
  viewer: 'user:default/vic',
} as const;

const userEntity = (ref: string, displayName: string, email: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'User',
  metadata: { name: ref.split('/')[1], namespace: 'default' },
  spec: { profile: { displayName, email }, memberOf: [] },
});

/**
 * The mock auth service, except that a token made on behalf of a user carries the calling plugin as
 * its actor, as real plugin-to-plugin tokens do. Without the actor the permission backend takes a
 * forwarded call for a direct user request and refuses resource permissions without a resourceRef.
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

export interface CatalystTestBackend {
  /** A client of the running catalyst backend, as the scaffolder module has it. */
  client: CatalystApiClient;
  /** Discovery pointing at the test backend (for modules under test). */
  discovery: DiscoveryService;
  dataDir: string;
  credentials(user: keyof typeof TEST_USERS): BackstageCredentials;
  /** Runs one of the backend's scheduled tasks now (e.g. `catalyst-blueprint-registry`). */
  triggerTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real catalyst backend plugin on a test backend: seeded Blueprint catalog and Environments
 * (acme-dev, acme-stg, governed acme-prod), bare Git repos in a temp data dir, a real nats-server,
 * and the real permission backend with Catalyst's policy — so authorization is the production path.
 */
export async function startCatalystTestBackend(): Promise<CatalystTestBackend> {
  const nats: TestNatsServer = await startTestNatsServer();
  const dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-scaffolder-'));
  // A scheduler that runs tasks only when a test triggers them (e.g. the registry seeing a new release now).
  const scheduler = mockServices.scheduler();
  let backend: Awaited<ReturnType<typeof startTestBackend>> | undefined;
  try {
    backend = await startTestBackend({
      features: [
        catalystPlugin,
        permissionBackend,
        authWithActors,
        createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => scheduler }),
        catalystPermissionPolicyModule,
        catalogServiceMock.factory({
          entities: [
            userEntity(TEST_USERS.dev, 'Dana Dev', 'dana@acme.example'),
            userEntity(TEST_USERS.admin, 'Sam Admin', 'sam@acme.example'),
            userEntity(TEST_USERS.viewer, 'Vic Viewer', 'vic@acme.example'),
          ],
        }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalyst: {
              dataDir,
              seed: { enabled: true },
              nats: { servers: [nats.url], connectTimeoutSeconds: 2 },
              access: {
                bindings: [
                  { subject: TEST_USERS.dev, role: 'org-admin', organization: 'acme' },
                  { subject: TEST_USERS.admin, role: 'sovereign-admin', organization: '*' },
                  { subject: TEST_USERS.viewer, role: 'org-viewer', organization: 'acme' },
                ],
              },
            },
          },
        }),
      ],
    });
  } catch (e) {
    await nats.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  const port = backend.server.port();
  const discovery: DiscoveryService = {
    getBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}`,
  };
  const running = backend;
  return {
    client: HttpCatalystApiClient.create({ discovery, auth: mockServices.auth({ pluginId: 'scaffolder' }) }),
    discovery,
    dataDir,
    credentials: user => mockCredentials.user(TEST_USERS[user]),
    triggerTask: id => scheduler.triggerTask(id),
    stop: async () => {
      await running.stop();
      await nats.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
