import { KubeObject } from '../types';
import { ObjectStore, StoreEvent } from './ObjectStore';

const clock = { now: () => Date.parse('2025-01-01T00:00:00Z') };

function deployment(replicas: number, extra: Partial<KubeObject> = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'web', labels: { app: 'web' } },
    spec: { replicas },
    ...extra,
  };
}

describe('ObjectStore', () => {
  it('assigns server metadata and bumps resourceVersion on every change only', () => {
    const store = ObjectStore.create({ clusterName: 'devcluster-acme-dev', clock });
    const created = store.write(deployment(1));
    expect(created.result).toBe('created');
    expect(created.object.metadata).toMatchObject({
      resourceVersion: '1',
      generation: 1,
      creationTimestamp: '2025-01-01T00:00:00Z',
    });
    expect(created.object.metadata.uid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);

    expect(store.write(deployment(1)).result).toBe('unchanged');
    expect(store.currentResourceVersion()).toBe(1);

    const statusOnly = store.write({ ...deployment(1), status: { replicas: 1 } });
    expect(statusOnly.object.metadata).toMatchObject({
      resourceVersion: '2',
      generation: 1,
      uid: created.object.metadata.uid,
    });

    const specChange = store.write({ ...deployment(3), status: { replicas: 1 } });
    expect(specChange.object.metadata).toMatchObject({ resourceVersion: '3', generation: 2 });
  });

  it('derives the same uids for the same history (no randomness)', () => {
    const a = ObjectStore.create({ clusterName: 'devcluster-acme-dev', clock });
    const b = ObjectStore.create({ clusterName: 'devcluster-acme-dev', clock });
    const c = ObjectStore.create({ clusterName: 'devcluster-acme-stg', clock });
    const uid = (s: ObjectStore) => s.write(deployment(1)).object.metadata.uid;
    expect(uid(a)).toBe(uid(b));
    expect(uid(a)).not.toBe(uid(c));
  });

  it('keeps frozen copies: callers cannot change stored objects', () => {
    const store = ObjectStore.create({ clusterName: 'x', clock });
    store.write(deployment(1));
    const copy = store.get({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' })!;
    (copy.spec as { replicas: number }).replicas = 9;
    expect(store.get({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' })!.spec).toEqual({
      replicas: 1,
    });
  });

  it('drops the namespace of cluster-scoped kinds', () => {
    const store = ObjectStore.create({ clusterName: 'x', clock });
    const { object } = store.write({
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'web', namespace: 'oops' },
    });
    expect(object.metadata.namespace).toBeUndefined();
  });

  it('notifies subscribers and keeps a bounded history for resuming', () => {
    const store = ObjectStore.create({ clusterName: 'x', clock, historyLimit: 2 });
    const seen: StoreEvent[] = [];
    const unsubscribe = store.subscribe(e => seen.push(e));
    store.write(deployment(1));
    store.write(deployment(2));
    const deleted = store.delete({ group: 'apps', kind: 'Deployment', namespace: 'web', name: 'web' });
    unsubscribe();
    store.write(deployment(1));

    expect(seen.map(e => `${e.type} ${e.resourceVersion}`)).toEqual(['ADDED 1', 'MODIFIED 2', 'DELETED 3']);
    expect(seen[1].previous?.spec).toEqual({ replicas: 1 });
    expect(deleted?.metadata.resourceVersion).toBe('3');

    // History holds versions 3 and 4: resuming after 2 or later works, after 1 is gone.
    expect(store.eventsSince(2)).not.toBe('expired');
    expect((store.eventsSince(2) as StoreEvent[]).map(e => e.resourceVersion)).toEqual([3, 4]);
    expect(store.eventsSince(1)).toBe('expired');
    expect(store.oldestResumableVersion()).toBe(2);
  });

  it('lists one kind in namespace/name order', () => {
    const store = ObjectStore.create({ clusterName: 'x', clock });
    for (const [ns, name] of [
      ['b', 'z'],
      ['a', 'y'],
      ['b', 'a'],
    ]) {
      store.write({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: ns } });
    }
    store.write(deployment(1));
    expect(store.list('', 'ConfigMap').map(o => `${o.metadata.namespace}/${o.metadata.name}`)).toEqual([
      'a/y',
      'b/a',
      'b/z',
    ]);
    expect(store.list('', 'ConfigMap', 'b')).toHaveLength(2);
  });

  it('starts after firstResourceVersion and answers versions it never issued as expired', () => {
    const store = ObjectStore.create({ clusterName: 'devcluster-acme-dev', clock, firstResourceVersion: 5000 });
    expect(store.currentResourceVersion()).toBe(5000);
    expect(store.write(deployment(1)).object.metadata.resourceVersion).toBe('5001');
    expect(store.eventsSince(5000)).toHaveLength(1);
    expect(store.eventsSince(5001)).toEqual([]);
    // From the store this one replaced (older), or from nowhere (newer): a client must list again.
    expect(store.eventsSince(4999)).toBe('expired');
    expect(store.eventsSince(5002)).toBe('expired');
  });
});
