import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import kubernetesPlugin from '@backstage/plugin-kubernetes-backend';
import type { JsonObject } from '@backstage/types';
import { CatalystTestBackend, startCatalystTestBackend } from '@internal/catalyst-test-utils';
import { clustersForEnvironment, kubernetesClusterNameFor } from '@internal/plugin-catalyst-common';
import { createCatalystBackendClient, readClusterConfig } from '@internal/plugin-catalyst-node';
// Tests only: the module is tested against the real catalyst backend, installed by package.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';
import { CatalystClusterSupplier, DEVCLUSTER_TOKEN } from './CatalystClusterSupplier';
import kubernetesModuleCatalyst from '.';

jest.setTimeout(60_000);

const ADMIN = 'user:default/sam-admin';
const ACME_VIEWER = 'user:default/vic';

/** Nothing listens on port 9 of 127.0.0.1: the informers of the catalyst plugin just retry. */
const CLUSTERS: JsonObject[] = [
  { name: 'devcluster', type: 'devcluster', url: 'http://127.0.0.1:9/', environments: ['*'] },
  {
    name: 'prod-eu',
    type: 'kubernetes',
    url: 'https://k8s.example.invalid',
    environments: ['acme-prod'],
    auth: { serviceAccountToken: 'token', caData: 'Y2E=' },
  },
];

/**
 * The module on the real kubernetes plugin, beside the real catalyst plugin (seeded Environments
 * acme-dev, acme-stg, acme-prod and globex-dev) that it lists the Environments from.
 */
describe('the kubernetes module against the catalyst backend', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startCatalystTestBackend({
      catalyst: [catalystBackend, catalystPermissionPolicy],
      extraFeatures: [kubernetesPlugin, kubernetesModuleCatalyst],
      users: [
        { ref: ADMIN, displayName: 'Sam Admin', email: 'sam@acme.example' },
        { ref: ACME_VIEWER, displayName: 'Vic Viewer', email: 'vic@acme.example' },
      ],
      bindings: [
        { subject: ADMIN, role: 'sovereign-admin', organization: '*' },
        { subject: ACME_VIEWER, role: 'org-viewer', organization: 'acme' },
      ],
      config: { clusters: CLUSTERS },
      rootConfig: { kubernetes: { serviceLocatorMethod: { type: 'singleTenant' }, clusterLocatorMethods: [] } },
    });
  });
  afterAll(async () => {
    await b?.stop();
  });

  const base = () => `http://127.0.0.1:${b.server.port()}/api`;

  /** The supplier as the module builds it: the catalyst client as the kubernetes plugin. */
  const supplier = (clusters: JsonObject[], getBaseUrl = async (id: string) => `${base()}/${id}`) => {
    const auth = mockServices.auth({ pluginId: 'kubernetes' });
    return CatalystClusterSupplier.create({
      config: mockServices.rootConfig({ data: { catalyst: { clusters } } }),
      client: createCatalystBackendClient({ discovery: { getBaseUrl }, auth }),
      auth,
      logger: mockServices.logger.mock(),
      refreshMs: 0,
    });
  };
  const serviceCredentials = async () => ({
    credentials: await mockServices.auth({ pluginId: 'kubernetes' }).getOwnServiceCredentials(),
  });

  it('gives the kubernetes plugin one cluster per registered Environment on the devcluster, and real clusters as configured', async () => {
    const res = await fetch(`${base()}/kubernetes/clusters`, { headers: { authorization: b.header(ADMIN) } });
    expect(res.status).toBe(200);
    const { items } = (await res.json()) as { items: Array<{ name: string; title: string; authProvider: string }> };
    expect(items.map(c => c.name)).toEqual([
      'devcluster-acme-dev',
      'devcluster-acme-prod',
      'devcluster-acme-stg',
      'devcluster-globex-dev',
      'prod-eu',
    ]);
    expect(items[0]).toMatchObject({
      title: expect.stringContaining('development stand-in'),
      authProvider: 'serviceAccount',
    });
  });

  it('points each at its API root, with the service account the kubernetes plugin authenticates with', async () => {
    const clusters = await supplier(CLUSTERS).getClusters(await serviceCredentials());
    expect(clusters[0]).toMatchObject({
      name: 'devcluster-acme-dev',
      url: 'http://127.0.0.1:9/clusters/acme-dev',
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: DEVCLUSTER_TOKEN },
      skipTLSVerify: true,
    });
    expect(clusters[4]).toMatchObject({
      name: 'prod-eu',
      url: 'https://k8s.example.invalid',
      caData: 'Y2E=',
      skipTLSVerify: false,
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: 'token' },
    });
  });

  it('names a devcluster called otherwise in config the same way for the kubernetes plugin, the informers and the catalog', async () => {
    const renamed = [{ name: 'local-stand-in', type: 'devcluster', url: 'http://127.0.0.1:9', environments: ['*'] }];
    const supplied = await supplier(renamed).getClusters(await serviceCredentials());
    expect(supplied.map(c => c.name)).toEqual([
      'local-stand-in-acme-dev',
      'local-stand-in-acme-prod',
      'local-stand-in-acme-stg',
      'local-stand-in-globex-dev',
    ]);
    const config = readClusterConfig(mockServices.rootConfig({ data: { catalyst: { clusters: renamed } } }));
    for (const cluster of supplied) {
      const environment = cluster.name.replace(/^local-stand-in-/, '');
      // The informers read the cluster the kubernetes plugin shows, under the same name ...
      expect(clustersForEnvironment(config, environment).map(t => ({ name: t.name, url: t.server }))).toEqual([
        { name: cluster.name, url: cluster.url },
      ]);
      // ... and the catalog's Applications point the Kubernetes tab at that name.
      expect(kubernetesClusterNameFor(config, environment)).toBe(cluster.name);
    }
  });

  it("follows the catalyst plugin's registry: an Environment created over the API gets its cluster", async () => {
    const s = supplier(CLUSTERS.slice(0, 1));
    expect((await s.getClusters(await serviceCredentials())).map(c => c.name)).not.toContain('devcluster-globex-poc');
    const res = await fetch(`${base()}/catalyst/environments`, {
      method: 'POST',
      headers: { authorization: b.header(ADMIN), 'content-type': 'application/json' },
      body: JSON.stringify({ organization: 'globex', envType: 'poc' }),
    });
    expect(res.status).toBe(201);
    expect((await s.getClusters(await serviceCredentials())).map(c => c.name)).toContain('devcluster-globex-poc');
  });

  it('names to a person only the Environments they may read, on a cluster several Organizations share', async () => {
    const shared: JsonObject[] = [
      {
        name: 'shared-eu',
        type: 'kubernetes',
        url: 'https://k8s.example.invalid',
        environments: ['acme-prod', 'globex-dev'],
        auth: { serviceAccountToken: 'token' },
      },
    ];
    const asViewer = await supplier(shared).getClusters({ credentials: mockCredentials.user(ACME_VIEWER) });
    expect(asViewer.map(c => c.title)).toEqual(['shared-eu (acme-prod)']);
    const asAdmin = await supplier(shared).getClusters({ credentials: mockCredentials.user(ADMIN) });
    expect(asAdmin.map(c => c.title)).toEqual(['shared-eu (acme-prod, globex-dev)']);
  });

  it('keeps the last list while the catalyst plugin does not answer, and fails with nothing to keep', async () => {
    let getBaseUrl = async (id: string) => `${base()}/${id}`;
    const s = supplier(CLUSTERS.slice(0, 1), id => getBaseUrl(id));
    const before = (await s.getClusters(await serviceCredentials())).map(c => c.name);
    getBaseUrl = async id => `http://127.0.0.1:9/api/${id}`;
    expect((await s.getClusters(await serviceCredentials())).map(c => c.name)).toEqual(before);
    const fresh = supplier(CLUSTERS.slice(0, 1), async id => `http://127.0.0.1:9/api/${id}`);
    await expect(fresh.getClusters(await serviceCredentials())).rejects.toThrow();
  });
});
