import { KubeObject } from '../types';
import { admit, ServiceIpAllocator } from './admission';

function deployment(patch: (spec: any) => void, name = 'web'): KubeObject {
  const spec: any = {
    selector: { matchLabels: { app: 'web' } },
    template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx' }] } },
  };
  patch(spec);
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'web' }, spec };
}

describe('admit', () => {
  it.each([
    [
      'no selector',
      deployment(s => delete s.selector),
      'Deployment.apps "web" is invalid: spec.selector: Required value',
    ],
    [
      'a selector that misses the template',
      deployment(s => (s.template.metadata.labels = { app: 'other' })),
      'Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: "{"app":"other"}": `selector` does not match template `labels`',
    ],
    [
      'string replicas',
      deployment(s => (s.replicas = '2')),
      'Deployment.apps "web" is invalid: spec.replicas: Invalid value: "2": must be a non-negative integer',
    ],
    [
      'no containers',
      deployment(s => (s.template.spec.containers = [])),
      'Deployment.apps "web" is invalid: spec.template.spec.containers: Required value',
    ],
    [
      'a container without image',
      deployment(s => delete s.template.spec.containers[0].image),
      'Deployment.apps "web" is invalid: spec.template.spec.containers[0].image: Required value',
    ],
    [
      'an empty substituted name',
      deployment(() => {}, '-db'),
      'Deployment.apps "-db" is invalid: metadata.name: Invalid value: "-db": a lowercase RFC 1123 subdomain',
    ],
  ])('rejects %s like the API server', (_what, object, message) => {
    const result = admit(object, undefined, new ServiceIpAllocator());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toContain(message);
  });

  it('rejects a changed Deployment selector as immutable', () => {
    const existing = deployment(() => {});
    const changed = deployment(s => {
      s.selector.matchLabels.tier = 'x';
      s.template.metadata.labels.tier = 'x';
    });
    const result = admit(changed, existing, new ServiceIpAllocator());
    expect(!result.ok && result.message).toMatch(/spec\.selector: Invalid value: .*: field is immutable$/);
  });

  it('defaults Deployments and gives Services a cluster IP that survives re-applies', () => {
    const ips = new ServiceIpAllocator();
    const admitted = admit(
      deployment(() => {}),
      undefined,
      ips,
    );
    expect(admitted.ok && admitted.object.spec).toMatchObject({
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate' },
    });

    const service: KubeObject = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'web', namespace: 'web' },
      spec: { ports: [{ port: 80 }] },
    };
    const first = admit(service, undefined, ips);
    if (!first.ok) throw new Error(first.message);
    expect(first.object.spec).toMatchObject({
      type: 'ClusterIP',
      clusterIP: '10.96.0.10',
      ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }],
    });
    const again = admit(service, first.object, ips);
    expect(again.ok && (again.object.spec as any).clusterIP).toBe('10.96.0.10');
    const other = admit({ ...service, metadata: { name: 'db', namespace: 'web' } }, undefined, ips);
    expect(other.ok && (other.object.spec as any).clusterIP).toBe('10.96.0.11');
  });
});
