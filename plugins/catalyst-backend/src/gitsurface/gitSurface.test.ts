import { execFile, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import type { RoleBinding } from '@internal/plugin-catalyst-common';
import { startBackendUnderTest } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * The Git surface end to end: Debian git's own client clones and pushes over HTTP to the backend,
 * which runs git's http-backend under Catalyst's authorization and push policy. Seeded Sovereign:
 * acme (acme-dev, acme-prod governed by its EnvironmentPolicy) and globex.
 */
const users = {
  layla: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  vic: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  olga: { ref: 'user:default/olga', displayName: 'Olga Globex', email: 'olga@globex.example' },
};
const bindings: RoleBinding[] = [
  { subject: users.layla.ref, role: 'org-developer', organization: 'acme' },
  { subject: users.vic.ref, role: 'org-viewer', organization: 'acme' },
  { subject: users.olga.ref, role: 'org-admin', organization: 'globex' },
];

describe('Git over smart HTTP', () => {
  let b: CatalystTestBackend;
  let work: string;
  const as = (who: keyof typeof users) => ({ Authorization: b.header(users[who].ref) });

  /**
   * Runs the git CLI, asynchronously: the backend answering it lives in this process. Never prompts,
   * never reads the machine's credential helpers.
   */
  const git = (cwd: string, ...args: string[]) =>
    new Promise<{ status: number; out: string }>(resolve => {
      execFile(
        'git',
        ['-c', 'credential.helper=', '-c', 'user.name=Laptop', '-c', 'user.email=l@x', ...args],
        {
          cwd,
          encoding: 'utf8',
          env: { ...process.env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', HOME: work },
        },
        (error, stdout, stderr) => {
          const code = error ? (error as { code?: unknown }).code : 0;
          resolve({ status: typeof code === 'number' ? code : 1, out: `${stdout}${stderr}` });
        },
      );
    });
  const url = (secret: string, org: string, repo: string) =>
    `http://git:${secret}@127.0.0.1:${b.server.port()}/api/catalyst/git/${org}/${repo}.git`;
  const token = async (who: keyof typeof users, organization: string) => {
    const res = await request(b.server)
      .post('/api/catalyst/git-tokens')
      .set(as(who))
      .send({ name: 'laptop', organization });
    expect(res.status).toBe(201);
    return res.body as { secret: string; token: { id: string } };
  };
  const clone = (secret: string, org: string, repo: string, dir: string) =>
    git(work, 'clone', url(secret, org, repo), dir);
  const write = (dir: string, path: string, text: string) => fs.writeFileSync(join(work, dir, path), text);
  const commitAll = async (dir: string, message: string) => {
    expect((await git(join(work, dir), 'add', '-A')).status).toBe(0);
    expect((await git(join(work, dir), 'commit', '-q', '-m', message)).status).toBe(0);
  };
  const remoteHead = (org: string, repo: string, ref = 'main') =>
    spawnSync('git', ['--git-dir', join(b.dataDir, 'git', org, `${repo}.git`), 'rev-parse', ref], {
      encoding: 'utf8',
    }).stdout.trim();

  beforeAll(async () => {
    work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-git-surface-'));
    b = await startBackendUnderTest({ users: Object.values(users), bindings });
    const installed = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(as('layla'))
      .send({ application: 'cache', blueprint: 'bp-redis' });
    if (installed.status !== 201) throw new Error(`the fixture did not install: ${installed.status}`);
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('lists tokens without their secrets', async () => {
    const { secret, token: created } = await token('layla', 'acme');
    expect(secret).toMatch(/^cgt_/);
    const listed = await request(b.server).get('/api/catalyst/git-tokens').set(as('layla'));
    expect(listed.body.items.map((t: { id: string }) => t.id)).toContain(created.id);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
  });

  it('clones acme-dev, pushes a values change to main, and Catalyst composes it with the same events', async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-dev', 'dev')).status).toBe(0);
    write('dev', 'applications/cache/values.yaml', 'maxMemory: 512mb\nevictionPolicy: noeviction\n');
    await commitAll('dev', 'More memory for the cache');
    const pushed = await git(join(work, 'dev'), 'push', 'origin', 'HEAD:main');
    expect(pushed.out).toContain('composed the manifests');
    expect(pushed.status).toBe(0);

    // the portal reads it back: the Application's values, history with the push and the compose commit
    const app = await request(b.server).get('/api/catalyst/environments/acme-dev/applications/cache').set(as('layla'));
    expect(app.body.values).toMatchObject({ maxMemory: '512mb', evictionPolicy: 'noeviction' });
    expect(Object.values(app.body.files as Record<string, string>).join('\n')).toContain('512mb');
    const history = await request(b.server)
      .get('/api/catalyst/environments/acme-dev/applications/cache/history')
      .set(as('layla'));
    expect(JSON.stringify(history.body)).toContain("Compose cache after Layla Dev's push");
    expect(JSON.stringify(history.body)).toContain('More memory for the cache');
    // live status follows: the read model's activity of the Application shows the same domain
    // event a portal configure publishes, for the person behind the token
    const composed = remoteHead('acme', 'acme-dev');
    let activity = '';
    for (let i = 0; i < 100 && !(activity.includes('configured') && activity.includes(composed)); i++) {
      const status = await request(b.server)
        .get('/api/catalyst/environments/acme-dev/applications/cache/status')
        .set(as('layla'));
      activity = JSON.stringify(status.body);
      await new Promise(r => setTimeout(r, 200));
    }
    expect(activity).toContain('configured');
    expect(activity).toContain(composed);
  });

  it('refuses a push whose values break the configSchema, naming the file and the field, and moves nothing', async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-dev', 'bad')).status).toBe(0);
    const before = remoteHead('acme', 'acme-dev');
    write('bad', 'applications/cache/values.yaml', 'maxMemory: lots\n');
    await commitAll('bad', 'Too much');
    const pushed = await git(join(work, 'bad'), 'push', 'origin', 'HEAD:main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.out).toContain('applications/cache/values.yaml: values.maxMemory');
    expect(remoteHead('acme', 'acme-dev')).toBe(before);
  });

  it('refuses a change to a file Catalyst composes, by name', async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-dev', 'gen')).status).toBe(0);
    write('gen', 'flux-system/applications/cache.yaml', '# hand edit\n');
    await commitAll('gen', 'Hand edit');
    const pushed = await git(join(work, 'gen'), 'push', 'origin', 'HEAD:main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.out).toContain('flux-system/applications/cache.yaml: is written by Catalyst');
  });

  it("refuses a commit carrying Catalyst's trailers (who acted, which change request, why glass was broken)", async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-dev', 'forged')).status).toBe(0);
    const before = remoteHead('acme', 'acme-dev');
    const audited = b.auditEvents.length;
    write('forged', 'applications/cache/values.yaml', 'maxMemory: 256mb\n');
    await commitAll(
      'forged',
      'Tune cache\n\nCatalyst-Actor: user:default/ada\nCatalyst-Break-Glass: user:default/ada: outage',
    );
    const pushed = await git(join(work, 'forged'), 'push', 'origin', 'HEAD:main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.out).toMatch(
      /commit [0-9a-f]{7} carries Catalyst-Actor, Catalyst-Break-Glass: only Catalyst writes these trailers/,
    );
    expect(remoteHead('acme', 'acme-dev')).toBe(before);
    // the refused push is in the audit trail like a refused REST write: who, where, why
    const refused = b.auditEvents
      .slice(audited)
      .filter(e => e.plugin === 'catalyst' && e.eventId === 'git-push' && e.status === 'failed');
    expect(refused).toHaveLength(1);
    expect(refused[0].meta).toMatchObject({
      surface: 'git',
      verdict: 'refused',
      target: { organization: 'acme', repository: 'acme-dev.git' },
    });
    // a Git token's owner is named in the event (the auditor's own actor is the plugin serving the token)
    expect(refused[0].meta).toMatchObject({ actor: users.layla.ref });
    expect((refused[0] as { error?: Error }).error?.message).toContain('only Catalyst writes these trailers');
  });

  it("refuses a push to governed acme-prod's main with the rules, and opens a change request from a branch", async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-prod', 'prod')).status).toBe(0);
    expect((await clone(secret, 'acme', 'acme-dev', 'source')).status).toBe(0);
    fs.mkdirSync(join(work, 'prod', 'applications', 'cache'), { recursive: true });
    for (const file of ['application.yaml', 'values.yaml']) {
      fs.copyFileSync(
        join(work, 'source', 'applications', 'cache', file),
        join(work, 'prod', 'applications', 'cache', file),
      );
    }
    await commitAll('prod', 'Cache in production');
    const before = remoteHead('acme', 'acme-prod');

    const direct = await git(join(work, 'prod'), 'push', 'origin', 'HEAD:main');
    expect(direct.status).not.toBe(0);
    expect(direct.out).toContain('acme-prod is governed by its EnvironmentPolicy');
    expect(direct.out).toContain('change request');
    expect(remoteHead('acme', 'acme-prod')).toBe(before);

    const branch = await git(join(work, 'prod'), 'push', 'origin', 'HEAD:cache-in-prod');
    expect(branch.status).toBe(0);
    expect(branch.out).toMatch(/Change request cr-\d+ opened for cache-in-prod/);
    const id = /Change request (cr-\d+) opened/.exec(branch.out)?.[1];
    expect(remoteHead('acme', 'acme-prod')).toBe(before);
    const cr = await request(b.server).get(`/api/catalyst/change-requests/${id}`).set(as('layla'));
    expect(cr.status).toBe(200);
    expect(cr.body).toMatchObject({ environment: 'acme-prod', application: 'cache', author: users.layla.ref });
  });

  it('a second push to the same branch opens its new change request and supersedes the first', async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'acme-prod', 'again')).status).toBe(0);
    expect((await git(join(work, 'again'), 'fetch', '-q', 'origin', 'cache-in-prod')).status).toBe(0);
    expect((await git(join(work, 'again'), 'checkout', '-q', '-b', 'cache-in-prod', 'FETCH_HEAD')).status).toBe(0);
    const first = await request(b.server)
      .get('/api/catalyst/change-requests?environment=acme-prod&state=open')
      .set(as('layla'));
    const [older] = first.body.items.map((i: { id: string }) => i.id);
    write('again', 'applications/cache/values.yaml', 'maxMemory: 1gb\nevictionPolicy: allkeys-lru\n');
    await commitAll('again', 'A bigger cache for production');
    const pushed = await git(join(work, 'again'), 'push', 'origin', 'cache-in-prod');
    expect(pushed.status).toBe(0);
    const newer = /Change request (cr-\d+) opened/.exec(pushed.out)?.[1];
    expect(newer).not.toBe(older);
    const superseded = await request(b.server).get(`/api/catalyst/change-requests/${older}`).set(as('layla'));
    expect(superseded.body).toMatchObject({ state: 'superseded', supersededBy: newer });
    const current = await request(b.server).get(`/api/catalyst/change-requests/${newer}`).set(as('layla'));
    expect(JSON.stringify(current.body.files)).toContain('1gb');
  });

  it("registers a release tag pushed to shared-blueprints as acme's private version, and refuses an invalid one", async () => {
    const { secret } = await token('layla', 'acme');
    expect((await clone(secret, 'acme', 'shared-blueprints', 'bp')).status).toBe(0);
    const doc = join(work, 'bp', 'bp-acme-payments', 'blueprint.yaml');
    fs.writeFileSync(doc, fs.readFileSync(doc, 'utf8').replace(/^(\s*version:\s*)['"]?1\.0\.0['"]?\s*$/m, '$11.0.1'));
    expect(fs.readFileSync(doc, 'utf8')).toMatch(/version:\s*1\.0\.1/);
    await commitAll('bp', 'bp-acme-payments 1.0.1');
    expect((await git(join(work, 'bp'), 'tag', 'bp-acme-payments/v1.0.1')).status).toBe(0);
    expect((await git(join(work, 'bp'), 'tag', 'bp-acme-payments/v1.0.2')).status).toBe(0);

    const invalid = await git(join(work, 'bp'), 'push', 'origin', 'refs/tags/bp-acme-payments/v1.0.2');
    expect(invalid.status).not.toBe(0);
    expect(invalid.out).toContain('bp-acme-payments/v1.0.2 is not a valid Blueprint release');

    const released = await git(join(work, 'bp'), 'push', 'origin', 'HEAD:main', 'refs/tags/bp-acme-payments/v1.0.1');
    expect(released.status).toBe(0);
    expect(released.out).toContain('Registered bp-acme-payments/v1.0.1 as a private Blueprint version of acme');
    const blueprint = await request(b.server).get('/api/catalyst/blueprints/bp-acme-payments').set(as('layla'));
    expect(JSON.stringify(blueprint.body)).toContain('1.0.1');
  });

  it('lets a viewer clone but not push, and refuses revoked tokens and other Organizations', async () => {
    const viewer = await token('vic', 'acme');
    expect((await clone(viewer.secret, 'acme', 'acme-dev', 'vic')).status).toBe(0);
    write('vic', 'applications/cache/values.yaml', 'maxMemory: 128mb\n');
    await commitAll('vic', 'Viewer tries');
    const pushed = await git(join(work, 'vic'), 'push', 'origin', 'HEAD:main');
    expect(pushed.status).not.toBe(0);
    expect(pushed.out).toContain('remote: Vic Viewer may not configure in acme-dev');

    const revoked = await token('layla', 'acme');
    const res = await request(b.server).delete(`/api/catalyst/git-tokens/${revoked.token.id}`).set(as('layla'));
    expect(res.status).toBe(200);
    expect(res.body.revokedAt).toEqual(expect.any(String));
    const refused = await clone(revoked.secret, 'acme', 'acme-dev', 'revoked');
    expect(refused.status).not.toBe(0);
    expect(refused.out).toMatch(/Authentication failed|revoked/);

    // Olga's token is for globex; and she may not make one for acme at all
    const globex = await token('olga', 'globex');
    const other = await clone(globex.secret, 'acme', 'acme-dev', 'olga');
    expect(other.status).not.toBe(0);
    expect(other.out).toContain('This Git token is for Organization globex');
    const forAcme = await request(b.server)
      .post('/api/catalyst/git-tokens')
      .set(as('olga'))
      .send({ name: 'x', organization: 'acme' });
    expect(forAcme.status).toBe(404);
    expect((await clone(globex.secret, 'globex', 'globex-dev', 'olga-own')).status).toBe(0);
  });
});
