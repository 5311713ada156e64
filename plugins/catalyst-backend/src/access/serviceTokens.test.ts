import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { freePort, type CatalystTestBackend } from '@internal/catalyst-test-utils';
import { startBackendUnderTest } from '../__testUtils__/testBackend';

jest.setTimeout(120_000);

/**
 * Integrations (README, "Integrations with a service token"): Backstage's own static external
 * access tokens, verified by Backstage's real auth service, and bound to a Catalyst role in
 * `catalyst.access.bindings` as `service:<subject>`. The change-management tool is an org-developer of
 * acme; a token nobody bound may read nothing and write nothing. One call per surface: REST,
 * GraphQL, Git.
 */
const CHANGE_DESK = 'change-desk-token-6f1c2a9e';
const STRANGER = 'stranger-token-0b7d4e21';

describe('service tokens bound to a role', () => {
  let b: CatalystTestBackend;
  let work: string;
  const bearer = (token: string) => ({ Authorization: `Bearer ${token}` });

  beforeAll(async () => {
    work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-service-token-'));
    const port = await freePort();
    b = await startBackendUnderTest({
      realAuth: true,
      publicPort: port,
      users: [],
      bindings: [{ subject: 'service:change-desk', role: 'org-developer', organization: 'acme' }],
      rootConfig: {
        // the whole `backend` key replaces the test backend's, so its public URL is repeated here
        app: { baseUrl: `http://localhost:${port}` },
        backend: {
          baseUrl: `http://localhost:${port}`,
          listen: { port, host: '127.0.0.1' },
          auth: {
            externalAccess: [
              { type: 'static', options: { token: CHANGE_DESK, subject: 'change-desk' } },
              { type: 'static', options: { token: STRANGER, subject: 'stranger' } },
            ],
          },
        },
      },
    });
  }, 120_000);
  afterAll(async () => {
    await b?.stop();
    fs.rmSync(work, { recursive: true, force: true });
  });

  it('REST: the bound tool installs from a ticket, as its own author, only in its Organization', async () => {
    const installed = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(bearer(CHANGE_DESK))
      .send({ application: 'ticket-cache', blueprint: 'bp-redis', idempotencyKey: 'CHG-1042-install' });
    expect(installed.status).toBe(201);
    expect(installed.body.commit).toMatchObject({ actor: 'service:change-desk', author: { name: 'change-desk' } });

    const elsewhere = await request(b.server)
      .post('/api/catalyst/environments/globex-dev/applications')
      .set(bearer(CHANGE_DESK))
      .send({ application: 'ticket-cache', blueprint: 'bp-redis' });
    expect(elsewhere.status).toBe(404);

    const stranger = await request(b.server)
      .post('/api/catalyst/environments/acme-dev/applications')
      .set(bearer(STRANGER))
      .send({ application: 'nope', blueprint: 'bp-redis' });
    // an unbound service reads nothing, so acme-dev is as hidden from it as from any outsider
    expect(stranger.status).toBe(404);
    expect(stranger.body.error.message).toBe('Environment acme-dev does not exist');
    const listed = await request(b.server).get('/api/catalyst/environments').set(bearer(STRANGER));
    expect(listed.body.items).toEqual([]);
  });

  it('GraphQL: a compliance export reads every Application of its Organization and nothing else', async () => {
    const res = await request(b.server)
      .post('/api/catalyst/graphql')
      .set(bearer(CHANGE_DESK))
      .send({ query: '{ environments { name applications { name blueprint version } } }' });
    expect(res.status).toBe(200);
    const names = res.body.data.environments.map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining(['acme-dev', 'acme-prod']));
    expect(names.some((n: string) => n.startsWith('globex'))).toBe(false);
    const dev = res.body.data.environments.find((e: { name: string }) => e.name === 'acme-dev');
    expect(dev.applications.map((a: { name: string }) => a.name)).toContain('ticket-cache');
  });

  it('Git: the same token clones acme-dev (Basic auth, any user name)', async () => {
    const port = b.server.port();
    const out = await new Promise<{ code: number; text: string }>(resolve =>
      execFile(
        'git',
        [
          '-c',
          'credential.helper=',
          'clone',
          `http://ci:${CHANGE_DESK}@127.0.0.1:${port}/api/catalyst/git/acme/acme-dev.git`,
          'dev',
        ],
        { cwd: work, env: { ...process.env, GIT_TERMINAL_PROMPT: '0', HOME: work } },
        (error, stdout, stderr) => resolve({ code: error ? 1 : 0, text: `${stdout}${stderr}` }),
      ),
    );
    expect(out.text).not.toContain('fatal');
    expect(out.code).toBe(0);
    expect(fs.existsSync(join(work, 'dev', 'applications', 'ticket-cache', 'values.yaml'))).toBe(true);
  });
});
