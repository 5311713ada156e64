import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { createBackendPlugin } from '@backstage/backend-plugin-api';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { KubernetesClustersSupplier, kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { catalystKubernetesClusterSupplierModule } from './catalystClusterSupplier';
import { clustersForEnvironment, kubeConfigFor } from './clusters';

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

  it('supplies one cluster per (devcluster, Environment) and real clusters as configured', async () => {
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
    await startTestBackend({
      features: [
        kubernetes,
        catalystKubernetesClusterSupplierModule,
        mockServices.rootConfig.factory({
          data: {
            catalyst: {
              dataDir,
              clusters: [
                { name: 'devcluster', type: 'devcluster', url: 'http://127.0.0.1:7008/', environments: ['*'] },
                {
                  name: 'prod-eu',
                  type: 'kubernetes',
                  url: 'https://k8s.example.invalid',
                  environments: ['acme-prod'],
                  auth: { serviceAccountToken: 'token', caData: 'Y2E=' },
                },
              ],
            },
          },
        }),
      ],
    });
    const clusters = await supplier!.getClusters({
      credentials: { $$type: '@backstage/BackstageCredentials', principal: { type: 'none' } },
    });
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
