import { AuthService, coreServices, createServiceFactory } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import permissionBackend from '@backstage/plugin-permission-backend';
import type { RoleBinding } from '@internal/plugin-catalyst-common';
import type { JsonArray, JsonObject } from '@backstage/types';
import fs from 'node:fs';
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
  extraFeatures?: Features;
}): Promise<CatalystTestBackend> {
  const nats = await startTestNatsServer();
  const dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-backend-'));
  const scheduler = mockServices.scheduler();
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
        authWithActors,
        createServiceFactory({ service: coreServices.scheduler, deps: {}, factory: () => scheduler }),
        catalogServiceMock.factory({ entities }),
        // a request without a token is anonymous, as in production (the mock's default is a user)
        mockServices.httpAuth.factory({ defaultCredentials: mockCredentials.none() }),
        mockServices.rootConfig.factory({
          data: {
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
  } catch (e) {
    await nats.dispose();
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
  return {
    server: backend.server,
    dataDir,
    nats,
    header: ref => mockCredentials.user.header(ref),
    serviceHeader: () =>
      mockCredentials.service.header({
        onBehalfOf: mockCredentials.service('plugin:catalog'),
        targetPluginId: 'catalyst',
      }),
    triggerTask: id => scheduler.triggerTask(id),
    stop: async () => {
      await backend.stop();
      await nats.dispose();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
