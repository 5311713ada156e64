import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Watch } from '@kubernetes/client-node';
import { DevCluster, startDevCluster } from './startDevCluster';
import { TestEnvironmentRepo } from './__testUtils__/envRepo';
import { applicationFiles, gotkSync, helmApplicationFiles } from './__testUtils__/fixtures';
import { collectWatch, getJson, kubeConfigFor } from './__testUtils__/http';
import { waitFor } from './__testUtils__/waitFor';

const KS = '/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations';

describe('startDevCluster', () => {
  let root: string;
  let repo: TestEnvironmentRepo;
  let cluster: DevCluster;
  let base: string;

  async function start(options: { pollMs?: number; podReadyDelayMs?: number } = {}) {
    cluster = await startDevCluster({
      gitRoot: root,
      port: 0,
      podReadyDelayMs: options.podReadyDelayMs ?? 150,
      pollMs: options.pollMs ?? 40,
      crashLoopRestartMs: 100,
    });
    base = cluster.clusterUrl('acme-dev');
  }

  const get = async (path: string) => (await getJson(`${base}${path}`)).body;
  const kustomization = (name: string) => get(`${KS}/${name}`);
  const ready = (object: any) => object?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
  const waitForReady = (name: string, revision: string, timeoutMs = 8000) =>
    waitFor(
      `Kustomization ${name} Ready at ${revision}`,
      async () => {
        const ks = await kustomization(name);
        return ready(ks)?.status === 'True' && ks.status.lastAppliedRevision === revision && ks;
      },
      timeoutMs,
    );
  const waitForReason = (name: string, reason: string, timeoutMs = 8000) =>
    waitFor(
      `Kustomization ${name} Ready=False ${reason}`,
      async () => {
        const ks = await kustomization(name);
        return ready(ks)?.reason === reason && ks;
      },
      timeoutMs,
    );

  beforeEach(async () => {
    root = mkdtempSync(join(tmpdir(), 'devcluster-test-'));
    repo = await TestEnvironmentRepo.create(root, 'acme', 'acme-dev');
  });

  afterEach(async () => {
    await cluster?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('applies Applications like Flux and reports Ready with the commit once their pods are ready', async () => {
    // Long enough that a late reconcile tick still sees pods Running before they are ready.
    await start({ podReadyDelayMs: 1500 });
    const kc = kubeConfigFor(base);
    const phases: string[] = [];
    const watch = await new Watch(kc).watch(
      '/api/v1/namespaces/web/pods',
      {},
      (_type, pod) => {
        const readyCondition = pod.status?.conditions?.find((c: { type: string }) => c.type === 'Ready');
        phases.push(`${pod.status?.phase}${readyCondition?.status === 'True' ? '+Ready' : ''}`);
      },
      () => {},
    );

    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev', values: { replicas: '3' } }),
      ...applicationFiles({ app: 'api', environment: 'acme-dev' }),
      'policies/environment-policy.yaml':
        'apiVersion: catalyst.openova.io/v1alpha1\nkind: EnvironmentPolicy\nmetadata: { name: acme-dev }\nspec: { rules: [] }\n',
    });
    const revision = `main@sha1:${sha}`;
    const web = await waitForReady('web', revision);
    watch.abort();

    expect(web.status).toMatchObject({
      observedGeneration: 1,
      lastAttemptedRevision: revision,
      lastAppliedRevision: revision,
      inventory: {
        entries: [
          { id: 'web_web__Service', v: 'v1' },
          { id: 'web_web_apps_Deployment', v: 'v1' },
        ],
      },
    });
    expect(web.status.conditions).toEqual([
      expect.objectContaining({
        type: 'Ready',
        status: 'True',
        reason: 'ReconciliationSucceeded',
        message: `Applied revision: ${revision}`,
      }),
      expect.objectContaining({
        type: 'Healthy',
        status: 'True',
        reason: 'Succeeded',
        message: expect.stringMatching(/^Health check passed in /),
      }),
    ]);
    expect(phases[0]).toBe('Pending');
    expect(phases).toContain('Running');
    expect(phases[phases.length - 1]).toBe('Running+Ready');

    // Substitution: replicas from values.yaml for web, the overlay's default for api.
    const deployments = await get('/apis/apps/v1/deployments?labelSelector=catalyst.openova.io%2Fapplication');
    const byName = Object.fromEntries(deployments.items.map((d: any) => [d.metadata.name, d]));
    expect(byName.web.spec.replicas).toBe(3);
    expect(byName.web.metadata.namespace).toBe('web');
    expect(byName.web.status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
    expect(byName.web.metadata.labels).toMatchObject({
      'catalyst.openova.io/environment': 'acme-dev',
      'kustomize.toolkit.fluxcd.io/name': 'web',
      'kustomize.toolkit.fluxcd.io/namespace': 'flux-system',
    });
    await waitForReady('api', revision);
    expect((await get('/apis/apps/v1/namespaces/api/deployments/api')).spec.replicas).toBe(2);

    const pods = await get('/api/v1/pods?labelSelector=app.kubernetes.io%2Fname%3Dweb');
    expect(pods.items.filter((p: any) => p.metadata.namespace === 'web')).toHaveLength(3);
    const service = await get('/api/v1/namespaces/web/services/web');
    expect(service.spec.clusterIP).toMatch(/^10\.96\./);
    expect((await get('/api/v1/namespaces/web')).metadata.annotations).toEqual({
      'devcluster.catalyst.openova.io/created-for': 'flux-system/web',
    });

    const source = await get('/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/environment');
    expect(source.status.artifact.revision).toBe(revision);
    expect(ready(source)).toMatchObject({ status: 'True', message: `stored artifact for revision '${revision}'` });
    const applications = await waitForReady('applications', revision);
    expect(applications.status.inventory.entries.map((e: { id: string }) => e.id)).toEqual([
      'flux-system_api_kustomize.toolkit.fluxcd.io_Kustomization',
      'flux-system_web_kustomize.toolkit.fluxcd.io_Kustomization',
    ]);
  });

  it('applies a dependent only after its dependency is Ready at the same revision', async () => {
    await start({ podReadyDelayMs: 300 });
    const kc = kubeConfigFor(base);
    const events: Array<{ rv: number; what: string }> = [];
    const record = (what: (o: any) => string | undefined) => (_type: string, object: any) => {
      const text = what(object);
      if (text) events.push({ rv: Number(object.metadata.resourceVersion), what: text });
    };
    const w1 = await new Watch(kc).watch(
      KS,
      {},
      record(ks => `${ks.metadata.name}:${ready(ks)?.status ?? '-'}:${ready(ks)?.reason ?? '-'}`),
      () => {},
    );
    const w2 = await new Watch(kc).watch(
      '/apis/apps/v1/deployments',
      {},
      record(d => `deployment ${d.metadata.name}`),
      () => {},
    );

    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'db', environment: 'acme-dev' }),
      ...applicationFiles({ app: 'cms', environment: 'acme-dev', dependsOn: ['db'] }),
    });
    await waitForReady('cms', `main@sha1:${sha}`);
    w1.abort();
    w2.abort();

    const first = (what: string) => events.find(e => e.what === what)?.rv ?? Infinity;
    const cmsWaiting = await kustomization('cms');
    expect(events.map(e => e.what)).toContain('cms:False:DependencyNotReady');
    expect(first('db:True:ReconciliationSucceeded')).toBeLessThan(first('deployment cms'));
    expect(first('deployment db')).toBeLessThan(first('deployment cms'));
    expect(cmsWaiting.spec.dependsOn).toEqual([{ name: 'db' }]);
  });

  it('reports the dependency message while it waits', async () => {
    await start({ podReadyDelayMs: 5000 });
    await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'db', environment: 'acme-dev' }),
      ...applicationFiles({ app: 'cms', environment: 'acme-dev', dependsOn: ['db'] }),
    });
    const cms = await waitForReason('cms', 'DependencyNotReady');
    expect(ready(cms).message).toBe("dependency 'flux-system/db' is not ready");
    const db = await kustomization('db');
    expect(ready(db)).toMatchObject({
      status: 'Unknown',
      reason: 'Progressing',
      message: 'Reconciliation in progress',
    });
    expect(db.status.conditions).toContainEqual(
      expect.objectContaining({
        type: 'Reconciling',
        status: 'True',
        message: expect.stringMatching(
          /^Running health checks for revision main@sha1:[0-9a-f]{40} with a timeout of 5m0s$/,
        ),
      }),
    );
    expect((await getJson(`${base}/apis/apps/v1/namespaces/cms/deployments/cms`)).status).toBe(404);
  });

  it('shows a -crashloop image as CrashLoopBackOff and fails the health check after the timeout', async () => {
    await start();
    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'bad', environment: 'acme-dev', image: 'nginx:1.27-crashloop', timeout: '500ms' }),
    });
    const bad = await waitForReason('bad', 'HealthCheckFailed', 15_000);
    const [, elapsed, unit] =
      /^health check failed after ([\d.]+)(ms|s): timeout waiting for: \[Deployment\/bad\/bad status: 'InProgress'\]$/.exec(
        ready(bad).message,
      ) ?? [];
    expect(Number(elapsed) * (unit === 's' ? 1000 : 1)).toBeGreaterThanOrEqual(500);
    expect(bad.status.lastAttemptedRevision).toBe(`main@sha1:${sha}`);
    expect(bad.status.lastAppliedRevision).toBeUndefined();

    const pods = await get('/api/v1/namespaces/bad/pods');
    const container = pods.items[0].status.containerStatuses[0];
    expect(container.state.waiting.reason).toBe('CrashLoopBackOff');
    expect(container.restartCount).toBeGreaterThan(1);
    expect(container.ready).toBe(false);
  });

  it('fails the build on a broken manifest, naming the file, and recovers on a fixed commit', async () => {
    await start();
    const files = applicationFiles({ app: 'web', environment: 'acme-dev' });
    const path = 'applications/web/blueprint/base/deployment.yaml';
    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...files,
      [path]: 'apiVersion: apps/v1\nkind: Deployment\nmetadata: [oops\n',
    });
    const broken = await waitForReason('web', 'BuildFailed');
    expect(ready(broken).message).toMatch(new RegExp(`^kustomize build failed: ${path}: YAML parse error`));
    expect(broken.status.lastAttemptedRevision).toBe(`main@sha1:${sha}`);

    const fixed = await repo.commit({ [path]: files[path] }, 'fix the manifest');
    await waitForReady('web', `main@sha1:${fixed}`);
  });

  it('rejects what the API server would reject, before applying anything', async () => {
    await start();
    const files = applicationFiles({ app: 'web', environment: 'acme-dev' });
    const path = 'applications/web/blueprint/base/deployment.yaml';
    await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...files,
      [path]: files[path].replace(
        '      labels:\n        app.kubernetes.io/name: web\n    spec:',
        '      labels:\n        app.kubernetes.io/name: other\n    spec:',
      ),
    });
    const web = await waitForReason('web', 'ReconciliationFailed');
    expect(ready(web).message).toBe(
      'Deployment/web/web dry-run failed (Invalid): Deployment.apps "web" is invalid: spec.template.metadata.labels: Invalid value: "{"app.kubernetes.io/name":"other"}": `selector` does not match template `labels`',
    );
    expect((await get('/api/v1/namespaces/web/services')).items).toEqual([]);
  });

  it('prunes everything of an Application whose folder and Flux file were removed', async () => {
    await start();
    const first = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev' }),
      ...applicationFiles({ app: 'api', environment: 'acme-dev' }),
    });
    await waitForReady('web', `main@sha1:${first}`);
    const second = await repo.commit(
      { 'flux-system/applications/web.yaml': null, 'applications/web': null },
      'uninstall web',
    );
    await waitForReady('applications', `main@sha1:${second}`);

    expect((await getJson(`${base}${KS}/web`)).status).toBe(404);
    for (const path of ['/apis/apps/v1/deployments', '/apis/apps/v1/replicasets', '/api/v1/pods', '/api/v1/services']) {
      const names = (await get(path)).items.filter((o: any) => o.metadata.namespace === 'web');
      expect(names).toEqual([]);
    }
    expect((await getJson(`${base}/api/v1/namespaces/web`)).status).toBe(404);
    expect((await get('/apis/apps/v1/namespaces/api/deployments/api')).metadata.name).toBe('api');
  });

  it('rolls out a changed image through a new ReplicaSet', async () => {
    await start();
    const first = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev', image: 'nginx:1.27' }),
    });
    await waitForReady('web', `main@sha1:${first}`);
    const [oldRs] = (await get('/apis/apps/v1/namespaces/web/replicasets')).items;

    const second = await repo.commit(
      applicationFiles({ app: 'web', environment: 'acme-dev', image: 'nginx:1.28' }),
      'upgrade',
    );
    await waitForReady('web', `main@sha1:${second}`);
    const replicaSets = (await get('/apis/apps/v1/namespaces/web/replicasets')).items;
    expect(replicaSets).toHaveLength(2);
    const newRs = replicaSets.find((rs: any) => rs.metadata.name !== oldRs.metadata.name);
    expect(newRs.spec.template.spec.containers[0].image).toBe('nginx:1.28');
    expect(newRs.spec.replicas).toBe(2);
    expect(replicaSets.find((rs: any) => rs.metadata.name === oldRs.metadata.name).spec.replicas).toBe(0);
    const deployment = await get('/apis/apps/v1/namespaces/web/deployments/web');
    expect(deployment.metadata.generation).toBe(2);
    expect(deployment.status).toMatchObject({ observedGeneration: 2, updatedReplicas: 2, availableReplicas: 2 });
  });

  it('says plainly that it cannot pull Helm charts', async () => {
    await start();
    await repo.commit({ 'flux-system/gotk-sync.yaml': gotkSync(), ...helmApplicationFiles('cache', 'acme-dev') });
    const ks = await waitForReason('cache', 'HealthCheckFailed');
    expect(ready(ks).message).toMatch(
      /^health check failed after [\d.]+m?s: failed early due to stalled resources: \[OCIRepository\/cache\/cache status: 'Failed', HelmRelease\/cache\/cache status: 'Failed'\]$/,
    );

    const release = await get('/apis/helm.toolkit.fluxcd.io/v2/namespaces/cache/helmreleases/cache');
    expect(ready(release)).toMatchObject({
      status: 'False',
      reason: 'ChartPullFailed',
      message:
        'devcluster cannot pull Helm charts: chart oci://charts.example.invalid/redis:19.0.0 was not fetched and no workload was created (development stand-in, not a real cluster)',
    });
    expect((await get('/api/v1/namespaces/cache/configmaps/values')).data['values.yaml']).toBe('replicaCount: 1\n');
    expect((await get('/api/v1/namespaces/cache/pods')).items).toEqual([]);
  });

  it('does not reconcile suspended Kustomizations', async () => {
    await start();
    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev', suspend: true }),
      ...applicationFiles({ app: 'api', environment: 'acme-dev' }),
    });
    await waitForReady('api', `main@sha1:${sha}`);
    const web = await kustomization('web');
    expect(web.spec.suspend).toBe(true);
    expect(web.status).toBeUndefined();
    expect((await getJson(`${base}/apis/apps/v1/namespaces/web/deployments/web`)).status).toBe(404);
  });

  it('finds Environment repos created later and reports a missing main branch', async () => {
    await start();
    const stg = await TestEnvironmentRepo.create(root, 'acme', 'acme-stg');
    const stgBase = cluster.clusterUrl('acme-stg');
    const source = await waitFor('GitRepository of acme-stg', async () => {
      const { body } = await getJson(
        `${stgBase}/apis/source.toolkit.fluxcd.io/v1/namespaces/flux-system/gitrepositories/environment`,
      );
      return ready(body)?.status === 'False' && body;
    });
    expect(ready(source)).toMatchObject({
      reason: 'GitOperationFailed',
      message: "failed to checkout and determine revision: unable to clone: reference 'refs/heads/main' not found",
    });
    const sha = await stg.commit({ ...applicationFiles({ app: 'web', environment: 'acme-stg' }) });
    await waitFor('acme-stg web Ready', async () => {
      const { body } = await getJson(`${stgBase}${KS}/web`);
      return body?.status?.lastAppliedRevision === `main@sha1:${sha}`;
    });
    const { body: list } = await getJson(cluster.url);
    expect(list.clusters.map((c: { name: string }) => c.name)).toEqual(
      expect.arrayContaining(['devcluster-acme-dev', 'devcluster-acme-stg']),
    );
  });

  it('reconciles at once on applyNow, without waiting for the poll', async () => {
    await start({ pollMs: 60_000, podReadyDelayMs: 0 });
    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev' }),
    });
    await cluster.applyNow('acme-dev');
    const web = await kustomization('web');
    expect(web.status.lastAttemptedRevision).toBe(`main@sha1:${sha}`);
    expect(() => cluster.clusterUrl('not an env')).toThrow(/not an Environment name/);
    expect(cluster.clusterName('acme-dev')).toBe('devcluster-acme-dev');
  });

  it('restarted, hands out only newer resourceVersions and answers the old ones with 410, so informers list again', async () => {
    await start({ podReadyDelayMs: 0 });
    const sha = await repo.commit({
      'flux-system/gotk-sync.yaml': gotkSync(),
      ...applicationFiles({ app: 'web', environment: 'acme-dev', wait: false }),
    });
    await waitForReady('web', `main@sha1:${sha}`);
    const before = Number((await get(`${KS}`)).metadata.resourceVersion);
    const port = Number(new URL(cluster.url).port);
    await cluster.stop();

    cluster = await startDevCluster({ gitRoot: root, port, podReadyDelayMs: 0, pollMs: 40, crashLoopRestartMs: 100 });
    await waitForReady('web', `main@sha1:${sha}`);
    const list = await get(`${KS}`);
    // Every object was applied again by the new run, each at a version above the old run's.
    for (const item of list.items) expect(Number(item.metadata.resourceVersion)).toBeGreaterThan(before);
    const { events, ended } = await collectWatch(`${base}${KS}?watch=1&resourceVersion=${before}`);
    expect(ended).toBe(true);
    expect(events).toEqual([
      {
        type: 'ERROR',
        object: expect.objectContaining({ kind: 'Status', code: 410, reason: 'Expired' }),
      },
    ]);
  });
});
