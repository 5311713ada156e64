import { BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { startCatalystTestBackend as startBackend } from './catalystTestBackend';
import type { CatalystRequestOptions } from '@internal/plugin-catalyst-common';
import { CatalystBackendClient, createCatalystBackendClient } from '@internal/plugin-catalyst-node';

/** The people of the test Sovereign and the Catalyst role each holds (catalyst.access.bindings). */
export const TEST_USERS = {
  /** org-admin of acme */
  dev: 'user:default/dana',
  /** sovereign-admin */
  admin: 'user:default/sam-admin',
  /** org-viewer of acme: may read, never change */
  viewer: 'user:default/vic',
} as const;

export interface ClientTestBackend {
  /** A client of the running catalyst backend, as the backend modules have it. */
  client: CatalystBackendClient;
  /** Discovery pointing at the test backend (for modules under test). */
  discovery: DiscoveryService;
  dataDir: string;
  /** Port of the test backend (every plugin of it: catalyst, and any `extraFeatures`). */
  port: number;
  credentials(user: keyof typeof TEST_USERS): BackstageCredentials;
  /** Request options for `client.api` calls made as a test user. */
  as(user: keyof typeof TEST_USERS): Promise<CatalystRequestOptions>;
  /** `Authorization` header of a test user's own request (as from the browser). */
  header(user: keyof typeof TEST_USERS): string;
  /** Runs one of the backend's scheduled tasks now (e.g. `catalyst-blueprint-registry`). */
  triggerTask(id: string): Promise<void>;
  stop(): Promise<void>;
}

/**
 * The real catalyst backend (seeded catalog and Environments acme-dev/stg/prod, bare Git repos, a
 * real nats-server, the real permission backend with Catalyst's policy) with {@link TEST_USERS}, and
 * the catalyst client talking to it over HTTP as the backend modules do (scaffolder actions, Template
 * and entity providers).
 */
export async function startClientTestBackend(options: {
  catalyst: Parameters<typeof startBackend>[0]['catalyst'];
  extraFeatures?: Parameters<typeof startBackend>[0]['extraFeatures'];
}): Promise<ClientTestBackend> {
  const backend = await startBackend({
    catalyst: options.catalyst,
    extraFeatures: options.extraFeatures,
    users: [
      { ref: TEST_USERS.dev, displayName: 'Dana Dev', email: 'dana@acme.example' },
      { ref: TEST_USERS.admin, displayName: 'Sam Admin', email: 'sam@acme.example' },
      { ref: TEST_USERS.viewer, displayName: 'Vic Viewer', email: 'vic@acme.example' },
    ],
    bindings: [
      { subject: TEST_USERS.dev, role: 'org-admin', organization: 'acme' },
      { subject: TEST_USERS.admin, role: 'sovereign-admin', organization: '*' },
      { subject: TEST_USERS.viewer, role: 'org-viewer', organization: 'acme' },
    ],
  });
  const port = backend.server.port();
  const discovery: DiscoveryService = {
    getBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}`,
    getExternalBaseUrl: async pluginId => `http://localhost:${port}/api/${pluginId}`,
  };
  const client = createCatalystBackendClient({ discovery, auth: mockServices.auth({ pluginId: 'scaffolder' }) });
  return {
    client,
    discovery,
    dataDir: backend.dataDir,
    port,
    credentials: user => mockCredentials.user(TEST_USERS[user]),
    as: user => client.as(mockCredentials.user(TEST_USERS[user])),
    header: user => mockCredentials.user.header(TEST_USERS[user]),
    triggerTask: id => backend.triggerTask(id),
    stop: () => backend.stop(),
  };
}
