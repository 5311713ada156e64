import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { prepareDataDir, PreparedDataDir } from './dataDir';
import { backendPart, embeddedParts } from './parts';
import { readSettings } from './settings';
import { ChildSpec, RestartPolicy, Supervisor, SupervisorEvent } from './Supervisor';
import { describeSupervisorEvent } from './supervisorMessages';
import { jetStreamApi, NatsRequests, openNatsRequests } from './testing/natsRequests';
import { tcpGreets, waitFor } from './waitFor';

// eslint-disable-next-line no-restricted-syntax -- tests run from source, at a fixed depth in the repo
const rootDir = resolve(__dirname, '../../..');

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

interface Health {
  status: 'healthy' | 'unhealthy';
  parts: Record<'nats' | 'git' | 'database', { healthy: boolean; detail: string }>;
}

/** GET the catalyst health endpoint: its status code and report (200 healthy, 503 not). */
function health(port: number): Promise<{ status: number; body: Health }> {
  return new Promise((resolvePromise, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/api/catalyst/health', agent: false, timeout: 10_000 },
      res => {
        let body = '';
        res.on('data', chunk => (body += chunk));
        res.on('end', () => resolvePromise({ status: res.statusCode!, body: JSON.parse(body) }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('health did not answer within 10 s')));
    req.on('error', reject);
    req.end();
  });
}

/** Every JetStream stream with its last sequence number. */
async function streams(nats: NatsRequests): Promise<Record<string, number>> {
  const { streams: names } = await jetStreamApi<{ streams: string[] | null }>(nats, '$JS.API.STREAM.NAMES', {});
  const lastSeqs: Record<string, number> = {};
  for (const name of names ?? []) {
    const info = await jetStreamApi<{ state: { last_seq: number } }>(nats, `$JS.API.STREAM.INFO.${name}`);
    lastSeqs[name] = info.state.last_seq;
  }
  return lastSeqs;
}

/**
 * The launcher's own parts, started as it starts them: its nats-server (`embeddedParts`) and the
 * backend from source (`backendPart`), under its Supervisor. The devcluster and the identity
 * provider need a build (`npm start` makes one; unit tests run before it), so they are left out —
 * and with them the backend's sign-in provider, which would fail its start without the issuer.
 */
describe('the backend while the launcher restarts a crashed nats-server', () => {
  const natsServer = execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
  let dataDir: string;
  let prepared: PreparedDataDir;
  let supervisor: Supervisor;
  let nats: NatsRequests | undefined;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-parts-'));
    prepared = prepareDataDir(dataDir, new Date());
    supervisor = new Supervisor();
  });
  afterEach(async () => {
    nats?.close();
    await supervisor.stopAll(5_000);
    prepared.release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps serving, reconnects to the nats-server that comes back on its port and store, and is healthy again', async () => {
    const s = readSettings(rootDir, {
      CATALYST_DATA_DIR: dataDir,
      CATALYST_PORT: String(await freePort()),
      CATALYST_NATS_PORT: String(await freePort()),
      CATALYST_DEVCLUSTER_PORT: String(await freePort()),
      CATALYST_IDP_PORT: String(await freePort()),
    });
    // A restart 4 s after the crash: long enough to see the backend answer while NATS is gone
    // (its health probe gives JetStream 2 s). The launcher's own policy restarts after 0.5 s.
    const policy: RestartPolicy = { initialBackoffMs: 4_000, maxBackoffMs: 4_000, maxCrashes: 3, windowMs: 60_000 };
    const [natsPart] = embeddedParts(s, process.env, natsServer, policy);
    const backend = backendPart(s, process.env);
    const backendEnv = Object.fromEntries(
      Object.entries(backend.spec.env).filter(([key]) => key !== 'APP_CONFIG_auth_providers_oidc'),
    );
    const backendSpec: ChildSpec = { ...backend.spec, env: backendEnv };
    expect(backendSpec.restart).toBeUndefined();

    const events: SupervisorEvent[] = [];
    supervisor.onEvent(event => events.push(event));
    await supervisor.start(natsPart.spec);
    await supervisor.start(backendSpec);
    const backendPid = supervisor.pid('backend');
    expect(await waitFor(async () => (await health(s.backendPort)).status === 200, { timeoutMs: 60_000 })).toBe(true);
    nats = await openNatsRequests(s.host, s.natsPort);
    const before = await streams(nats);
    // The backend's own streams (its events, its KV buckets), seeded on this first start.
    expect(Object.keys(before).length).toBeGreaterThan(0);
    nats.close();

    const natsPid = supervisor.pid('nats-server')!;
    process.kill(natsPid, 'SIGKILL');
    await waitFor(async () => events.length > 0, { timeoutMs: 10_000 });
    expect(describeSupervisorEvent(events[0])).toBe(
      `nats-server crashed (killed by SIGKILL); restarting it in 4 s (crash 1 within 1 min, gives up at 3; log: ${join(
        dataDir,
        'logs/nats-server.log',
      )})`,
    );

    // NATS is gone: the backend still answers, and says what is missing.
    const during = await health(s.backendPort);
    expect([during.status, during.body.parts.nats.healthy, during.body.parts.database.healthy]).toEqual([
      503,
      false,
      true,
    ]);
    expect(events).toHaveLength(1);

    // Back on the same port and store, the backend reconnects by itself: healthy again.
    expect(await waitFor(async () => events.length > 1, { timeoutMs: 30_000 })).toBe(true);
    expect(events[1]).toMatchObject({ type: 'restarted', name: 'nats-server' });
    expect(supervisor.pid('nats-server')).not.toBe(natsPid);
    expect(await tcpGreets(s.host, s.natsPort, 'INFO')).toBe(true);
    expect(await waitFor(async () => (await health(s.backendPort)).status === 200, { timeoutMs: 30_000 })).toBe(true);
    expect(supervisor.pid('backend')).toBe(backendPid);
    expect(events).toHaveLength(2);

    // Every stream is still there, none behind where it was.
    nats = await openNatsRequests(s.host, s.natsPort);
    const after = await streams(nats);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const [name, lastSeq] of Object.entries(before)) expect(after[name]).toBeGreaterThanOrEqual(lastSeq);
  }, 300_000);
});
