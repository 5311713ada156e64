import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { actionContext, CheckpointStore } from '../__testUtils__/actionContext';
import { CatalystTestBackend, startCatalystTestBackend } from '../__testUtils__/catalystBackend';
import { createApplicationConfigureAction } from './applicationConfigure';
import { createApplicationInstallAction } from './applicationInstall';
import { createApplicationPlanAction } from './applicationPlan';
import { createApplicationPromoteAction } from './applicationPromote';
import { createEnvironmentCreateAction } from './environmentCreate';

jest.setTimeout(60_000);

/** An Environment's bare repo: `git/<org>/<env>.git`, the Organization being the name's first part. */
const gitDir = (b: CatalystTestBackend, environment: string) =>
  join(b.dataDir, 'git', environment.split('-')[0], `${environment}.git`);

/** Commits on main of an Environment repo, newest first, straight from the bare repo. */
function commits(b: CatalystTestBackend, environment: string): Array<{ sha: string; subject: string; author: string }> {
  const out = execFileSync(
    'git',
    ['--git-dir', gitDir(b, environment), 'log', '--format=%H%x09%an <%ae>%x09%s', 'main'],
    {
      encoding: 'utf8',
    },
  );
  return out
    .trim()
    .split('\n')
    .map(l => {
      const [sha, author, subject] = l.split('\t');
      return { sha, author, subject };
    });
}

function filesAt(b: CatalystTestBackend, environment: string, sha: string): string[] {
  return execFileSync('git', ['--git-dir', gitDir(b, environment), 'ls-tree', '-r', '--name-only', sha], {
    encoding: 'utf8',
  })
    .trim()
    .split('\n');
}

const wordpress = (application: string, postgres: Record<string, unknown> = { mode: 'embedded' }) => ({
  environment: 'acme-dev',
  application,
  blueprint: 'bp-wordpress',
  values: { domain: `${application}.acme.example`, adminEmail: 'web@acme.example', postgres },
  dependencies: { db: { use: 'new' as const } },
});

const grafana = (application: string) => ({
  environment: 'acme-dev',
  application,
  blueprint: 'bp-grafana',
  values: { domain: `${application}.acme.example` },
});

describe('catalyst:application:* against the catalyst backend', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startCatalystTestBackend();
  });
  afterAll(async () => {
    await b?.stop();
  });
  const plan = () => createApplicationPlanAction({ client: b.client });
  const install = () => createApplicationInstallAction({ client: b.client });
  const configure = () => createApplicationConfigureAction({ client: b.client });
  const promote = () => createApplicationPromoteAction({ client: b.client });
  const createEnvironment = () => createEnvironmentCreateAction({ client: b.client });

  describe('catalyst:application:plan', () => {
    it('logs the resolved Applications, their dependsOn edges and the file count, and writes nothing', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(plan(), { input: wordpress('plan-site'), credentials: b.credentials('dev') });
      await run.run();

      expect(run.outputs.applications).toEqual(['plan-site-postgres', 'plan-site']);
      expect(run.outputs.plan).toMatchObject({
        environment: 'acme-dev',
        root: 'plan-site',
        edges: [{ from: 'plan-site', to: 'plan-site-postgres' }],
        skipped: [],
      });
      const logs = run.logs();
      expect(logs[0]).toBe('Validate: install bp-wordpress as plan-site in acme-dev');
      expect(logs).toContain('Resolve dependencies: 2 Applications in acme-dev');
      expect(logs).toContain('  plan-site dependsOn plan-site-postgres');
      expect(logs.find(l => l.startsWith('Compose: '))).toMatch(
        /^Compose: (\d+) files \(\1 added, 0 modified, 0 removed\)$/,
      );
      expect(commits(b, 'acme-dev')).toEqual(before);
    });

    it('in a dry run also logs every rendered file and puts it in the workspace', async () => {
      const run = actionContext(plan(), {
        input: wordpress('dry-site'),
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await run.run();
      const values = join(run.ctx.workspacePath, 'applications/dry-site/values.yaml');
      expect(fs.readFileSync(values, 'utf8')).toContain('domain: dry-site.acme.example');
      expect(fs.existsSync(join(run.ctx.workspacePath, 'flux-system/applications/dry-site-postgres.yaml'))).toBe(true);
      expect(run.logs()).toContain('added applications/dry-site/values.yaml');
    });

    it('logs a dependency whose `when` is false as skipped', async () => {
      const run = actionContext(plan(), {
        input: {
          environment: 'acme-dev',
          application: 'dash',
          blueprint: 'bp-grafana',
          values: { domain: 'dash.acme.example' },
        },
        credentials: b.credentials('dev'),
      });
      await run.run();
      expect(run.outputs.applications).toEqual(['dash']);
      expect(run.outputs.plan).toMatchObject({
        skipped: [{ path: 'db', blueprint: 'bp-postgres', application: 'dash' }],
      });
      expect(run.logs()).toContain('  skipped db (bp-postgres) of dash: its `when` condition is false');
    });

    it('fails with InputError when the external database branch names no Application', async () => {
      const run = actionContext(plan(), {
        input: { ...wordpress('skip-site', { mode: 'external' }), dependencies: {} },
        credentials: b.credentials('dev'),
      });
      const error = await run.run().catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('values.postgres');
    });

    it('fails with InputError naming the field when required values are missing', async () => {
      const run = actionContext(plan(), {
        input: { ...wordpress('bad-site'), values: { adminEmail: 'web@acme.example' } },
        credentials: b.credentials('dev'),
      });
      const error = await run.run().catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('values.domain');
    });

    it('refuses an invalid Application name before calling the backend', async () => {
      const run = actionContext(plan(), { input: wordpress('Not_A_Label'), credentials: b.credentials('dev') });
      await expect(run.run()).rejects.toThrow(/^application: Application name "Not_A_Label" must be a DNS label/);
      expect(run.logs()).toEqual([]);
    });

    it('answers 404 for an Environment that does not exist', async () => {
      const run = actionContext(plan(), {
        input: { ...wordpress('x-site'), environment: 'acme-uat' },
        credentials: b.credentials('dev'),
      });
      await expect(run.run()).rejects.toThrow(NotFoundError);
    });
  });

  describe('catalyst:application:install', () => {
    it('commits WordPress and its new database in one commit authored by the user, and ends with links', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(install(), {
        input: wordpress('marketing-site'),
        credentials: b.credentials('dev'),
        taskId: 'task-install-1',
      });
      await run.run();

      const after = commits(b, 'acme-dev');
      expect(after).toHaveLength(before.length + 1);
      expect(after[0].author).toBe('Dana Dev <dana@acme.example>');
      expect(run.outputs.commit).toBe(after[0].sha);
      const files = filesAt(b, 'acme-dev', after[0].sha);
      expect(files).toEqual(
        expect.arrayContaining([
          'applications/marketing-site/values.yaml',
          'applications/marketing-site-postgres/values.yaml',
        ]),
      );
      expect(run.outputs.applications).toEqual(['marketing-site-postgres', 'marketing-site']);
      expect(run.outputs.replayed).toBe(false);
      expect(run.outputs.entityRef).toBe('application:acme-dev/marketing-site');
      expect(run.outputs.applicationUrl).toBe('/catalog/acme-dev/application/marketing-site');
      expect(run.outputs.links).toEqual([
        { title: 'Application marketing-site', url: '/catalog/acme-dev/application/marketing-site', icon: 'catalog' },
        {
          title: 'Application marketing-site-postgres',
          url: '/catalog/acme-dev/application/marketing-site-postgres',
          icon: 'catalog',
        },
        {
          title: `Commit ${after[0].sha.slice(0, 7)} in acme-dev`,
          url: `/catalog/acme-dev/application/marketing-site/history?commit=${after[0].sha}`,
        },
      ]);

      const logs = run.logs();
      const at = (prefix: string) => logs.findIndex(l => l.startsWith(prefix));
      // validate → resolve → compose → commit → links, in that order
      expect(at('Validate: ')).toBe(0);
      expect(at('Resolve dependencies: ')).toBeGreaterThan(at('Validate: '));
      expect(at('Compose: ')).toBeGreaterThan(at('Resolve dependencies: '));
      expect(at('Commit: ')).toBeGreaterThan(at('Compose: '));
      expect(logs[at('Commit: ')]).toBe(
        `Commit: ${after[0].sha.slice(0, 7)} "${after[0].subject}" by Dana Dev <dana@acme.example>`,
      );
      expect(logs[logs.length - 1]).toBe(
        `Commit ${after[0].sha.slice(0, 7)} in acme-dev: /catalog/acme-dev/application/marketing-site/history?commit=${
          after[0].sha
        }`,
      );
    });

    it('wires WordPress to an existing PostgreSQL through the application-ref field: one new Application', async () => {
      const db = actionContext(install(), {
        input: { environment: 'acme-dev', application: 'shared-postgres', blueprint: 'bp-postgres' },
        credentials: b.credentials('dev'),
        taskId: 'task-db',
      });
      await db.run();
      const run = actionContext(install(), {
        input: { ...wordpress('news', { mode: 'external', ref: 'shared-postgres' }), dependencies: {} },
        credentials: b.credentials('dev'),
        taskId: 'task-news',
      });
      await run.run();
      expect(run.outputs.applications).toEqual(['news']);
      expect(run.outputs.plan).toMatchObject({ edges: [{ from: 'news', to: 'shared-postgres' }] });
      const app = await b.client.api.getApplication('acme-dev', 'news', await b.as('dev'));
      expect(app.dependencies).toEqual([
        { alias: 'db', blueprint: 'bp-postgres', application: 'shared-postgres', mode: 'existing' },
      ]);
    });

    it('never commits twice when a task is retried after the commit but before its checkpoint was stored', async () => {
      const checkpoints = new CheckpointStore();
      checkpoints.lose.add('commit');
      const input = wordpress('retry-site');
      const first = actionContext(install(), {
        input,
        credentials: b.credentials('dev'),
        taskId: 'task-retry',
        checkpoints,
      });
      await first.run();
      const afterFirst = commits(b, 'acme-dev');

      // The retry: same task, same step; the plan comes from its checkpoint (planning again would
      // now fail: the Applications exist), the commit call carries the same idempotency key.
      const second = actionContext(install(), {
        input,
        credentials: b.credentials('dev'),
        taskId: 'task-retry',
        checkpoints,
      });
      await second.run();

      expect(commits(b, 'acme-dev')).toEqual(afterFirst);
      expect(checkpoints.ran).toEqual(['plan', 'commit', 'commit']);
      expect(second.outputs.commit).toBe(first.outputs.commit);
      expect(second.outputs.replayed).toBe(true);
      expect(second.outputs.applications).toEqual(['retry-site-postgres', 'retry-site']);
      expect(second.logs().find(l => l.startsWith('Commit: '))).toContain('an earlier attempt of this task made it');
    });

    it('replays a fully checkpointed task without calling the backend', async () => {
      const checkpoints = new CheckpointStore();
      const input = wordpress('replay-site');
      const first = actionContext(install(), {
        input,
        credentials: b.credentials('dev'),
        taskId: 'task-replay',
        checkpoints,
      });
      await first.run();
      const afterFirst = commits(b, 'acme-dev');
      // the second run's client counts every call it makes to the backend's API
      const calls: string[] = [];
      const api = new Proxy(b.client.api, {
        get(target, prop, receiver) {
          const value = Reflect.get(target, prop, receiver);
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => {
            calls.push(String(prop));
            return value.apply(target, args);
          };
        },
      });
      const counted = new Proxy(b.client, {
        get(target, prop, receiver) {
          if (prop === 'api') return api;
          const value = Reflect.get(target, prop, receiver);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      const second = actionContext(createApplicationInstallAction({ client: counted }), {
        input,
        credentials: b.credentials('dev'),
        taskId: 'task-replay',
        checkpoints,
      });
      await second.run();
      expect(calls).toEqual([]);
      expect(checkpoints.ran).toEqual(['plan', 'commit']);
      expect(commits(b, 'acme-dev')).toEqual(afterFirst);
      expect(second.outputs.commit).toBe(first.outputs.commit);
    });

    it('commits nothing in a dry run, and shows the rendered files', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(install(), {
        input: wordpress('dry-install'),
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await run.run();
      expect(commits(b, 'acme-dev')).toEqual(before);
      expect(run.outputs.commit).toBeUndefined();
      expect(run.outputs.applications).toEqual(['dry-install-postgres', 'dry-install']);
      expect(run.logs()).toContain('Dry run: nothing committed to acme-dev');
      expect(fs.existsSync(join(run.ctx.workspacePath, 'applications/dry-install/kustomization.yaml'))).toBe(true);
    });

    it('refuses an org-viewer with NotAllowedError and writes nothing', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(install(), { input: wordpress('viewer-site'), credentials: b.credentials('viewer') });
      await expect(run.run()).rejects.toThrow(NotAllowedError);
      expect(commits(b, 'acme-dev')).toEqual(before);
    });

    it('refuses a second install of the same name with ConflictError', async () => {
      const run = actionContext(install(), {
        input: wordpress('marketing-site'),
        credentials: b.credentials('dev'),
        taskId: 'task-dup',
      });
      await expect(run.run()).rejects.toThrow(ConflictError);
    });

    it('opens a change request in a governed Environment instead of committing to its main', async () => {
      const env = actionContext(createEnvironment(), {
        input: {
          organization: 'acme',
          envType: 'uat',
          policyRules: [{ kind: 'pr-required', approvers: ['team-security'] }],
        },
        credentials: b.credentials('dev'),
      });
      await env.run();
      const before = commits(b, 'acme-uat');
      const run = actionContext(install(), {
        input: { ...wordpress('gov-site'), environment: 'acme-uat' },
        credentials: b.credentials('dev'),
        taskId: 'task-gov-install',
      });
      await run.run();

      expect(commits(b, 'acme-uat')).toEqual(before);
      const id = run.outputs.changeRequest as string;
      expect(id).toMatch(/^cr-\d+$/);
      expect(run.outputs.changeRequestUrl).toBe(`/catalyst/change-requests/${id}`);
      expect(run.outputs.commit).toBeUndefined();
      expect(run.outputs.commitUrl).toBeUndefined();
      expect(run.outputs.applications).toEqual(['gov-site-postgres', 'gov-site']);
      // The Applications have no entity page until the request merges.
      expect(run.outputs.links).toEqual([
        { title: `Change request ${id} in acme-uat`, url: `/catalyst/change-requests/${id}` },
      ]);
      const logs = run.logs();
      expect(logs.some(l => l.startsWith('Commit: '))).toBe(false);
      expect(logs[logs.length - 1]).toBe(
        `Change request ${id} opened in acme-uat (waits for its EnvironmentPolicy): /catalyst/change-requests/${id}`,
      );
      const cr = await b.client.api.getChangeRequest(id, await b.as('dev'));
      expect(cr).toMatchObject({
        environment: 'acme-uat',
        action: 'install',
        author: 'user:default/dana',
        state: 'open',
        baseCommit: before[0].sha,
      });
    });
  });

  describe('catalyst:application:configure', () => {
    beforeAll(async () => {
      const run = actionContext(install(), {
        input: wordpress('conf-site'),
        credentials: b.credentials('dev'),
        taskId: 'task-conf',
      });
      await run.run();
    });
    const values = (replicas: number) => ({
      domain: 'conf-site.acme.example',
      adminEmail: 'web@acme.example',
      replicas,
      postgres: { mode: 'embedded' },
    });

    it('commits new values as one commit and links the Application', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site', values: values(3) },
        credentials: b.credentials('dev'),
        taskId: 'task-configure-1',
        stepId: 'configure',
      });
      await run.run();
      const after = commits(b, 'acme-dev');
      expect(after).toHaveLength(before.length + 1);
      expect(run.outputs.commit).toBe(after[0].sha);
      expect(run.outputs.changed).toBe(true);
      const app = await b.client.api.getApplication('acme-dev', 'conf-site', await b.as('dev'));
      expect(app.values.replicas).toBe(3);
      expect(run.logs()[0]).toBe('Validate: configure conf-site in acme-dev (values)');
      expect(run.logs()).toContain('Compose: 2 files (0 added, 2 modified, 0 removed)');
    });

    it('says so and writes nothing when the values are unchanged', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site', values: values(3) },
        credentials: b.credentials('dev'),
        taskId: 'task-configure-2',
        stepId: 'configure',
      });
      await run.run();
      expect(commits(b, 'acme-dev')).toEqual(before);
      expect(run.outputs.changed).toBe(false);
      expect(run.outputs.commit).toBeUndefined();
    });

    it('plans only in a dry run', async () => {
      const before = commits(b, 'acme-dev');
      const run = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site', overlay: 'large' },
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await run.run();
      expect(commits(b, 'acme-dev')).toEqual(before);
      expect(run.outputs.changed).toBe(true);
      expect(run.logs()).toContain('Dry run: nothing committed to acme-dev');
    });

    it('needs at least one of values, overlay, version or paused', async () => {
      const run = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site' },
        credentials: b.credentials('dev'),
      });
      await expect(run.run()).rejects.toThrow('give at least one of values, overlay, version or paused');
    });

    it('pauses and resumes as commits', async () => {
      const pause = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site', paused: true },
        credentials: b.credentials('dev'),
        taskId: 'task-pause',
      });
      await pause.run();
      expect(pause.logs()[0]).toBe('Validate: configure conf-site in acme-dev (pause)');
      expect(commits(b, 'acme-dev')[0].subject).toBe('Pause conf-site (scaled to zero)');
      expect((await b.client.api.getApplication('acme-dev', 'conf-site', await b.as('dev'))).paused).toBe(true);
      const resume = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'conf-site', paused: false },
        credentials: b.credentials('dev'),
        taskId: 'task-resume',
      });
      await resume.run();
      expect(commits(b, 'acme-dev')[0].subject).toBe('Resume conf-site');
      expect((await b.client.api.getApplication('acme-dev', 'conf-site', await b.as('dev'))).paused).toBe(false);
    });

    it('answers 404 for an Application that is not installed', async () => {
      const run = actionContext(configure(), {
        input: { environment: 'acme-dev', application: 'ghost', overlay: 'small' },
        credentials: b.credentials('dev'),
      });
      await expect(run.run()).rejects.toThrow(NotFoundError);
    });

    it('opens a change request once the Environment is governed, and links it beside the Application', async () => {
      const env = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'poc' },
        credentials: b.credentials('dev'),
        taskId: 'task-poc',
      });
      await env.run();
      const installed = actionContext(install(), {
        input: { ...grafana('gov-conf'), environment: 'acme-poc' },
        credentials: b.credentials('dev'),
        taskId: 'task-gov-conf',
      });
      await installed.run();
      expect(installed.outputs.commit).toMatch(/^[0-9a-f]{40}$/);
      // An org-admin's policy edit of an ungoverned Environment is a commit: from then on it is governed.
      const policy = await b.client.api.updatePolicy(
        'acme-poc',
        { rules: [{ kind: 'pr-required', approvers: ['team-security'] }] },
        await b.as('dev'),
      );
      expect(policy.changeRequest).toBeUndefined();
      const before = commits(b, 'acme-poc');

      const run = actionContext(configure(), {
        input: { environment: 'acme-poc', application: 'gov-conf', overlay: 'large' },
        credentials: b.credentials('dev'),
        taskId: 'task-gov-configure',
        stepId: 'configure',
      });
      await run.run();

      expect(commits(b, 'acme-poc')).toEqual(before);
      const id = run.outputs.changeRequest as string;
      expect(id).toMatch(/^cr-\d+$/);
      expect(run.outputs).toMatchObject({ changed: true, changeRequestUrl: `/catalyst/change-requests/${id}` });
      expect(run.outputs.commit).toBeUndefined();
      expect(run.outputs.links).toEqual([
        { title: 'Application gov-conf', url: '/catalog/acme-poc/application/gov-conf', icon: 'catalog' },
        { title: `Change request ${id} in acme-poc`, url: `/catalyst/change-requests/${id}` },
      ]);
      expect(run.logs()[run.logs().length - 1]).toBe(
        `Change request ${id} opened in acme-poc (waits for its EnvironmentPolicy): /catalyst/change-requests/${id}`,
      );
      const cr = await b.client.api.getChangeRequest(id, await b.as('dev'));
      expect(cr).toMatchObject({ environment: 'acme-poc', application: 'gov-conf', author: 'user:default/dana' });
      // Main still runs the old overlay: the change waits in the request.
      expect((await b.client.api.getApplication('acme-poc', 'gov-conf', await b.as('dev'))).overlay).not.toBe('large');
    });
  });

  describe('catalyst:application:promote', () => {
    // Installed at 1.0.0 while 1.1.0 is the highest: a copy must carry the source's version, not the newest.
    const sourceValues = (application: string) => ({ domain: `${application}.acme.example`, adminUser: 'ops' });
    beforeAll(async () => {
      for (const application of ['promo-site', 'promo-retry', 'promo-dry']) {
        const run = actionContext(install(), {
          input: { ...grafana(application), version: '1.0.0', values: sourceValues(application) },
          credentials: b.credentials('dev'),
          taskId: `task-${application}`,
        });
        await run.run();
      }
    });
    const promotion = (application: string, targetEnvironment: string) => ({
      environment: 'acme-dev',
      application,
      targetEnvironment,
    });
    const requestsFor = async (environment: string, application: string) =>
      b.client.api.listChangeRequests({ environment, application }, await b.as('dev'));

    it('copies an Application to an ungoverned Environment as one commit with the source version and values', async () => {
      const before = commits(b, 'acme-stg');
      const run = actionContext(promote(), {
        input: promotion('promo-site', 'acme-stg'),
        credentials: b.credentials('dev'),
        taskId: 'task-promote-stg',
        stepId: 'promote',
      });
      await run.run();

      const after = commits(b, 'acme-stg');
      expect(after).toHaveLength(before.length + 1);
      expect(after[0].author).toBe('Dana Dev <dana@acme.example>');
      const source = await b.client.api.getApplication('acme-dev', 'promo-site', await b.as('dev'));
      const copy = await b.client.api.getApplication('acme-stg', 'promo-site', await b.as('dev'));
      expect(copy.blueprint).toBe('bp-grafana');
      expect(copy.version).toBe('1.0.0');
      expect(copy.values).toEqual(source.values);
      expect(copy.overlay).toBe(source.overlay);
      expect(copy.values).toMatchObject(sourceValues('promo-site'));
      expect(run.outputs).toMatchObject({
        state: 'committed',
        commit: after[0].sha,
        blueprint: 'bp-grafana',
        version: '1.0.0',
        governed: false,
        replayed: false,
        applications: ['promo-site'],
        entityRef: 'application:acme-stg/promo-site',
        applicationUrl: '/catalog/acme-stg/application/promo-site',
      });
      expect(run.outputs.changeRequest).toBeUndefined();
      expect(run.outputs.links).toEqual([
        { title: 'Application promo-site', url: '/catalog/acme-stg/application/promo-site', icon: 'catalog' },
        {
          title: `Commit ${after[0].sha.slice(0, 7)} in acme-stg`,
          url: `/catalog/acme-stg/application/promo-site/history?commit=${after[0].sha}`,
        },
      ]);
      const logs = run.logs();
      expect(logs.slice(0, 3)).toEqual([
        'Validate: promote promo-site from acme-dev to acme-stg',
        'Source: promo-site in acme-dev runs bp-grafana@1.0.0 (medium) with values adminUser, domain, image, replicas',
        'Target: acme-stg has no promo-site; the copy installs it',
      ]);
      expect(logs).toContain(
        `Commit: ${after[0].sha.slice(0, 7)} "${after[0].subject}" by Dana Dev <dana@acme.example>`,
      );
    });

    it('opens a change request in a governed Environment, authored by the initiator, and leaves its main alone', async () => {
      const before = commits(b, 'acme-prod');
      const run = actionContext(promote(), {
        input: promotion('promo-site', 'acme-prod'),
        credentials: b.credentials('dev'),
        taskId: 'task-promote-prod',
        stepId: 'promote',
      });
      await run.run();

      expect(commits(b, 'acme-prod')).toEqual(before);
      const id = run.outputs.changeRequest as string;
      expect(id).toMatch(/^cr-\d+$/);
      expect(run.outputs).toMatchObject({
        state: 'open',
        governed: true,
        version: '1.0.0',
        changeRequestUrl: `/catalyst/change-requests/${id}`,
        replayed: false,
      });
      expect(run.outputs.commit).toBeUndefined();
      // promo-site has no entity page in acme-prod until the request merges.
      expect(run.outputs.links).toEqual([
        { title: `Change request ${id} in acme-prod`, url: `/catalyst/change-requests/${id}` },
      ]);
      const logs = run.logs();
      expect(logs.some(l => l.startsWith('Commit: '))).toBe(false);
      expect(logs[logs.length - 1]).toBe(
        `Change request ${id} opened in acme-prod (waits for its EnvironmentPolicy): /catalyst/change-requests/${id}`,
      );

      const cr = await b.client.api.getChangeRequest(id, await b.as('dev'));
      expect(cr).toMatchObject({
        environment: 'acme-prod',
        application: 'promo-site',
        action: 'promote',
        author: 'user:default/dana',
        state: 'open',
        source: { environment: 'acme-dev', application: 'promo-site' },
        blueprint: 'bp-grafana',
        version: '1.0.0',
        baseCommit: before[0].sha,
      });
      expect(cr.headCommit).not.toBe(before[0].sha);
      await expect(b.client.api.getApplication('acme-prod', 'promo-site', await b.as('dev'))).rejects.toThrow(
        NotFoundError,
      );
    });

    it('never opens a second change request when a task is retried after the call but before its checkpoint', async () => {
      const checkpoints = new CheckpointStore();
      checkpoints.lose.add('promote');
      const attempt = () =>
        actionContext(promote(), {
          input: promotion('promo-retry', 'acme-prod'),
          credentials: b.credentials('dev'),
          taskId: 'task-promote-retry',
          stepId: 'promote',
          checkpoints,
        });
      const first = attempt();
      await first.run();
      const second = attempt();
      await second.run();

      expect(checkpoints.ran).toEqual(['source', 'promote', 'promote']);
      expect(second.outputs.changeRequest).toBe(first.outputs.changeRequest);
      expect(second.outputs.replayed).toBe(true);
      const requests = await requestsFor('acme-prod', 'promo-retry');
      expect(requests.map(r => r.id)).toEqual([first.outputs.changeRequest]);
      expect(requests[0].state).toBe('open');
      expect(second.logs()[second.logs().length - 1]).toContain('an earlier attempt of this task opened it');
    });

    it.each([
      ['acme-stg', 'Dry run: would commit to acme-stg; nothing written'],
      [
        'acme-prod',
        'Dry run: would open a change request in acme-prod (governed by its EnvironmentPolicy); nothing written',
      ],
    ])('writes nothing in a dry run into %s, and says what the real run would do', async (target, said) => {
      const before = commits(b, target);
      const run = actionContext(promote(), {
        input: promotion('promo-dry', target),
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await run.run();
      expect(run.logs()).toContain(said);
      expect(run.logs()).toContain(
        'Source: promo-dry in acme-dev runs bp-grafana@1.0.0 (medium) with values adminUser, domain, image, replicas',
      );
      expect(run.outputs).toMatchObject({
        blueprint: 'bp-grafana',
        version: '1.0.0',
        governed: target === 'acme-prod',
      });
      expect(run.outputs.state).toBeUndefined();
      expect(run.outputs.commit).toBeUndefined();
      expect(run.outputs.changeRequest).toBeUndefined();
      expect(commits(b, target)).toEqual(before);
      expect(await requestsFor(target, 'promo-dry')).toEqual([]);
      await expect(b.client.api.getApplication(target, 'promo-dry', await b.as('dev'))).rejects.toThrow(NotFoundError);
    });

    it('refuses an org-viewer with NotAllowedError and writes nothing', async () => {
      const before = commits(b, 'acme-stg');
      const run = actionContext(promote(), {
        input: promotion('promo-retry', 'acme-stg'),
        credentials: b.credentials('viewer'),
        taskId: 'task-promote-viewer',
      });
      await expect(run.run()).rejects.toThrow(NotAllowedError);
      expect(commits(b, 'acme-stg')).toEqual(before);
      expect(run.outputs.state).toBeUndefined();
    });

    it.each([false, true])(
      'refuses a promotion to another Organization naming targetEnvironment (dry run: %s)',
      async isDryRun => {
        const before = commits(b, 'globex-dev');
        // The sovereign-admin may read and promote in both Organizations: only the rule refuses.
        const run = actionContext(promote(), {
          input: promotion('promo-site', 'globex-dev'),
          credentials: b.credentials('admin'),
          taskId: `task-promote-globex-${isDryRun}`,
          isDryRun,
        });
        const error = await run.run().catch(e => e);
        expect(error).toBeInstanceOf(InputError);
        expect(error.message).toMatch(
          /^targetEnvironment: globex-dev belongs to globex, acme-dev to acme: promotions stay inside an Organization/,
        );
        expect(commits(b, 'globex-dev')).toEqual(before);
      },
    );

    it('refuses an invalid destination name before calling the backend', async () => {
      const run = actionContext(promote(), {
        input: promotion('promo-site', 'Prod!'),
        credentials: b.credentials('dev'),
      });
      await expect(run.run()).rejects.toThrow(/^targetEnvironment: /);
      expect(run.logs()).toEqual([]);
    });
  });
});
