import type { AuditorEvent } from '@backstage/backend-defaults/auditor';
import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import { startBackendUnderTest } from '../__testUtils__/testBackend';

const users = {
  admin: { ref: 'user:default/dana', displayName: 'Dana Admin', email: 'dana@acme.example' },
  dev: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  viewer: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  outsider: { ref: 'user:default/olga', displayName: 'Olga Other', email: 'olga@globex.example' },
};

/**
 * The audit trail through Backstage's own auditor implementation (DefaultAuditorService, which
 * resolves the actor from the request), recorded by the test backend instead of logged: every write
 * whatever came of it, every refusal, and no successful read.
 */
describe('audit', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startBackendUnderTest({
      users: Object.values(users),
      bindings: [
        { subject: users.admin.ref, role: 'org-admin', organization: 'acme' },
        { subject: users.dev.ref, role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
        { subject: users.viewer.ref, role: 'org-viewer', organization: 'acme' },
        { subject: 'user:default/gus', role: 'org-admin', organization: 'globex' },
      ],
    });
  });
  afterAll(() => b.stop());

  const as = (user: keyof typeof users) => ({ Authorization: b.header(users[user].ref) });
  /** The catalyst plugin's events from the calls `act` makes. */
  async function eventsOf(act: () => Promise<unknown>): Promise<AuditorEvent[]> {
    const before = b.auditEvents.length;
    await act();
    return b.auditEvents.slice(before).filter(e => e.plugin === 'catalyst');
  }
  const head = (env: string) =>
    execFileSync('git', ['--git-dir', join(b.dataDir, 'git/acme', `${env}.git`), 'rev-parse', 'main'], {
      encoding: 'utf8',
    }).trim();

  it('records an allowed write as initiated then succeeded, with the actor, the target and the commit', async () => {
    let status = 0;
    const events = await eventsOf(async () => {
      const res = await request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set(as('dev'))
        .send({ application: 'audited-cache', blueprint: 'bp-redis', values: { maxMemory: '64mb' } });
      status = res.status;
    });
    expect(status).toBe(201);
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['install', 'initiated'],
      ['install', 'succeeded'],
    ]);
    const done = events[1];
    expect(done.severityLevel).toBe('medium');
    expect(done.actor.actorId).toBe(users.dev.ref);
    expect(done.request).toEqual({ method: 'POST', url: '/api/catalyst/environments/acme-dev/applications' });
    expect(done.meta).toEqual({
      surface: 'rest',
      verdict: 'allowed',
      target: {
        environment: 'acme-dev',
        organization: 'acme',
        application: 'audited-cache',
        blueprint: 'bp-redis',
        action: 'install',
      },
      result: { commit: head('acme-dev'), changed: true, replayed: false, applications: ['audited-cache'] },
    });
    // configuration values are the caller's business, not the log's
    expect(JSON.stringify(events)).not.toContain('64mb');
  });

  it('records a write the caller may not make as refused, with the reason', async () => {
    const events = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set(as('viewer'))
        .send({ application: 'nope', blueprint: 'bp-redis' })
        .expect(403),
    );
    expect(events.map(e => e.status)).toEqual(['initiated', 'failed']);
    const failed = events[1] as AuditorEvent & { error: Error };
    expect(failed.actor.actorId).toBe(users.viewer.ref);
    expect(failed.meta).toMatchObject({
      verdict: 'refused',
      status: 403,
      code: 'not-allowed',
      target: { environment: 'acme-dev', organization: 'acme', action: 'install', application: 'nope' },
    });
    expect((failed.meta as { target: { refusal: string } }).target.refusal).toMatch(/install/);
    expect(failed.error.name).toBe('NotAllowedError');
  });

  it('records the truth behind a 404 that hides another Organization’s Environment', async () => {
    const events = await eventsOf(() =>
      request(b.server).get('/api/catalyst/environments/acme-dev/applications').set(as('outsider')).expect(404),
    );
    // a read has its event only once refused (Backstage's auditor still logs it initiated first)
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['list-applications', 'initiated'],
      ['list-applications', 'failed'],
    ]);
    expect(events[1].actor.actorId).toBe(users.outsider.ref);
    expect(events[1].meta).toMatchObject({
      verdict: 'refused',
      status: 404,
      code: 'environment-not-found',
      target: { environment: 'acme-dev', organization: 'acme', refusal: 'may not read Environment acme-dev' },
    });
  });

  it('does not audit successful reads, nor reads of what does not exist', async () => {
    const events = await eventsOf(async () => {
      await request(b.server).get('/api/catalyst/environments/acme-dev/applications').set(as('viewer')).expect(200);
      await request(b.server).get('/api/catalyst/environments').set(as('dev')).expect(200);
      await request(b.server).get('/api/catalyst/environments/acme-uat').set(as('admin')).expect(404);
    });
    expect(events).toEqual([]);
  });

  it('records refusals at the door: no credentials, and a backend plugin trying to write', async () => {
    const anonymous = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set('User-Agent', 'audit-test')
        .send({ application: 'x', blueprint: 'bp-redis' })
        .expect(401),
    );
    expect(anonymous.map(e => e.status)).toEqual(['initiated', 'failed']);
    expect(anonymous[1]).toMatchObject({
      eventId: 'install',
      status: 'failed',
      meta: {
        verdict: 'refused',
        caller: 'unauthenticated',
        userAgent: 'audit-test',
        code: 'unauthenticated',
        status: 401,
        target: { environment: 'acme-dev' },
      },
    });
    // the auditor falls back to the plugin's own identity without a request; the meta says who knocked
    expect(anonymous[1].actor.actorId).toBe('plugin:catalyst');

    const service = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set({ Authorization: b.serviceHeader() })
        .send({ application: 'x', blueprint: 'bp-redis' })
        .expect(403),
    );
    expect(service.map(e => e.status)).toEqual(['initiated', 'failed']);
    expect(service[1].actor.actorId).toBe('plugin:catalog');
    expect(service[1].meta).toMatchObject({ verdict: 'refused', code: 'not-allowed', status: 403 });
  });

  it('records bad input to a write as rejected, naming nothing of its values', async () => {
    const events = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set(as('dev'))
        .send({ application: 'bad', blueprint: 'bp-redis', values: { maxMemory: 'hunter2' }, extra: true })
        .expect(400),
    );
    expect(events.map(e => e.status)).toEqual(['initiated', 'failed']);
    expect(events[1].meta).toMatchObject({ verdict: 'rejected', status: 400, code: 'invalid-request' });
    expect(JSON.stringify(events)).not.toContain('hunter2');

    const malformed = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-dev/applications')
        .set(as('dev'))
        .set('Content-Type', 'application/json')
        .send('{"application":')
        .expect(400),
    );
    expect(malformed.map(e => [e.status, (e.meta as { verdict?: string }).verdict])).toEqual([
      ['initiated', undefined],
      ['failed', 'rejected'],
    ]);
  });

  it('records a change to a governed Environment as allowed, with the change request it opened', async () => {
    const events = await eventsOf(() =>
      request(b.server)
        .post('/api/catalyst/environments/acme-prod/applications')
        .set(as('admin'))
        .send({ application: 'prod-cache', blueprint: 'bp-redis' })
        .expect(202),
    );
    expect(events[1].meta).toMatchObject({
      verdict: 'allowed',
      target: { environment: 'acme-prod', organization: 'acme' },
      result: {
        changeRequest: expect.stringMatching(/^cr-\d+$/),
        branch: expect.stringMatching(/^change-requests\/cr-/),
      },
    });
    expect(events[1].actor.actorId).toBe(users.admin.ref);
  });

  it('records a break-glass merge with the org-admin who broke glass, the change request and the reason', async () => {
    // acme-stg governed by a soak alone (nothing has run in acme-dev), so only breaking glass merges now
    await request(b.server)
      .post('/api/catalyst/environments/acme-stg/policy')
      .set(as('admin'))
      .send({ rules: [{ kind: 'soak', sourceEnvironment: 'acme-dev', duration: '24h' }] })
      .expect(200);
    const opened = await request(b.server)
      .post('/api/catalyst/environments/acme-stg/applications')
      .set(as('admin'))
      .send({ application: 'glass-cache', blueprint: 'bp-redis' })
      .expect(202);
    const id: string = opened.body.changeRequest.id;
    const reason = 'INC-12: the cache has to ship before the soak ends';
    const events = await eventsOf(() =>
      request(b.server)
        .post(`/api/catalyst/change-requests/${id}/merge`)
        .set(as('admin'))
        .send({ breakGlass: { reason } })
        .expect(200),
    );
    expect(events.map(e => [e.eventId, e.status])).toEqual([
      ['merge-change-request', 'initiated'],
      ['merge-change-request', 'succeeded'],
    ]);
    const merged = head('acme-stg');
    expect(events[1].actor.actorId).toBe(users.admin.ref);
    expect(events[1].meta).toMatchObject({
      surface: 'rest',
      verdict: 'allowed',
      target: { id, environment: 'acme-stg', organization: 'acme' },
      result: { changeRequest: id, merged, breakGlass: reason },
    });
  });

  it('records a replayed write as succeeded without a new commit', async () => {
    const body = { application: 'replayed-cache', blueprint: 'bp-redis', idempotencyKey: 'audit-replay-1' };
    await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(as('dev'))
      .send(body)
      .expect(201);
    const events = await eventsOf(() =>
      request(b.server).post('/api/catalyst/environments/acme-dev/applications').set(as('dev')).send(body).expect(200),
    );
    expect(events[1].meta).toMatchObject({
      verdict: 'allowed',
      result: { commit: head('acme-dev'), replayed: true },
    });
  });
});
