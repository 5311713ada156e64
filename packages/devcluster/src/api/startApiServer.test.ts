import { AppsV1Api, CoreV1Api, makeInformer, V1Pod, Watch } from '@kubernetes/client-node';
import { KubeObject, systemClock, silentLogger } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { ApiServer, startApiServer } from './startApiServer';
import { collectWatch, getJson, kubeConfigFor, sendRaw } from '../__testUtils__/http';
import { waitFor } from '../__testUtils__/waitFor';

function pod(name: string, namespace: string, labels: Record<string, string> = {}, phase = 'Pending'): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels },
    spec: { containers: [{ name: 'c', image: 'nginx' }] },
    status: { phase },
  };
}

function configMap(name: string, namespace: string, data: Record<string, string> = {}): KubeObject {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace }, data };
}

describe('startApiServer', () => {
  let store: ObjectStore;
  let server: ApiServer;
  let base: string;

  async function start(
    options: { historyLimit?: number; bookmarkIntervalMs?: number; defaultWatchTimeoutMs?: number } = {},
  ) {
    store = ObjectStore.create({
      clusterName: 'devcluster-acme-dev',
      clock: systemClock,
      historyLimit: options.historyLimit,
    });
    for (const ns of ['default', 'web', 'db']) {
      store.write({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } });
    }
    server = await startApiServer({
      directory: {
        get: env => (env === 'acme-dev' ? { name: 'devcluster-acme-dev', environment: 'acme-dev', store } : undefined),
        list: () => [{ name: 'devcluster-acme-dev', environment: 'acme-dev', store }],
      },
      host: '127.0.0.1',
      port: 0,
      logger: silentLogger,
      bookmarkIntervalMs: options.bookmarkIntervalMs,
      defaultWatchTimeoutMs: options.defaultWatchTimeoutMs,
    });
    base = `${server.url}/clusters/acme-dev`;
  }

  afterEach(async () => {
    await server?.stop();
  });

  describe('lists and gets', () => {
    beforeEach(() => start());

    it('serves lists with kind, apiVersion, resourceVersion and typed items', async () => {
      store.write(pod('web-1', 'web', { app: 'web' }));
      store.write(pod('db-1', 'db', { app: 'db' }));
      const all = await getJson(`${base}/api/v1/pods`);
      expect(all.status).toBe(200);
      expect(all.body).toMatchObject({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      });
      expect(all.body.items.map((p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
        'db/db-1',
        'web/web-1',
      ]);
      expect(all.body.items.every((p: V1Pod) => p.kind === 'Pod' && p.apiVersion === 'v1')).toBe(true);

      const namespaced = await getJson(`${base}/api/v1/namespaces/web/pods`);
      expect(namespaced.body.items.map((p: V1Pod) => p.metadata?.name)).toEqual(['web-1']);
    });

    it('gets one object by name and answers 404 with a Status object', async () => {
      store.write(pod('web-1', 'web'));
      const found = await getJson(`${base}/api/v1/namespaces/web/pods/web-1`);
      expect(found.body).toMatchObject({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { name: 'web-1', namespace: 'web' },
      });

      const missing = await getJson(`${base}/apis/apps/v1/namespaces/web/deployments/nope`);
      expect(missing.status).toBe(404);
      expect(missing.body).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message: 'deployments.apps "nope" not found',
        reason: 'NotFound',
        details: { name: 'nope', group: 'apps', kind: 'deployments' },
        code: 404,
      });

      const ns = await getJson(`${base}/api/v1/namespaces/web`);
      expect(ns.body).toMatchObject({ kind: 'Namespace', metadata: { name: 'web' } });
    });

    it('answers like the Backstage kubernetes plugin expects for every kind it asks for', async () => {
      store.write(pod('web-1', 'web', { 'backstage.io/kubernetes-id': 'web' }));
      store.write(pod('other', 'web', { 'backstage.io/kubernetes-id': 'other' }));
      const selector = `labelSelector=${encodeURIComponent('backstage.io/kubernetes-id=web')}`;
      const paths: Array<[string, string, string]> = [
        ['/api/v1/pods', 'PodList', 'v1'],
        ['/api/v1/services', 'ServiceList', 'v1'],
        ['/api/v1/configmaps', 'ConfigMapList', 'v1'],
        ['/api/v1/limitranges', 'LimitRangeList', 'v1'],
        ['/api/v1/resourcequotas', 'ResourceQuotaList', 'v1'],
        ['/apis/apps/v1/deployments', 'DeploymentList', 'apps/v1'],
        ['/apis/apps/v1/replicasets', 'ReplicaSetList', 'apps/v1'],
        ['/apis/apps/v1/statefulsets', 'StatefulSetList', 'apps/v1'],
        ['/apis/apps/v1/daemonsets', 'DaemonSetList', 'apps/v1'],
        ['/apis/autoscaling/v2/horizontalpodautoscalers', 'HorizontalPodAutoscalerList', 'autoscaling/v2'],
        ['/apis/batch/v1/jobs', 'JobList', 'batch/v1'],
        ['/apis/batch/v1/cronjobs', 'CronJobList', 'batch/v1'],
        ['/apis/networking.k8s.io/v1/ingresses', 'IngressList', 'networking.k8s.io/v1'],
        ['/apis/networking.k8s.io/v1/namespaces/web/ingresses', 'IngressList', 'networking.k8s.io/v1'],
      ];
      const podItems = [expect.objectContaining({ metadata: expect.objectContaining({ name: 'web-1' }) })];
      const responses = await Promise.all(
        paths.map(([path]) => getJson(`${base}${path}?${selector}`, { Authorization: 'Bearer ignored' })),
      );
      responses.forEach((response, i) => {
        const [, kind, apiVersion] = paths[i];
        expect(response.status).toBe(200);
        expect(response.body).toEqual({
          kind,
          apiVersion,
          metadata: { resourceVersion: String(store.currentResourceVersion()) },
          items: kind === 'PodList' ? podItems : [],
        });
      });
    });

    it.each([
      ['app=web', ['web-1', 'web-2']],
      ['app==web,tier!=cache', ['web-1']],
      ['tier in (db, cache)', ['db-1', 'web-2']],
      ['tier notin (db)', ['web-1', 'web-2']],
      ['legacy', ['db-1']],
      ['!legacy', ['web-1', 'web-2']],
      ['app=web,!tier', []],
      ['', ['db-1', 'web-1', 'web-2']],
    ])('filters pods with labelSelector %j', async (selector, names) => {
      store.write(pod('web-1', 'web', { app: 'web', tier: 'frontend' }));
      store.write(pod('web-2', 'web', { app: 'web', tier: 'cache' }));
      store.write(pod('db-1', 'db', { app: 'db', tier: 'db', legacy: 'yes' }));
      const { body } = await getJson(`${base}/api/v1/pods?labelSelector=${encodeURIComponent(selector)}`);
      expect(body.items.map((p: V1Pod) => p.metadata?.name)).toEqual(names);
    });

    it('filters with fieldSelector and rejects what the API server would', async () => {
      store.write(pod('web-1', 'web'));
      store.write(pod('web-2', 'web'));
      store.write(pod('web-1', 'db'));
      const byName = await getJson(
        `${base}/api/v1/pods?fieldSelector=${encodeURIComponent('metadata.name=web-1,metadata.namespace!=db')}`,
      );
      expect(byName.body.items.map((p: V1Pod) => `${p.metadata?.namespace}/${p.metadata?.name}`)).toEqual([
        'web/web-1',
      ]);

      const unsupported = await getJson(`${base}/api/v1/pods?fieldSelector=spec.bogus%3Dx`);
      expect(unsupported.status).toBe(400);
      expect(unsupported.body).toMatchObject({
        kind: 'Status',
        reason: 'BadRequest',
        message: 'field label not supported: spec.bogus',
      });

      const badLabels = await getJson(`${base}/api/v1/pods?labelSelector=${encodeURIComponent('a b c')}`);
      expect(badLabels.status).toBe(400);
      expect(badLabels.body.message).toMatch(/unable to parse requirement/);
    });

    it('serves discovery and a version that names the stand-in', async () => {
      expect((await getJson(`${base}/api`)).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
      const groups = (await getJson(`${base}/apis`)).body;
      expect(groups.kind).toBe('APIGroupList');
      expect(groups.groups.map((g: { name: string }) => g.name)).toEqual([
        'apps',
        'autoscaling',
        'batch',
        'networking.k8s.io',
        'kustomize.toolkit.fluxcd.io',
        'helm.toolkit.fluxcd.io',
        'source.toolkit.fluxcd.io',
      ]);
      const apps = (await getJson(`${base}/apis/apps/v1`)).body;
      expect(apps).toMatchObject({ kind: 'APIResourceList', groupVersion: 'apps/v1' });
      expect(apps.resources).toContainEqual(
        expect.objectContaining({
          name: 'deployments',
          kind: 'Deployment',
          namespaced: true,
          verbs: ['get', 'list', 'watch'],
        }),
      );
      const core = (await getJson(`${base}/api/v1`)).body;
      expect(core.resources).toContainEqual(expect.objectContaining({ name: 'namespaces', namespaced: false }));
      expect((await getJson(`${base}/apis/kustomize.toolkit.fluxcd.io`)).body).toMatchObject({
        kind: 'APIGroup',
        preferredVersion: { groupVersion: 'kustomize.toolkit.fluxcd.io/v1' },
      });
      expect((await getJson(`${base}/version`)).body.gitVersion).toBe('v1.31.0-devcluster');
      expect((await getJson(`${base}/apis/apps/v1beta1`)).status).toBe(404);
      expect((await getJson(`${base}/apis/apps/v1/widgets`)).status).toBe(404);
    });

    it('lists its clusters at the root and rejects writes and unknown Environments', async () => {
      expect((await getJson(server.url)).body.clusters).toEqual([
        { name: 'devcluster-acme-dev', environment: 'acme-dev', url: `${server.url}/clusters/acme-dev` },
      ]);
      const post = await sendRaw(`${base}/api/v1/namespaces/web/pods`, 'POST');
      expect(post.status).toBe(405);
      expect(post.body).toMatchObject({ kind: 'Status', reason: 'MethodNotAllowed' });
      const unknown = await getJson(`${server.url}/clusters/nope/api/v1/pods`);
      expect(unknown.status).toBe(404);
      expect(unknown.body.kind).toBe('Status');
    });
  });

  describe('watches', () => {
    it('starts with synthetic ADDED events without a resourceVersion, then streams changes', async () => {
      await start();
      store.write(pod('web-1', 'web'));
      const watching = collectWatch(`${base}/api/v1/namespaces/web/pods?watch=true`, {
        count: 3,
        onOpen: () => {
          setTimeout(() => {
            store.write(pod('web-1', 'web', {}, 'Running'));
            store.delete({ group: '', kind: 'Pod', namespace: 'web', name: 'web-1' });
          }, 20);
        },
      });
      const { events } = await watching;
      expect(events.map(e => `${e.type} ${e.object.metadata?.name}`)).toEqual([
        'ADDED web-1',
        'MODIFIED web-1',
        'DELETED web-1',
      ]);
      const versions = events.map(e => Number(e.object.metadata?.resourceVersion));
      expect(versions).toEqual([...versions].sort((a, b) => a - b));
      expect(versions[2]).toBe(store.currentResourceVersion());
    });

    it('resumes exactly after a retained resourceVersion', async () => {
      await start();
      const from = store.currentResourceVersion();
      store.write(pod('a', 'web'));
      store.write(configMap('noise', 'web'));
      store.write(pod('b', 'web'));
      store.write(pod('a', 'web', {}, 'Running'));

      const all = await collectWatch(`${base}/api/v1/namespaces/web/pods?watch=1&resourceVersion=${from}`, {
        count: 3,
      });
      expect(all.events.map(e => `${e.type} ${e.object.metadata?.name} ${e.object.metadata?.resourceVersion}`)).toEqual(
        [`ADDED a ${from + 1}`, `ADDED b ${from + 3}`, `MODIFIED a ${from + 4}`],
      );
      const later = await collectWatch(`${base}/api/v1/namespaces/web/pods?watch=1&resourceVersion=${from + 3}`, {
        count: 1,
      });
      expect(later.events.map(e => `${e.type} ${e.object.metadata?.name}`)).toEqual(['MODIFIED a']);
    });

    it('answers an expired resourceVersion with a 410 Expired ERROR event and ends the stream', async () => {
      await start({ historyLimit: 3 });
      const from = store.currentResourceVersion();
      for (let i = 0; i < 5; i++) store.write(configMap(`cm-${i}`, 'web'));
      const { events, ended, status } = await collectWatch(`${base}/api/v1/pods?watch=true&resourceVersion=${from}`);
      expect(status).toBe(200);
      expect(ended).toBe(true);
      expect(events).toEqual([
        {
          type: 'ERROR',
          object: expect.objectContaining({
            kind: 'Status',
            status: 'Failure',
            code: 410,
            reason: 'Expired',
            message: `too old resource version: ${from} (${from + 2})`,
          }),
        },
      ]);
    });

    it('turns label changes into ADDED and DELETED for a selective watch', async () => {
      await start();
      store.write(pod('p', 'web', { app: 'web' }));
      const from = store.currentResourceVersion();
      store.write(pod('p', 'web', { app: 'other' }));
      store.write(pod('p', 'web', { app: 'web', tier: 'x' }));
      const { events } = await collectWatch(
        `${base}/api/v1/pods?watch=true&resourceVersion=${from}&labelSelector=app%3Dweb`,
        { count: 2 },
      );
      expect(events.map(e => `${e.type} ${e.object.metadata?.labels?.app}`)).toEqual(['DELETED web', 'ADDED web']);
    });

    it('sends bookmarks when allowed and ends at timeoutSeconds', async () => {
      await start({ bookmarkIntervalMs: 50 });
      store.write(pod('p', 'web'));
      const started = Date.now();
      const { events, ended } = await collectWatch(
        `${base}/api/v1/pods?watch=true&resourceVersion=${store.currentResourceVersion()}&allowWatchBookmarks=true&timeoutSeconds=1`,
        { timeoutMs: 10_000 },
      );
      // Ended by the server (not our 10 s deadline), and not before the 1 s it was asked to last.
      expect(ended).toBe(true);
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(events.length).toBeGreaterThan(0);
      expect(events.every(e => e.type === 'BOOKMARK')).toBe(true);
      expect(events[0].object).toEqual({
        kind: 'Pod',
        apiVersion: 'v1',
        metadata: { resourceVersion: String(store.currentResourceVersion()) },
      });
    });

    it('feeds a real client-node informer: list, then add, update and delete', async () => {
      await start();
      store.write(pod('existing', 'web'));
      const kc = kubeConfigFor(base);
      const core = kc.makeApiClient(CoreV1Api);
      const informer = makeInformer(kc, '/api/v1/namespaces/web/pods', () =>
        core.listNamespacedPod({ namespace: 'web' }),
      );
      const seen: string[] = [];
      informer.on('add', p => seen.push(`add ${p.metadata?.name}`));
      informer.on('update', p => seen.push(`update ${p.metadata?.name} ${p.status?.phase}`));
      informer.on('delete', p => seen.push(`delete ${p.metadata?.name}`));
      await informer.start();
      try {
        await waitFor('initial list', () => seen.includes('add existing'));
        store.write(pod('new', 'web'));
        store.write(pod('new', 'web', {}, 'Running'));
        store.delete({ group: '', kind: 'Pod', namespace: 'web', name: 'existing' });
        store.write(pod('elsewhere', 'db'));
        await waitFor('watch events', () => seen.length >= 4 && seen);
        expect(seen).toEqual(['add existing', 'add new', 'update new Running', 'delete existing']);
        expect(informer.list().map(p => p.metadata?.name)).toEqual(['new']);
      } finally {
        await informer.stop();
      }
    });

    it('makes an informer re-list after its resourceVersion expired while the watch was away', async () => {
      await start({ historyLimit: 5, defaultWatchTimeoutMs: 300 });
      const kc = kubeConfigFor(base);
      const apps = kc.makeApiClient(AppsV1Api);
      let lists = 0;
      const informer = makeInformer(kc, '/apis/apps/v1/namespaces/web/deployments', () => {
        lists++;
        return apps.listNamespacedDeployment({ namespace: 'web' });
      });
      const added: string[] = [];
      informer.on('add', d => added.push(d.metadata?.name ?? ''));
      await informer.start();
      try {
        await waitFor('first list', () => lists === 1);
        // Other kinds move the cluster's resourceVersion far beyond the history
        // window while this informer sees nothing: its next watch gets 410.
        for (let i = 0; i < 20; i++) store.write(configMap(`noise-${i}`, 'db'));
        await waitFor('a re-list after 410', () => lists >= 2, 5000);
        store.write({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'after-relist', namespace: 'web' },
          spec: { replicas: 1 },
        });
        await waitFor('the informer to keep watching after the re-list', () => added.includes('after-relist'));
        expect(lists).toBeGreaterThanOrEqual(2);
        expect(informer.list().map(d => d.metadata?.name)).toEqual(['after-relist']);
      } finally {
        await informer.stop();
      }
    });

    it('lets the raw client-node Watch resume from a resourceVersion', async () => {
      await start();
      const from = store.currentResourceVersion();
      store.write(pod('x', 'web'));
      const kc = kubeConfigFor(base);
      const received: string[] = [];
      const controller = await new Watch(kc).watch(
        '/api/v1/namespaces/web/pods',
        { resourceVersion: String(from) },
        (type, object) => received.push(`${type} ${object.metadata.name}`),
        () => {},
      );
      try {
        await waitFor('replayed event', () => received.length >= 1);
        store.write(pod('y', 'web'));
        await waitFor('live event', () => received.length >= 2);
        expect(received).toEqual(['ADDED x', 'ADDED y']);
      } finally {
        controller.abort();
      }
    });
  });
});
