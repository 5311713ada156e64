import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import { startBackendUnderTest } from '../__testUtils__/testBackend';

const users = {
  admin: { ref: 'user:default/dana', displayName: 'Dana Admin', email: 'dana@acme.example' },
  dev: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  viewer: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  outsider: { ref: 'user:default/olga', displayName: 'Olga Other', email: 'olga@globex.example' },
  root: { ref: 'user:default/root', displayName: 'Root', email: 'root@sovereign.example' },
};

const wp = { domain: 'blog.acme.example', adminEmail: 'ops@acme.example' };

describe('catalyst REST API (write side)', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startBackendUnderTest({
      users: Object.values(users),
      bindings: [
        { subject: users.admin.ref, role: 'org-admin', organization: 'acme' },
        { subject: users.dev.ref, role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
        { subject: users.viewer.ref, role: 'org-viewer', organization: 'acme' },
        { subject: users.root.ref, role: 'sovereign-admin', organization: '*' },
      ],
    });
  });
  afterAll(() => b.stop());

  const as = (user: keyof typeof users) => ({ Authorization: b.header(users[user].ref) });
  const gitdir = (env: string) => join(b.dataDir, 'git/acme', `${env}.git`);
  const head = (env: string) =>
    execFileSync('git', ['--git-dir', gitdir(env), 'rev-parse', 'main'], { encoding: 'utf8' }).trim();

  it('answers 401 without credentials on every route except /health', async () => {
    for (const path of [
      '/api/catalyst/blueprints',
      '/api/catalyst/environments',
      '/api/catalyst/environments/acme-dev/applications',
    ]) {
      expect((await request(b.server).get(path)).status).toBe(401);
    }
    expect((await request(b.server).post('/api/catalyst/environments/acme-dev/applications').send({})).status).toBe(
      401,
    );
    expect((await request(b.server).get('/api/catalyst/health')).status).toBe(200);
  });

  it('lists the Environments each user may read, with whether they may install', async () => {
    const dev = await request(b.server).get('/api/catalyst/environments').set(as('dev'));
    expect(dev.body.items.map((e: { name: string }) => e.name)).toEqual(['acme-dev']);
    expect(dev.body.items[0]).toMatchObject({ canInstall: true, governed: false });
    const admin = await request(b.server).get('/api/catalyst/environments').set(as('admin'));
    expect(
      admin.body.items.map((e: { name: string; governed: boolean; canInstall: boolean }) => [
        e.name,
        e.governed,
        e.canInstall,
      ]),
    ).toEqual([
      ['acme-dev', false, true],
      ['acme-prod', true, true],
      ['acme-stg', false, true],
    ]);
    expect((await request(b.server).get('/api/catalyst/environments').set(as('outsider'))).body.items).toEqual([]);
  });

  it('lets Backstage plugins calling as themselves read everything and write nothing', async () => {
    const service = { Authorization: b.serviceHeader() };
    const envs = await request(b.server).get('/api/catalyst/environments').set(service);
    expect(envs.status).toBe(200);
    expect(envs.body.items.map((e: { name: string; canInstall: boolean }) => [e.name, e.canInstall])).toEqual([
      ['acme-dev', false],
      ['acme-prod', false],
      ['acme-stg', false],
      ['globex-dev', false],
    ]);
    const before = head('acme-dev');
    const install = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(service)
      .send({ application: 'svc-cache', blueprint: 'bp-redis' });
    expect(install.status).toBe(403);
    expect(install.body.error).toMatchObject({ code: 'not-allowed' });
    expect(head('acme-dev')).toBe(before);
  });

  it('shows private Blueprints only to their Organization, and unlisted ones by exact name', async () => {
    const names = async (user: keyof typeof users, q = '') =>
      (await request(b.server).get(`/api/catalyst/blueprints${q}`).set(as(user))).body.items.map(
        (x: { name: string }) => x.name,
      );
    expect(await names('viewer')).toContain('bp-acme-payments');
    expect(await names('outsider')).not.toContain('bp-acme-payments');
    expect(await names('viewer')).not.toContain('bp-echo');
    expect(await names('viewer', '?q=bp-echo')).toEqual(['bp-echo']);
    expect((await request(b.server).get('/api/catalyst/blueprints/bp-acme-payments').set(as('outsider'))).status).toBe(
      404,
    );
    const detail = await request(b.server).get('/api/catalyst/blueprints/bp-wordpress').set(as('viewer'));
    expect(detail.body.versionDetails.map((v: { version: string }) => v.version)).toEqual(['1.4.0', '1.3.0', '1.2.0']);
    expect(detail.body.versionDetails[0].configSchema.required).toEqual(['domain', 'adminEmail']);
    // what each size sets beneath the Application's values (the IaC editor validates with them)
    expect(detail.body.versionDetails[0].overlayValues).toEqual({
      small: { replicas: 1 },
      medium: { replicas: 2 },
      large: { replicas: 5 },
    });
  });

  it('installs with an embedded dependency as one commit authored by the user (201)', async () => {
    const before = head('acme-dev');
    const res = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(as('dev'))
      .send({ application: 'marketing-site', blueprint: 'bp-wordpress', values: wp });
    expect(res.status).toBe(201);
    expect(res.body.applications.sort()).toEqual(['marketing-site', 'marketing-site-postgres']);
    expect(
      execFileSync('git', ['--git-dir', gitdir('acme-dev'), 'rev-list', '--count', `${before}..main`], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('1');
    expect(
      execFileSync('git', ['--git-dir', gitdir('acme-dev'), 'log', '-1', '--format=%an <%ae>'], {
        encoding: 'utf8',
      }).trim(),
    ).toBe('Layla Dev <layla@acme.example>');
  });

  it('lists the Applications of a Blueprint across readable Environments, with their live view', async () => {
    const deadline = Date.now() + 20_000;
    let items: Array<{ application: { name: string; environment: string }; live?: { status: string } }> = [];
    while (Date.now() < deadline) {
      const res = await request(b.server).get('/api/catalyst/blueprints/bp-wordpress/applications').set(as('viewer'));
      expect(res.status).toBe(200);
      items = res.body.items;
      if (items[0]?.live) break;
      await new Promise(r => setTimeout(r, 250));
    }
    expect(items.map(i => `${i.application.environment}/${i.application.name}`)).toEqual(['acme-dev/marketing-site']);
    // no cluster behind this test backend: Git says it should run, nothing runs it yet
    expect(items[0].live?.status).toBe('Installing');
    const outsider = await request(b.server)
      .get('/api/catalyst/blueprints/bp-wordpress/applications')
      .set(as('outsider'));
    expect(outsider.body.items).toEqual([]);
    expect(
      (await request(b.server).get('/api/catalyst/blueprints/Not%20A%20Name/applications').set(as('viewer'))).status,
    ).toBe(400);
  });

  it.each([
    ['viewer', 'acme-dev', 403, /you may not install in acme-dev/],
    ['dev', 'acme-stg', 404, /Environment acme-stg does not exist/],
    ['outsider', 'acme-dev', 404, /Environment acme-dev does not exist/],
  ] as const)('refuses %s installing into %s with %i', async (user, env, status, message) => {
    const before = head(env);
    const res = await request(b.server)
      .post(`/api/catalyst/environments/${env}/applications`)
      .set(as(user))
      .send({ application: 'cache', blueprint: 'bp-redis' });
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(head(env)).toBe(before);
  });

  it('answers a write to a governed Environment with 202 and a change request, served by /change-requests', async () => {
    const before = head('acme-prod');
    const opened = await request(b.server)
      .post('/api/catalyst/environments/acme-prod/applications')
      .set(as('admin'))
      .send({ application: 'cache', blueprint: 'bp-redis' });
    expect(opened.status).toBe(202);
    expect(opened.body).toMatchObject({
      action: 'install',
      changeRequest: { id: 'cr-1', state: 'open', merged: false },
    });
    expect(head('acme-prod')).toBe(before);

    const list = await request(b.server).get('/api/catalyst/change-requests?environment=acme-prod').set(as('viewer'));
    expect(list.body.items.map((c: { id: string; state: string }) => [c.id, c.state])).toEqual([['cr-1', 'open']]);
    // the dev may not read acme-prod: the request does not exist for them
    expect((await request(b.server).get('/api/catalyst/change-requests/cr-1').set(as('dev'))).status).toBe(404);
    expect(
      (await request(b.server).get('/api/catalyst/change-requests/nope').set(as('viewer'))).body.error,
    ).toMatchObject({ issues: [expect.objectContaining({ path: 'id' })] });
    const cr = await request(b.server).get('/api/catalyst/change-requests/cr-1').set(as('viewer'));
    expect(cr.body.evaluation.verdicts.map((v: { rule: { kind: string } }) => v.rule.kind)).toEqual([
      'pr-required',
      'soak',
      'change-window',
    ]);
    expect(cr.body.can.approve).toMatchObject({ allowed: false });

    const approve = (user: keyof typeof users) =>
      request(b.server).post('/api/catalyst/change-requests/cr-1/approve').set(as(user)).send({});
    expect((await approve('admin')).status).toBe(403); // the author
    expect((await approve('viewer')).status).toBe(403);
    const merge = await request(b.server)
      .post('/api/catalyst/change-requests/cr-1/merge')
      .set(as('admin'))
      .send({ breakGlass: { reason: 'too short' } });
    expect(merge.status).toBe(400);
    expect(merge.body.error.issues[0].path).toBe('breakGlass.reason');
    const glass = await request(b.server)
      .post('/api/catalyst/change-requests/cr-1/merge')
      .set(as('admin'))
      .send({ breakGlass: { reason: 'the approvals are not there yet' } });
    expect(glass.status).toBe(409);
    expect(glass.body.error.message).toMatch(/never approvals/);
    expect(head('acme-prod')).toBe(before);

    // the freeze switch: set with a reason by those allowed, shown on the Environment, lifted
    expect(
      (
        await request(b.server)
          .post('/api/catalyst/environments/acme-prod/freeze')
          .set(as('viewer'))
          .send({ reason: 'x' })
      ).status,
    ).toBe(403);
    const frozen = await request(b.server)
      .post('/api/catalyst/environments/acme-prod/freeze')
      .set(as('admin'))
      .send({ reason: 'INC-7' });
    expect(frozen.body).toMatchObject({ environment: 'acme-prod', frozen: true, reason: 'INC-7', by: users.admin.ref });
    const env = await request(b.server).get('/api/catalyst/environments/acme-prod').set(as('viewer'));
    expect(env.body).toMatchObject({ freeze: { reason: 'INC-7' }, openChangeRequests: 1 });
    const lifted = await request(b.server).delete('/api/catalyst/environments/acme-prod/freeze').set(as('admin'));
    expect(lifted.body).toEqual({ environment: 'acme-prod', frozen: false });

    // withdrawn by its author
    const withdrawn = await request(b.server)
      .post('/api/catalyst/change-requests/cr-1/reject')
      .set(as('admin'))
      .send({ reason: 'wrong Environment' });
    expect(withdrawn.body).toMatchObject({ state: 'rejected' });
  });

  it.each([
    [
      { application: 'blog', blueprint: 'bp-wordpress', values: { ...wp, replicas: 0 } },
      400,
      /values\.replicas/,
      'invalid-change',
    ],
    [
      { application: 'blog', blueprint: 'bp-wordpress', values: { domain: 'x.example' } },
      400,
      /adminEmail/,
      'invalid-change',
    ],
    [{ application: 'Blog!', blueprint: 'bp-redis' }, 400, /application/, 'invalid-change'],
    [{ application: 'blog', blueprint: 'bp-redis', surprise: true }, 400, /surprise/, 'invalid-request'],
    [{ blueprint: 'bp-redis' }, 400, /application/, 'invalid-request'],
    [{ application: 'blog', blueprint: 'bp-missing' }, 404, /bp-missing/, 'not-found'],
    [{ application: 'blog', blueprint: 'bp-redis', version: '7.0.0' }, 404, /7\.0\.0/, 'not-found'],
    [{ application: 'marketing-site', blueprint: 'bp-redis' }, 409, /marketing-site/, 'conflict'],
  ])('refuses %j with %i naming the problem and its code, and writes nothing', async (body, status, message, code) => {
    const before = head('acme-dev');
    const res = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(as('dev'))
      .send(body);
    expect(res.status).toBe(status);
    expect(res.body.error.message).toMatch(message);
    expect(res.body.error.code).toBe(code);
    expect(head('acme-dev')).toBe(before);
  });

  it('refuses a values key __proto__ with 400 naming the key, and writes nothing', async () => {
    // Sent as raw JSON: a JavaScript object literal cannot even hold this key.
    const before = head('acme-dev');
    const install = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(as('dev'))
      .set('Content-Type', 'application/json')
      .send(`{"application":"proto","blueprint":"bp-redis","values":{"maxMemory":"64mb","__proto__":{"x":1}}}`);
    expect(install.status).toBe(400);
    expect(install.body.error).toMatchObject({
      code: 'invalid-request',
      message: expect.stringContaining('values.__proto__'),
      issues: [{ code: 'forbidden-key', path: 'values.__proto__', message: 'the key "__proto__" is not allowed' }],
    });
    const patch = await request(b.server)
      .patch('/api/catalyst/environments/acme-dev/applications/marketing-site')
      .set(as('dev'))
      .set('Content-Type', 'application/json')
      .send(`{"values":{"domain":"a.example","nested":[{"__proto__":1}]}}`);
    expect(patch.status).toBe(400);
    expect(patch.body.error.message).toContain('values.nested[0].__proto__');
    expect(head('acme-dev')).toBe(before);
  });

  it('plans without writing, configures, refuses to uninstall a used database, and shows history', async () => {
    const before = head('acme-dev');
    const plan = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/plan')
      .set(as('dev'))
      .send({ application: 'www', blueprint: 'bp-static-site', values: { domain: 'www.acme.example' } });
    expect(plan.status).toBe(200);
    expect(Object.keys(plan.body.files)).toContain('flux-system/applications/www.yaml');
    expect(head('acme-dev')).toBe(before);

    const patch = await request(b.server)
      .patch('/api/catalyst/environments/acme-dev/applications/marketing-site')
      .set(as('dev'))
      .send({ values: { ...wp, replicas: 3 } });
    expect(patch.status).toBe(200);
    expect(patch.body).toMatchObject({ action: 'configure', changed: true });

    const del = await request(b.server)
      .delete('/api/catalyst/environments/acme-dev/applications/marketing-site-postgres')
      .set(as('dev'));
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('marketing-site-postgres is used by marketing-site');

    const history = await request(b.server)
      .get('/api/catalyst/environments/acme-dev/applications/marketing-site/history')
      .set(as('viewer'));
    expect(history.body.items.map((h: { action: string }) => h.action)).toEqual(['configure', 'install']);
    const diff = await request(b.server)
      .get(`/api/catalyst/environments/acme-dev/commits/${history.body.items[0].sha}?application=marketing-site`)
      .set(as('viewer'));
    expect(diff.body.changes.map((c: { path: string }) => c.path)).toContain('applications/marketing-site/values.yaml');
    expect(
      (
        await request(b.server)
          .patch('/api/catalyst/environments/acme-dev/applications/marketing-site')
          .set(as('viewer'))
          .send({ values: wp })
      ).status,
    ).toBe(403);
    expect(
      (await request(b.server).get('/api/catalyst/environments/acme-dev/commits/nothex').set(as('viewer'))).status,
    ).toBe(400);
  });

  it('creates an Environment whose repo exists when it answers, and refuses a duplicate env type', async () => {
    const res = await request(b.server)
      .post('/api/catalyst/environments')
      .set(as('admin'))
      .send({ organization: 'acme', envType: 'uat' });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ name: 'acme-uat', governed: false });
    expect(fs.existsSync(join(gitdir('acme-uat'), 'HEAD'))).toBe(true);
    const again = await request(b.server)
      .post('/api/catalyst/environments')
      .set(as('admin'))
      .send({ organization: 'acme', envType: 'uat' });
    expect(again.status).toBe(409);
    expect(
      (
        await request(b.server)
          .post('/api/catalyst/environments')
          .set(as('dev'))
          .send({ organization: 'acme', envType: 'poc' })
      ).status,
    ).toBe(403);
    expect(
      (
        await request(b.server)
          .post('/api/catalyst/environments')
          .set(as('admin'))
          .send({ organization: 'acme', envType: 'staging' })
      ).status,
    ).toBe(400);
  });

  it('answers a repeated create with the same idempotency key with what the first one created; other keys and users conflict', async () => {
    const post = (who: 'admin' | 'root', body: object) =>
      request(b.server).post('/api/catalyst/environments').set(as(who)).send(body);
    const body = {
      organization: 'acme',
      envType: 'poc',
      placement: { preset: 'large' },
      idempotencyKey: 'task-1:environment-create:abc',
    };
    const first = await post('admin', body);
    expect(first.status).toBe(201);
    const retry = await post('admin', body);
    expect([retry.status, retry.body]).toEqual([200, first.body]);
    expect((await post('admin', { ...body, idempotencyKey: 'task-2:environment-create:abc' })).status).toBe(409);
    expect((await post('admin', { organization: 'acme', envType: 'poc' })).status).toBe(409);
    expect((await post('root', body)).status).toBe(409);
    const envs = await request(b.server).get('/api/catalyst/environments').set(as('admin'));
    expect(envs.body.items.filter((e: { name: string }) => e.name === 'acme-poc')).toHaveLength(1);
    expect((await post('admin', { ...body, idempotencyKey: 'short' })).status).toBe(400);

    const org = {
      name: 'initech',
      displayName: 'Initech',
      teams: ['team-tps'],
      idempotencyKey: 'task-3:organization-create:def',
    };
    const created = await request(b.server).post('/api/catalyst/organizations').set(as('root')).send(org);
    expect(created.status).toBe(201);
    const replayed = await request(b.server).post('/api/catalyst/organizations').set(as('root')).send(org);
    expect([replayed.status, replayed.body]).toEqual([200, created.body]);
    expect(
      (
        await request(b.server)
          .post('/api/catalyst/organizations')
          .set(as('root'))
          .send({ ...org, idempotencyKey: 'task-4:organization-create:def' })
      ).status,
    ).toBe(409);
  }, 30_000);

  it('creates Organizations only for sovereign-admins, validating the slug', async () => {
    expect(
      (
        await request(b.server)
          .post('/api/catalyst/organizations')
          .set(as('admin'))
          .send({ name: 'hooli', displayName: 'Hooli' })
      ).status,
    ).toBe(403);
    const bad = await request(b.server)
      .post('/api/catalyst/organizations')
      .set(as('root'))
      .send({ name: 'flux', displayName: 'Flux' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/name: .*reserved/);
    const ok = await request(b.server)
      .post('/api/catalyst/organizations')
      .set(as('root'))
      .send({ name: 'hooli', displayName: 'Hooli', teams: ['team-ops'] });
    expect(ok.status).toBe(201);
    expect(fs.existsSync(join(b.dataDir, 'git/hooli/shared-blueprints.git/HEAD'))).toBe(true);
  });

  it('publishes catalog entities to services only, and picks up a direct push by another Git client', async () => {
    expect((await request(b.server).get('/api/catalyst/catalog/entities').set(as('admin'))).status).toBe(403);
    const work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-push-'));
    try {
      execFileSync('git', ['clone', '-q', gitdir('acme-dev'), work]);
      const src = join(work, 'applications/marketing-site');
      const dst = join(work, 'applications/marketing-copy');
      fs.cpSync(src, dst, { recursive: true });
      const appYaml = join(dst, 'application.yaml');
      fs.writeFileSync(
        appYaml,
        fs.readFileSync(appYaml, 'utf8').replace('name: marketing-site', 'name: marketing-copy'),
      );
      const git = (...args: string[]) =>
        execFileSync('git', ['-C', work, '-c', 'user.name=Ops', '-c', 'user.email=ops@acme.example', ...args]);
      git('add', '.');
      git('commit', '-qm', 'Copy the marketing site by hand');
      git('push', '-q', 'origin', 'HEAD:main');
    } finally {
      fs.rmSync(work, { recursive: true, force: true });
    }
    const res = await request(b.server).get('/api/catalyst/catalog/entities').set({ Authorization: b.serviceHeader() });
    expect(res.status).toBe(200);
    const apps = res.body.entities
      .filter((e: { kind: string }) => e.kind === 'Application')
      .map((e: { metadata: { name: string } }) => e.metadata.name);
    expect(apps).toContain('marketing-copy');
    const listed = await request(b.server).get('/api/catalyst/environments/acme-dev/applications').set(as('viewer'));
    expect(listed.body.items.find((a: { name: string }) => a.name === 'marketing-copy')).toMatchObject({
      blueprint: 'bp-wordpress',
    });
  });
});
