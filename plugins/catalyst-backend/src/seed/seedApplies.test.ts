import { mockServices } from '@backstage/backend-test-utils';
import { startDevCluster, DevCluster } from '@internal/devcluster';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Knex } from 'knex';
import { createTestDatabase } from '../__testUtils__/database';
import { grantsAuthorization, testPrincipal } from '../__testUtils__/grantsAccess';
import { GitBlueprintRegistry } from '../blueprints/GitBlueprintRegistry';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { EnvironmentController } from '../environments/EnvironmentController';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { seedBlueprints } from './blueprints';
import { seedBlueprintRepos } from './seedBlueprintRepos';

const who = () => ({ name: 'Catalyst', email: 'catalyst@local', timestamp: Math.floor(Date.now() / 1000) });
const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };
const actor = testPrincipal('user:default/guest', [{ role: 'org-admin', organization: 'acme' }]);

interface Kustomization {
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string; reason: string; message: string }> };
}

/**
 * The seed catalog's manifests are real: every latest version, installed through the provisioning
 * service, builds and becomes Ready in the devcluster (Kustomize build, post-build substitution,
 * server-side validation, dependsOn, health checks).
 */
describe('seed Blueprints in the devcluster', () => {
  let root: string;
  let db: Knex;
  let cluster: DevCluster;
  let service: ProvisioningService;
  let queries: EnvironmentQueries;

  beforeAll(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-seed-apply-'));
    await seedBlueprintRepos(root, seedBlueprints(), who);
    db = await createTestDatabase();
    const store = DatabaseOrganizationStore.create(db);
    await store.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: [],
      createdBy: 't',
      createdAt: new Date().toISOString(),
    });
    await store.createEnvironment({
      name: 'acme-dev',
      organization: 'acme',
      envType: 'dev',
      placement: { preset: 'small', regions: [] },
      createdBy: 't',
      createdAt: new Date().toISOString(),
    });
    const repos = EnvironmentRepositories.create({ gitRoot: root });
    await EnvironmentController.create({
      store,
      repos,
      logger: mockServices.logger.mock(),
      committer: catalyst,
      now: () => new Date(),
    }).reconcileAll();
    const registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: mockServices.logger.mock(),
    });
    await registry.refresh();
    const authorization = grantsAuthorization(store);
    queries = EnvironmentQueries.create({ store, repos, authorization });
    service = ProvisioningService.create({
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher: { publish: async () => undefined },
      committer: catalyst,
      now: () => new Date(),
      logger: mockServices.logger.mock(),
    });
    cluster = await startDevCluster({ gitRoot: root, host: '127.0.0.1', port: 0, podReadyDelayMs: 50, pollMs: 50 });
  });
  afterAll(async () => {
    await cluster?.stop();
    await db?.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('every listed, unlisted and private Blueprint becomes Ready', async () => {
    const site = { domain: 'www.acme.example' };
    await service.install(actor, 'acme-dev', { application: 'db', blueprint: 'bp-postgres' });
    await service.install(actor, 'acme-dev', { application: 'cache', blueprint: 'bp-redis', overlay: 'small' });
    await service.install(actor, 'acme-dev', {
      application: 'www',
      blueprint: 'bp-static-site',
      values: site,
      overlay: 'large',
    });
    await service.install(actor, 'acme-dev', {
      application: 'dash',
      blueprint: 'bp-grafana',
      values: { domain: 'grafana.acme.example', database: 'postgres' },
    });
    await service.install(actor, 'acme-dev', { application: 'ping', blueprint: 'bp-echo' });
    await service.install(actor, 'acme-dev', {
      application: 'blog',
      blueprint: 'bp-wordpress',
      values: { domain: 'blog.acme.example', adminEmail: 'a@acme.example' },
    });
    await service.install(actor, 'acme-dev', {
      application: 'shop',
      blueprint: 'bp-bundle-starter',
      values: { domain: 'shop.acme.example', adminEmail: 'a@acme.example' },
    });
    await service.install(actor, 'acme-dev', {
      application: 'pay',
      blueprint: 'bp-acme-payments',
      values: { merchantId: 'M123456' },
    });
    const expected = (await queries.listApplications(actor, 'acme-dev')).map(a => a.name).sort();
    expect(expected.length).toBeGreaterThanOrEqual(14);

    const deadline = Date.now() + 60_000;
    let last: Kustomization[] = [];
    while (Date.now() < deadline) {
      await cluster.applyNow('acme-dev');
      const res = await fetch(`${cluster.clusterUrl('acme-dev')}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`);
      last = ((await res.json()) as { items: Kustomization[] }).items.filter(k => k.metadata.name !== 'applications');
      const ready = last.filter(k => k.status?.conditions?.some(c => c.type === 'Ready' && c.status === 'True'));
      if (ready.length === expected.length) break;
      await new Promise(r => setTimeout(r, 200));
    }
    const notReady = last
      .map(k => ({ name: k.metadata.name, ready: k.status?.conditions?.find(c => c.type === 'Ready') }))
      .filter(k => k.ready?.status !== 'True')
      .map(k => `${k.name}: ${k.ready?.reason} ${k.ready?.message}`);
    expect(notReady).toEqual([]);
    expect(last.map(k => k.metadata.name).sort()).toEqual(expected);
  }, 120_000);

  it('a paused Application runs no pods and stays Ready; resumed, its pods come back', async () => {
    const pods = async (app: string) => {
      await cluster.applyNow('acme-dev');
      const res = await fetch(
        `${cluster.clusterUrl('acme-dev')}/api/v1/pods?labelSelector=${encodeURIComponent(
          `catalyst.openova.io/application=${app}`,
        )}`,
      );
      return ((await res.json()) as { items: unknown[] }).items.length;
    };
    const until = async (what: string, check: () => Promise<boolean>) => {
      const deadline = Date.now() + 30_000;
      while (!(await check())) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
        await new Promise(r => setTimeout(r, 200));
      }
    };
    // Both run Deployments (the devcluster has no StatefulSets; the pause patch covers those too).
    for (const app of ['cache', 'blog']) await until(`${app} pods`, async () => (await pods(app)) > 0);
    for (const app of ['cache', 'blog']) await service.update(actor, 'acme-dev', app, { paused: true });
    for (const app of ['cache', 'blog']) await until(`${app} scaled to zero`, async () => (await pods(app)) === 0);
    // blog's own database keeps running: only what was paused stops.
    expect(await pods('blog-postgres')).toBeGreaterThan(0);
    const res = await fetch(`${cluster.clusterUrl('acme-dev')}/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations`);
    const cache = ((await res.json()) as { items: Kustomization[] }).items.find(k => k.metadata.name === 'cache');
    expect(cache?.status?.conditions?.find(c => c.type === 'Ready')?.status).toBe('True');

    await service.update(actor, 'acme-dev', 'cache', { paused: false });
    await until('cache pods again', async () => (await pods('cache')) > 0);
  }, 90_000);
});
