import { clustersForEnvironment } from '@internal/plugin-catalyst-common';
import { kubeConfigFor } from './clusters';

describe('the clusters the informers read', () => {
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
