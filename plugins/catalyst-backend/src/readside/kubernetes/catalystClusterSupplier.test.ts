import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { KubernetesClustersSupplier, kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import type { JsonObject } from '@backstage/types';
import { clustersForEnvironment, kubernetesClusterNameFor } from '@internal/plugin-catalyst-common';
import { catalystKubernetesClusterSupplierModule } from './catalystClusterSupplier';
import { kubeConfigFor, readClusterConfig } from './clusters';

describe('catalystKubernetesClusterSupplierModule', () => {
  let dataDir: string;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(join(os.tmpdir(), 'readside-clusters-'));
    for (const repo of [
      'acme/acme-dev.git',
      'acme/acme-prod.git',
      'acme/shared-blueprints.git',
      'beta/beta-stg.git',
      'Bad/bad-dev.git',
    ]) {
      fs.mkdirSync(join(dataDir, 'git', repo), { recursive: true });
    }
  });

  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  /** The clusters the module gives the kubernetes plugin for a `catalyst.clusters` block. */
  const suppliedClusters = async (clusters: JsonObject[]) => {
    let supplier: KubernetesClustersSupplier | undefined;
    // Stands in for the kubernetes plugin: only its extension point matters here.
    const kubernetes = createBackendPlugin({
      pluginId: 'kubernetes',
      register(env) {
        env.registerExtensionPoint(kubernetesClusterSupplierExtensionPoint, {
          addClusterSupplier(s) {
            if (typeof s !== 'function') supplier = s;
          },
        });
        env.registerInit({ deps: {}, async init() {} });
      },
    });
    const config: JsonObject = { catalyst: { dataDir, clusters } };
    const backend = await startTestBackend({
      features: [
        kubernetes,
        catalystKubernetesClusterSupplierModule,
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    try {
      const supplied = await supplier!.getClusters({
        credentials: { $$type: '@backstage/BackstageCredentials', principal: { type: 'none' } },
      });
      return { supplied, config: readClusterConfig(mockServices.rootConfig({ data: config })) };
    } finally {
      await backend.stop();
    }
  };

  it('supplies one cluster per (devcluster, Environment) and real clusters as configured', async () => {
    const { supplied: clusters } = await suppliedClusters([
      { name: 'devcluster', type: 'devcluster', url: 'http://127.0.0.1:7008/', environments: ['*'] },
      {
        name: 'prod-eu',
        type: 'kubernetes',
        url: 'https://k8s.example.invalid',
        environments: ['acme-prod'],
        auth: { serviceAccountToken: 'token', caData: 'Y2E=' },
      },
    ]);
    expect(clusters.map(c => c.name)).toEqual([
      'devcluster-acme-dev',
      'devcluster-acme-prod',
      'devcluster-beta-stg',
      'prod-eu',
    ]);
    expect(clusters[0]).toMatchObject({
      url: 'http://127.0.0.1:7008/clusters/acme-dev',
      title: expect.stringContaining('development stand-in'),
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: expect.any(String) },
    });
    expect(clusters[3]).toMatchObject({
      url: 'https://k8s.example.invalid',
      caData: 'Y2E=',
      skipTLSVerify: false,
      authMetadata: { 'kubernetes.io/auth-provider': 'serviceAccount', serviceAccountToken: 'token' },
    });
  });

  it('names a devcluster called otherwise in config the same way for the kubernetes plugin, the informers and the catalog', async () => {
    const { supplied, config } = await suppliedClusters([
      { name: 'local-stand-in', type: 'devcluster', url: 'http://127.0.0.1:7008', environments: ['*'] },
    ]);
    expect(supplied.map(c => c.name)).toEqual([
      'local-stand-in-acme-dev',
      'local-stand-in-acme-prod',
      'local-stand-in-beta-stg',
    ]);
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

  it('gives the informers the same clusters: devcluster per Environment, real clusters only for listed ones', () => {
    const config = [
      { name: 'devcluster', type: 'devcluster' as const, url: 'http://127.0.0.1:7008', environments: ['acme-dev'] },
      { name: 'prod-eu', type: 'kubernetes' as const, url: 'https://k8s.example.invalid', environments: ['acme-prod'] },
      { name: 'everything', type: 'kubernetes' as const, url: 'https://all.example.invalid', environments: ['*'] },
    ];
    expect(clustersForEnvironment(config, 'acme-dev').map(c => c.server)).toEqual([
      'http://127.0.0.1:7008/clusters/acme-dev',
    ]);
    expect(clustersForEnvironment(config, 'acme-prod').map(c => c.server)).toEqual(['https://k8s.example.invalid']);
    expect(clustersForEnvironment(config, 'acme-stg')).toEqual([]);
    const kc = kubeConfigFor(clustersForEnvironment(config, 'acme-dev')[0]);
    expect(kc.getCurrentCluster()).toMatchObject({
      server: 'http://127.0.0.1:7008/clusters/acme-dev',
      skipTLSVerify: true,
    });
  });
});
