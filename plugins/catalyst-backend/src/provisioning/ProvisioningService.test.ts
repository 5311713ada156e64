import { mockServices } from '@backstage/backend-test-utils';
import { CatalystEvent } from '@internal/plugin-catalyst-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Knex } from 'knex';
import { parse } from 'yaml';
import { createTestDatabase } from '../__testUtils__/database';
import { grantsAuthorization, testPrincipal } from '../__testUtils__/grantsAccess';
import { GitBlueprintRegistry } from '../blueprints/GitBlueprintRegistry';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { EnvironmentController } from '../environments/EnvironmentController';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import { seedBlueprints } from '../seed/blueprints';
import { seedBlueprintRepos } from '../seed/seedBlueprintRepos';
import type { GitRepository } from '../git/GitRepository';
import { EnvironmentQueries } from './EnvironmentQueries';
import { ProvisioningService } from './ProvisioningService';

const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };
const now = () => new Date('2026-11-23T12:00:00Z');
const layla = testPrincipal('user:default/layla', [{ role: 'org-developer', organization: 'acme' }], {
  displayName: 'Layla Al-Harthy',
  email: 'layla@acme.example',
});
const vic = testPrincipal('user:default/vic', [{ role: 'org-viewer', organization: 'acme' }]);
const gus = testPrincipal('user:default/gus', [{ role: 'org-admin', organization: 'globex' }]);
const wpValues = { domain: 'blog.acme.example', adminEmail: 'ops@acme.example' };

describe('ProvisioningService', () => {
  let root: string;
  let db: Knex;
  let repos: EnvironmentRepositories;
  let service: ProvisioningService;
  let queries: EnvironmentQueries;
  let events: CatalystEvent[];
  let logger: ReturnType<typeof mockServices.logger.mock>;
  /** Runs once, between the writer's computation of the next write and its commit (see the race test). */
  let duringNextComputation: (() => void) | undefined;

  const git = (env: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', repos.path(env), ...args], { encoding: 'utf8' }).trim();
  const head = (env: string) => git(env, 'rev-parse', 'main');
  const readAtHead = (env: string, path: string) => git(env, 'show', `main:${path}`);

  beforeAll(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-prov-'));
    await seedBlueprintRepos(root, seedBlueprints(), () => ({ ...catalyst, timestamp: 1_700_000_000 }));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  beforeEach(async () => {
    for (const env of ['acme-dev', 'acme-prod'])
      fs.rmSync(join(root, 'acme', `${env}.git`), { recursive: true, force: true });
    db = await createTestDatabase();
    const store = DatabaseOrganizationStore.create(db);
    repos = EnvironmentRepositories.create({ gitRoot: root });
    // Every repo the service opens reads through this, so a test can act in the middle of a write.
    const open = repos.open.bind(repos);
    repos.open = async (environment: string) => {
      const repo = await open(environment);
      return new Proxy(repo, {
        get(target, prop: keyof GitRepository) {
          const value = target[prop];
          if (prop !== 'commit' || typeof value !== 'function')
            return typeof value === 'function' ? value.bind(target) : value;
          return (...args: Parameters<GitRepository['commit']>) => {
            const hook = duringNextComputation;
            duringNextComputation = undefined;
            hook?.();
            return target.commit(...args);
          };
        },
      });
    };
    const registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: mockServices.logger.mock(),
    });
    await registry.refresh();
    await store.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: ['team-platform'],
      createdBy: 'test',
      createdAt: '2026-11-23T00:00:00Z',
    });
    await store.createEnvironment({
      name: 'acme-dev',
      organization: 'acme',
      envType: 'dev',
      placement: { preset: 'small', regions: [] },
      createdBy: 'test',
      createdAt: '2026-11-23T00:00:00Z',
    });
    await store.createEnvironment({
      name: 'acme-prod',
      organization: 'acme',
      envType: 'prod',
      placement: { preset: 'small', regions: [] },
      initialPolicyRules: [{ kind: 'pr-required', approvers: ['team-platform'] }],
      createdBy: 'test',
      createdAt: '2026-11-23T00:00:00Z',
    });
    await EnvironmentController.create({
      store,
      repos,
      logger: mockServices.logger.mock(),
      committer: catalyst,
      now,
    }).reconcileAll();
    events = [];
    logger = mockServices.logger.mock();
    const authorization = grantsAuthorization(store);
    service = ProvisioningService.create({
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher: { publish: async e => void events.push(...(Array.isArray(e) ? e : [e])) },
      committer: catalyst,
      now,
      logger,
    });
    queries = EnvironmentQueries.create({ store, repos, authorization });
  });
  afterEach(() => db.destroy());

  it('installs a CMS with an embedded database as one commit with both folders and the dependsOn edge', async () => {
    const before = head('acme-dev');
    const result = await service.install(layla, 'acme-dev', {
      application: 'marketing-site',
      blueprint: 'bp-wordpress',
      values: wpValues,
    });
    expect(result).toMatchObject({ action: 'install', environment: 'acme-dev', replayed: false, changed: true });
    expect(result.applications.sort()).toEqual(['marketing-site', 'marketing-site-postgres']);
    expect(git('acme-dev', 'rev-list', '--count', `${before}..main`)).toBe('1');
    expect(git('acme-dev', 'log', '-1', '--format=%an <%ae>|%cn')).toBe(
      'Layla Al-Harthy <layla@acme.example>|Catalyst',
    );
    expect(result.commit).toMatchObject({
      actor: 'user:default/layla',
      action: 'install',
      subject: 'Install marketing-site (bp-wordpress 1.4.0) with marketing-site-postgres',
    });
    const flux = parse(readAtHead('acme-dev', 'flux-system/applications/marketing-site.yaml'));
    expect(flux.spec.dependsOn).toEqual([{ name: 'marketing-site-postgres' }]);
    expect(flux.spec.postBuild.substitute).toMatchObject({
      app_name: 'marketing-site',
      dep_db_app: 'marketing-site-postgres',
      domain: 'blog.acme.example',
      replicas: '2',
    });
    expect(parse(readAtHead('acme-dev', 'applications/marketing-site-postgres/values.yaml')).databases).toEqual([
      'marketing-site',
    ]);
    expect(readAtHead('acme-dev', 'applications/marketing-site/blueprint/base/deployment.yaml')).toContain(
      'wordpress:${image_tag}',
    );
    execFileSync('git', ['--git-dir', repos.path('acme-dev'), 'fsck', '--strict', '--no-dangling']);
    expect(events.map(e => [e.type, (e.data as { application: string }).application]).sort()).toEqual([
      ['io.catalyst.application.installed', 'marketing-site'],
      ['io.catalyst.application.installed', 'marketing-site-postgres'],
    ]);
  });

  it('installs with "use existing" as one Application wired to the existing database', async () => {
    await service.install(layla, 'acme-dev', { application: 'shared-postgres', blueprint: 'bp-postgres' });
    const result = await service.install(layla, 'acme-dev', {
      application: 'blog',
      blueprint: 'bp-wordpress',
      values: { ...wpValues, postgres: { mode: 'external', ref: 'shared-postgres' } },
    });
    expect(result.applications).toEqual(['blog']);
    const flux = parse(readAtHead('acme-dev', 'flux-system/applications/blog.yaml'));
    expect(flux.spec.dependsOn).toEqual([{ name: 'shared-postgres' }]);
    expect(flux.spec.postBuild.substitute.dep_db_app).toBe('shared-postgres');
    const apps = await queries.listApplications(layla, 'acme-dev');
    expect(apps.find(a => a.name === 'shared-postgres')!.dependents).toEqual(['blog']);
  });

  it('refuses invalid values with 400 naming the field and writes nothing', async () => {
    const before = head('acme-dev');
    await expect(
      service.install(layla, 'acme-dev', {
        application: 'blog',
        blueprint: 'bp-wordpress',
        values: { ...wpValues, replicas: 99 },
      }),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('values.replicas') });
    await expect(
      service.install(layla, 'acme-dev', {
        application: 'blog',
        blueprint: 'bp-wordpress',
        values: { domain: 'x.example' },
      }),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('adminEmail') });
    await expect(
      service.install(layla, 'acme-dev', { application: 'Bad_Name', blueprint: 'bp-redis' }),
    ).rejects.toMatchObject({ name: 'InputError' });
    expect(head('acme-dev')).toBe(before);
  });

  it('answers 404 for an unknown Blueprint or version, and for a private Blueprint of another Organization', async () => {
    await expect(service.install(layla, 'acme-dev', { application: 'x', blueprint: 'bp-nope' })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    await expect(
      service.install(layla, 'acme-dev', { application: 'x', blueprint: 'bp-redis', version: '9.9.9' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      service.install(layla, 'acme-nope', { application: 'x', blueprint: 'bp-redis' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
  });

  it('refuses to uninstall while dependents exist (409), and uninstalls a leaf', async () => {
    await service.install(layla, 'acme-dev', { application: 'blog', blueprint: 'bp-wordpress', values: wpValues });
    await expect(service.uninstall(layla, 'acme-dev', 'blog-postgres')).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('blog-postgres is used by blog'),
    });
    const result = await service.uninstall(layla, 'acme-dev', 'blog');
    expect(result.applications).toEqual(['blog']);
    expect(git('acme-dev', 'ls-tree', '-r', '--name-only', 'main')).not.toMatch(/applications\/blog\//);
    expect(git('acme-dev', 'ls-tree', '-r', '--name-only', 'main')).toMatch(/applications\/blog-postgres\//);
  });

  it('replays a retried request with the same idempotency key instead of committing twice', async () => {
    const body = { application: 'cache', blueprint: 'bp-redis', idempotencyKey: 'task-1234:install' };
    const first = await service.install(layla, 'acme-dev', body);
    const second = await service.install(layla, 'acme-dev', body);
    expect(second).toMatchObject({ replayed: true, commit: { sha: first.commit.sha }, applications: ['cache'] });
    expect(git('acme-dev', 'log', '--format=%s', '--grep=Install cache')).toBe('Install cache (bp-redis 2.0.0)');
  });

  it('refuses a write to a governed Environment (409, governed-environment) when change requests are not wired', async () => {
    // without a ChangeRequestService (change requests are tested in changes/ChangeRequestService.test.ts)
    await expect(
      service.install(layla, 'acme-prod', { application: 'cache', blueprint: 'bp-redis' }),
    ).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'governed-environment',
      message: 'acme-prod is governed by its EnvironmentPolicy',
    });
  });

  it('configures values as a commit, makes no commit for no change, and upgrades honouring upgrades rules', async () => {
    await service.install(layla, 'acme-dev', { application: 'cache', blueprint: 'bp-redis', version: '1.0.0' });
    const configured = await service.update(layla, 'acme-dev', 'cache', { values: { maxMemory: '300mb' } });
    expect(configured).toMatchObject({ action: 'configure', changed: true, commit: { subject: 'Configure cache' } });
    expect(parse(readAtHead('acme-dev', 'applications/cache/values.yaml')).maxMemory).toBe('300mb');
    const same = await service.update(layla, 'acme-dev', 'cache', {
      values: parse(readAtHead('acme-dev', 'applications/cache/values.yaml')),
    });
    expect(same).toMatchObject({ changed: false, applications: [] });
    await expect(service.update(layla, 'acme-dev', 'cache', { version: '2.0.0' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('version:'),
    });
    const upgraded = await service.update(layla, 'acme-dev', 'cache', { version: '1.1.0' });
    expect(upgraded).toMatchObject({
      action: 'upgrade',
      commit: { subject: 'Upgrade cache to bp-redis 1.1.0 (from 1.0.0)' },
    });
    expect(parse(readAtHead('acme-dev', 'applications/cache/application.yaml')).spec.blueprintRef.version).toBe(
      '1.1.0',
    );
  });

  it('pauses (scale to zero) and resumes as commits, and keeps the pause through a configure', async () => {
    await service.install(layla, 'acme-dev', { application: 'cache', blueprint: 'bp-redis', version: '1.0.0' });
    const app = () => parse(readAtHead('acme-dev', 'applications/cache/application.yaml'));
    const kustomization = () => parse(readAtHead('acme-dev', 'applications/cache/kustomization.yaml'));

    const paused = await service.update(layla, 'acme-dev', 'cache', { paused: true });
    expect(paused).toMatchObject({
      action: 'configure',
      changed: true,
      commit: { subject: 'Pause cache (scaled to zero)' },
    });
    expect(app().metadata.annotations).toEqual({ 'catalyst.openova.io/paused': 'true' });
    expect(kustomization().patches.map((p: { target: { kind: string } }) => p.target.kind)).toEqual([
      'Deployment',
      'StatefulSet',
    ]);
    expect(await service.update(layla, 'acme-dev', 'cache', { paused: true })).toMatchObject({ changed: false });

    const configured = await service.update(layla, 'acme-dev', 'cache', { values: { maxMemory: '300mb' } });
    expect(configured).toMatchObject({ changed: true, commit: { subject: 'Configure cache' } });
    expect(app().metadata.annotations).toEqual({ 'catalyst.openova.io/paused': 'true' });

    const resumed = await service.update(layla, 'acme-dev', 'cache', { paused: false });
    expect(resumed).toMatchObject({ changed: true, commit: { subject: 'Resume cache' } });
    expect(app().metadata.annotations).toBeUndefined();
    expect(kustomization().patches).toBeUndefined();
    expect(parse(readAtHead('acme-dev', 'applications/cache/values.yaml')).maxMemory).toBe('300mb');
  });

  it('rolls back a commit, and refuses when a later commit changed the same files', async () => {
    await service.install(layla, 'acme-dev', { application: 'cache', blueprint: 'bp-redis', version: '1.1.0' });
    const first = await service.update(layla, 'acme-dev', 'cache', { values: { maxMemory: '300mb' } });
    const second = await service.update(layla, 'acme-dev', 'cache', { values: { maxMemory: '1gb' } });
    await expect(service.rollback(layla, 'acme-dev', { commit: first.commit.sha })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('applications/cache/values.yaml: changed again after that commit'),
    });
    const rolled = await service.rollback(layla, 'acme-dev', { commit: second.commit.sha });
    expect(rolled).toMatchObject({ action: 'rollback', applications: ['cache'] });
    expect(parse(readAtHead('acme-dev', 'applications/cache/values.yaml')).maxMemory).toBe('300mb');
    const history = await queries.history(layla, 'acme-dev', 'cache');
    expect(history.map(h => h.action)).toEqual(['rollback', 'configure', 'configure', 'install']);
    const diff = await queries.commitDiff(layla, 'acme-dev', second.commit.sha, 'cache');
    expect(diff.changes).toEqual([
      expect.objectContaining({
        path: 'applications/cache/values.yaml',
        change: 'modified',
        before: expect.stringContaining('300mb'),
        after: expect.stringContaining('1gb'),
      }),
      expect.objectContaining({ path: 'flux-system/applications/cache.yaml', change: 'modified' }),
    ]);
  });

  it('previews an install without writing anything', async () => {
    const before = head('acme-dev');
    const preview = await service.planInstall(layla, 'acme-dev', {
      application: 'site',
      blueprint: 'bp-static-site',
      values: { domain: 'www.acme.example' },
      overlay: 'small',
    });
    expect(preview.plan.applications.map(a => a.name)).toEqual(['site']);
    expect(Object.keys(preview.files)).toContain('applications/site/blueprint/overlays/small/kustomization.yaml');
    expect(preview.changes.every(c => c.change === 'added')).toBe(true);
    expect(head('acme-dev')).toBe(before);
  });

  it('keeps every one of 50 parallel installs: 50 commits, linear history, fsck clean', async () => {
    const before = head('acme-dev');
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        service.install(layla, 'acme-dev', {
          application: `site-${i}`,
          blueprint: 'bp-static-site',
          values: { domain: `s${i}.acme.example` },
        }),
      ),
    );
    expect(new Set(results.map(r => r.commit.sha)).size).toBe(50);
    expect(git('acme-dev', 'rev-list', '--count', `${before}..main`)).toBe('50');
    expect(git('acme-dev', 'rev-list', '--merges', '--count', 'main')).toBe('0');
    const apps = await queries.listApplications(layla, 'acme-dev');
    expect(apps.map(a => a.name).filter(n => n.startsWith('site-'))).toHaveLength(50);
    execFileSync('git', ['--git-dir', repos.path('acme-dev'), 'fsck', '--strict', '--no-dangling']);
  }, 120_000);

  it('recomputes and retries when another Git client moves the branch in the middle of a write', async () => {
    // A clone with one commit of its own, pushed after the writer read the head and computed its
    // change, before it commits: its first attempt must be refused and recomputed on the new head.
    const work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-clone-'));
    try {
      execFileSync('git', ['clone', '-q', repos.path('acme-dev'), work]);
      fs.mkdirSync(join(work, 'docs'));
      fs.writeFileSync(join(work, 'docs/runbook.md'), '# on-call\n');
      const asOps = ['-c', 'user.name=Ops', '-c', 'user.email=ops@acme.example'];
      execFileSync('git', ['-C', work, ...asOps, 'add', '.']);
      execFileSync('git', ['-C', work, ...asOps, 'commit', '-qm', 'docs: on-call runbook']);
      const before = head('acme-dev');
      let pushedAt: string | undefined;
      duringNextComputation = () => {
        execFileSync('git', ['-C', work, 'push', '-q', 'origin', 'HEAD:main']);
        pushedAt = head('acme-dev');
      };
      const result = await service.install(layla, 'acme-dev', { application: 'cache', blueprint: 'bp-redis' });
      expect(pushedAt).toBeDefined();
      expect(pushedAt).not.toBe(before);
      // both commits survive, ours on top of the push, and history stays linear
      expect(git('acme-dev', 'log', '--format=%s', '-2').split('\n')).toEqual([
        'Install cache (bp-redis 2.0.0)',
        'docs: on-call runbook',
      ]);
      expect(git('acme-dev', 'rev-parse', `${result.commit.sha}^`)).toBe(pushedAt);
      expect(readAtHead('acme-dev', 'docs/runbook.md')).toBe('# on-call');
      const logged = logger.info.mock.calls.find(([message]) => String(message).startsWith('Install cache'));
      expect(logged?.[1]).toMatchObject({ attempts: 2 });
      execFileSync('git', ['--git-dir', repos.path('acme-dev'), 'fsck', '--strict', '--no-dangling']);
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
  });

  it('authorizes every command: 404 outside the Organization, 403 for a viewer, and writes nothing', async () => {
    const before = head('acme-dev');
    const body = { application: 'cache', blueprint: 'bp-redis' };
    await expect(service.install(gus, 'acme-dev', body)).rejects.toMatchObject({
      name: 'NotFoundError',
      code: 'environment-not-found',
      environment: 'acme-dev',
    });
    await expect(service.install(vic, 'acme-dev', body)).rejects.toMatchObject({
      name: 'NotAllowedError',
      code: 'not-allowed',
      message: 'you may not install in acme-dev',
    });
    await expect(service.planInstall(vic, 'acme-dev', body)).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(service.update(vic, 'acme-dev', 'cache', { values: {} })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    await expect(service.uninstall(vic, 'acme-dev', 'cache')).rejects.toMatchObject({ name: 'NotAllowedError' });
    await expect(service.rollback(vic, 'acme-dev', { commit: before })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
    expect(head('acme-dev')).toBe(before);
    // reads: a viewer reads, another Organization's admin does not even learn the Environment exists
    await expect(queries.listApplications(vic, 'acme-dev')).resolves.toEqual([]);
    await expect(queries.get(gus, 'acme-dev')).rejects.toMatchObject({ code: 'environment-not-found' });
    expect((await queries.list(gus)).map(e => e.name)).toEqual([]);
  });

  it('refuses a rollback in a governed Environment like any other direct write', async () => {
    const policyCommit = head('acme-prod');
    await expect(service.rollback(layla, 'acme-prod', { commit: policyCommit })).rejects.toMatchObject({
      name: 'ConflictError',
      code: 'governed-environment',
    });
    expect(head('acme-prod')).toBe(policyCommit);
  });
});
