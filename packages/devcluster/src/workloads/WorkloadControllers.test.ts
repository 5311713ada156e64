import { KubeObject } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { admit, ServiceIpAllocator } from '../store/admission';
import { WorkloadControllers } from './WorkloadControllers';

class FakeClock {
  constructor(public ms = Date.parse('2025-01-01T00:00:00Z')) {}
  now = () => this.ms;
  advance(ms: number) {
    this.ms += ms;
  }
}

function deployment(image: string, replicas = 2, annotations?: Record<string, string>): KubeObject {
  const admitted = admit(
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'web' },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'web' } },
        template: {
          metadata: { labels: { app: 'web' }, ...(annotations ? { annotations } : {}) },
          spec: { containers: [{ name: 'main', image }] },
        },
      },
    },
    undefined,
    new ServiceIpAllocator(),
  );
  if (!admitted.ok) throw new Error(admitted.message);
  return admitted.object;
}

function setup(options: { podReadyDelayMs?: number; crashLoopRestartMs?: number } = {}) {
  const clock = new FakeClock();
  const store = ObjectStore.create({ clusterName: 'devcluster-acme-dev', clock });
  store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } });
  const controllers = WorkloadControllers.create({
    store,
    clock,
    podReadyDelayMs: options.podReadyDelayMs ?? 1500,
    crashLoopRestartMs: options.crashLoopRestartMs ?? 10_000,
  });
  const pods = () => store.list('', 'Pod', 'web');
  const replicaSets = () => store.list('apps', 'ReplicaSet', 'web');
  const get = () => store.get({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' }) as any;
  return { clock, store, controllers, pods, replicaSets, get };
}

const ready = (pod: KubeObject) =>
  (pod.status as any).conditions.find((c: { type: string }) => c.type === 'Ready').status === 'True';

describe('WorkloadControllers', () => {
  it('turns a Deployment into a ReplicaSet and Pods that become Ready after the delay', () => {
    const { clock, store, controllers, pods, replicaSets, get } = setup();
    store.write(deployment('nginx:1.27'));
    const first = controllers.sync();

    const [rs] = replicaSets();
    expect(rs.metadata.name).toMatch(/^web-[a-z0-9]{10}$/);
    expect(rs.metadata.ownerReferences).toEqual([
      expect.objectContaining({ kind: 'Deployment', name: 'web', uid: get().metadata.uid, controller: true }),
    ]);
    expect(rs.metadata.labels?.['pod-template-hash']).toBe(rs.metadata.name.slice(4));
    expect(pods().map(p => p.metadata.name)).toEqual(
      expect.arrayContaining([expect.stringMatching(new RegExp(`^${rs.metadata.name}-[a-z0-9]{5}$`))]),
    );
    expect(pods()).toHaveLength(2);
    expect(pods().map(p => (p.status as any).phase)).toEqual(['Pending', 'Pending']);
    expect((pods()[0].status as any).containerStatuses[0].state.waiting.reason).toBe('ContainerCreating');
    expect(first.nextWakeAt).toBe(clock.ms + 500);

    clock.advance(500);
    controllers.sync();
    expect(pods().map(p => (p.status as any).phase)).toEqual(['Running', 'Running']);
    expect(pods().some(ready)).toBe(false);
    expect(get().status).toMatchObject({ replicas: 2, updatedReplicas: 2, unavailableReplicas: 2 });
    expect(get().status.readyReplicas).toBeUndefined();

    clock.advance(1000);
    controllers.sync();
    expect(pods().every(ready)).toBe(true);
    expect(get().status).toEqual({
      observedGeneration: 1,
      replicas: 2,
      updatedReplicas: 2,
      readyReplicas: 2,
      availableReplicas: 2,
      conditions: [
        expect.objectContaining({ type: 'Available', status: 'True', reason: 'MinimumReplicasAvailable' }),
        expect.objectContaining({
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${replicaSets()[0].metadata.name}" has successfully progressed.`,
        }),
      ],
    });
  });

  it('honours the ready-delay annotation on the pod template', () => {
    const { clock, store, controllers, pods } = setup({ podReadyDelayMs: 1500 });
    store.write(deployment('nginx', 1, { 'devcluster.catalyst.openova.io/ready-delay-ms': '6000' }));
    controllers.sync();
    clock.advance(1500);
    controllers.sync();
    expect(pods().some(ready)).toBe(false);
    clock.advance(4500);
    controllers.sync();
    expect(pods().every(ready)).toBe(true);
  });

  it('rolls out a template change: new ReplicaSet up, old one down to zero', () => {
    const { clock, store, controllers, replicaSets, pods, get } = setup({ podReadyDelayMs: 300 });
    store.write(deployment('nginx:1.27', 4));
    controllers.sync();
    clock.advance(300);
    controllers.sync();
    const [oldRs] = replicaSets();

    store.write({ ...deployment('nginx:1.28', 4), status: get().status });
    controllers.sync();
    expect(get().metadata.generation).toBe(2);
    const newRs = replicaSets().find(rs => rs.metadata.name !== oldRs.metadata.name)!;
    expect(newRs.metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
    // maxSurge 25% of 4 = 1 extra pod, maxUnavailable 25% = 1 old pod down at first.
    expect((newRs.spec as any).replicas).toBe(2);
    expect((replicaSets().find(rs => rs.metadata.name === oldRs.metadata.name)!.spec as any).replicas).toBe(3);
    expect(get().status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', reason: 'ReplicaSetUpdated' }),
    );

    for (let i = 0; i < 6; i++) {
      clock.advance(300);
      controllers.sync();
    }
    const final = Object.fromEntries(replicaSets().map(rs => [rs.metadata.name, (rs.spec as any).replicas]));
    expect(final).toEqual({ [oldRs.metadata.name]: 0, [newRs.metadata.name]: 4 });
    expect(
      pods().every(p => p.metadata.labels?.['pod-template-hash'] === newRs.metadata.labels?.['pod-template-hash']),
    ).toBe(true);
    expect(get().status).toMatchObject({
      replicas: 4,
      updatedReplicas: 4,
      availableReplicas: 4,
      observedGeneration: 2,
    });
    expect(get().metadata.annotations?.['deployment.kubernetes.io/revision']).toBe('2');
  });

  it('keeps a -crashloop container in CrashLoopBackOff with a growing restartCount', () => {
    const { clock, store, controllers, pods, get } = setup({ podReadyDelayMs: 300, crashLoopRestartMs: 1000 });
    store.write(deployment('nginx:1.27-crashloop', 1));
    controllers.sync();
    clock.advance(100);
    controllers.sync();
    const status = () => (pods()[0].status as any).containerStatuses[0];
    expect(status().state.waiting).toEqual({
      reason: 'CrashLoopBackOff',
      message: expect.stringContaining('back-off restarting failed container=main'),
    });
    expect(status().restartCount).toBe(1);
    expect(status().lastState.terminated).toMatchObject({ exitCode: 1, reason: 'Error' });
    expect((pods()[0].status as any).phase).toBe('Running');

    clock.advance(2000);
    controllers.sync();
    expect(status().restartCount).toBe(3);
    expect(pods().some(ready)).toBe(false);
    expect(get().status.availableReplicas).toBeUndefined();
  });

  it('keeps a -imagepullbackoff container Pending in ImagePullBackOff', () => {
    const { clock, store, controllers, pods } = setup({ podReadyDelayMs: 300 });
    store.write(deployment('registry.example.invalid:5000/web:2-imagepullbackoff', 1));
    controllers.sync();
    clock.advance(5000);
    controllers.sync();
    const pod = pods()[0].status as any;
    expect(pod.phase).toBe('Pending');
    expect(pod.containerStatuses[0].state.waiting).toEqual({
      reason: 'ImagePullBackOff',
      message: expect.stringContaining('Back-off pulling image "registry.example.invalid:5000/web:2-imagepullbackoff"'),
    });
  });

  it('reports ProgressDeadlineExceeded when a rollout stops progressing', () => {
    const { clock, store, controllers, get } = setup({ podReadyDelayMs: 300, crashLoopRestartMs: 100_000 });
    const d = deployment('nginx:1-crashloop', 1);
    (d.spec as any).progressDeadlineSeconds = 5;
    store.write(d);
    controllers.sync();
    clock.advance(1000);
    controllers.sync();
    clock.advance(6000);
    controllers.sync();
    expect(get().status.conditions).toContainEqual(
      expect.objectContaining({ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded' }),
    );
  });

  it('scales down and garbage-collects ReplicaSets and Pods of a deleted Deployment', () => {
    const { store, controllers, pods, replicaSets } = setup({ podReadyDelayMs: 0 });
    store.write(deployment('nginx', 3));
    controllers.sync();
    expect(pods()).toHaveLength(3);
    store.write(deployment('nginx', 1));
    controllers.sync();
    expect(pods()).toHaveLength(1);
    store.delete({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' });
    controllers.sync();
    expect(replicaSets()).toEqual([]);
    expect(pods()).toEqual([]);
  });

  it('runs StatefulSet pods by ordinal, one at a time', () => {
    const { clock, store, controllers, pods } = setup({ podReadyDelayMs: 300 });
    const admitted = admit(
      {
        apiVersion: 'apps/v1',
        kind: 'StatefulSet',
        metadata: { name: 'db', namespace: 'web' },
        spec: {
          replicas: 2,
          serviceName: 'db',
          selector: { matchLabels: { app: 'db' } },
          template: {
            metadata: { labels: { app: 'db' } },
            spec: { containers: [{ name: 'pg', image: 'postgres:16' }] },
          },
        },
      },
      undefined,
      new ServiceIpAllocator(),
    );
    if (!admitted.ok) throw new Error(admitted.message);
    store.write(admitted.object);
    controllers.sync();
    expect(pods().map(p => p.metadata.name)).toEqual(['db-0']);
    clock.advance(300);
    controllers.sync();
    expect(pods().map(p => p.metadata.name)).toEqual(['db-0', 'db-1']);
    clock.advance(300);
    controllers.sync();
    const sts = store.get({ group: 'apps', kind: 'StatefulSet', namespace: 'web', name: 'db' }) as any;
    expect(sts.status).toMatchObject({ replicas: 2, readyReplicas: 2, updatedReplicas: 2 });
    expect(sts.status.currentRevision).toBe(sts.status.updateRevision);
  });

  it('removes everything inside a deleted Namespace', () => {
    const { store, controllers, pods } = setup({ podReadyDelayMs: 0 });
    store.write(deployment('nginx', 1));
    controllers.sync();
    store.delete({ group: '', kind: 'Namespace', name: 'web' });
    controllers.sync();
    expect(pods()).toEqual([]);
    expect(store.list('apps', 'Deployment')).toEqual([]);
  });
});
