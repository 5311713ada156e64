import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { get } from 'node:http';
import { connect, createServer, Server } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { embeddedParts } from './parts';
import { readSettings } from './settings';
import { ChildSpec, RestartPolicy, Supervisor, SupervisorEvent } from './Supervisor';
import { describeSupervisorEvent } from './supervisorMessages';
import { jetStreamApi, openNatsRequests } from './testing/natsRequests';
import { httpAnswers, waitFor } from './waitFor';

// Restarts at once and gives up on the third crash: the tests are about what happens, not when.
const FAST: RestartPolicy = { initialBackoffMs: 20, maxBackoffMs: 40, maxCrashes: 3, windowMs: 60_000 };

/**
 * A real child for the tests: an HTTP server answering with its pid. Every start appends its pid
 * to `<name>.pids` and the time it began to `<name>.starts`; with `once` set, only the first start ever serves — later ones fail like a part whose
 * store is broken (`crash`) or hang without answering (`hang`). On SIGTERM it appends its name to
 * `stops`, so the order of stopping shows.
 */
const CHILD = `
const fs = require('node:fs');
const http = require('node:http');
const [name, port, dir, once] = process.argv.slice(1);
fs.appendFileSync(dir + '/' + name + '.pids', process.pid + '\\n');
fs.appendFileSync(dir + '/' + name + '.starts', Date.now() + '\\n');
process.on('SIGTERM', () => { fs.appendFileSync(dir + '/stops', name + '\\n'); process.exit(0); });
const marker = dir + '/' + name + '.served';
if (once && fs.existsSync(marker)) {
  if (once === 'crash') { console.error('boom: the store is locked'); process.exit(3); }
  setInterval(() => {}, 1000);
} else {
  fs.writeFileSync(marker, '');
  http.createServer((req, res) => res.end(String(process.pid))).listen(Number(port), '127.0.0.1', () => console.log('listening'));
}
`;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as { port: number };
  await new Promise(r => server.close(r));
  return port;
}

function linesOf(dir: string, file: string): number[] {
  const path = join(dir, file);
  return fs.existsSync(path) ? fs.readFileSync(path, 'utf8').trim().split('\n').map(Number) : [];
}

function pidsOf(dir: string, name: string): number[] {
  return linesOf(dir, `${name}.pids`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Collects a supervisor's events; `until` resolves once `count` events of a type arrived. `hook`
 * sees each event first, synchronously, before the supervisor acts on it.
 */
function record(supervisor: Supervisor, hook: (event: SupervisorEvent) => void = () => {}) {
  const events: SupervisorEvent[] = [];
  const waiters: Array<() => void> = [];
  supervisor.onEvent(event => {
    hook(event);
    events.push(event);
    for (const wake of waiters.splice(0)) wake();
  });
  const until = async (type: SupervisorEvent['type'], count = 1): Promise<SupervisorEvent> => {
    for (;;) {
      const found = events.filter(e => e.type === type);
      if (found.length >= count) return found[count - 1];
      await new Promise<void>(r => waiters.push(r));
    }
  };
  return { events, until };
}

describe('Supervisor', () => {
  let dir: string;
  let supervisor: Supervisor;
  beforeEach(() => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-supervisor-'));
    supervisor = new Supervisor();
  });
  afterEach(async () => {
    await supervisor.stopAll(2000);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function child(name: string, options: { restart?: RestartPolicy; once?: 'crash' | 'hang' } = {}) {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}/`;
    const spec: ChildSpec = {
      name,
      command: process.execPath,
      args: ['-e', CHILD, name, String(port), dir, ...(options.once ? [options.once] : [])],
      cwd: dir,
      env: process.env,
      logFile: join(dir, `${name}.log`),
      ready: signal => waitFor(() => httpAnswers(url), { timeoutMs: 20_000, signal }),
      readyTimeoutMs: 20_000,
      restart: options.restart,
    };
    // A fresh connection each time: a kept-alive one may still point at a process just killed.
    const answer = () =>
      new Promise<number>((resolvePromise, reject) => {
        get(url, { agent: false }, res => {
          let body = '';
          res.on('data', chunk => (body += chunk));
          res.on('end', () => resolvePromise(Number(body)));
        }).on('error', reject);
      });
    return { spec, url, answer };
  }

  it('restarts a part killed with SIGKILL, and the new process answers', async () => {
    const { events, until } = record(supervisor);
    const web = await child('web', { restart: FAST });
    await supervisor.start(web.spec);
    const first = await web.answer();
    expect(supervisor.pid('web')).toBe(first);

    process.kill(first, 'SIGKILL');
    const restarted = await until('restarted');
    const second = await web.answer();
    expect(second).not.toBe(first);
    expect(restarted).toEqual({ type: 'restarted', name: 'web', pid: second, downMs: expect.any(Number) });
    // Down from its death until the new process answered: at least the backoff.
    expect((restarted as { downMs: number }).downMs).toBeGreaterThanOrEqual(20);
    expect(events[0]).toEqual({
      type: 'crashed',
      name: 'web',
      exit: { code: null, signal: 'SIGKILL' },
      why: 'killed by SIGKILL',
      crashes: 1,
      maxCrashes: 3,
      windowMs: 60_000,
      restartInMs: 20,
      logFile: join(dir, 'web.log'),
    });
    expect(describeSupervisorEvent(events[0])).toBe(
      `web crashed (killed by SIGKILL); restarting it in 20 ms (crash 1 within 1 min, gives up at 3; log: ${join(
        dir,
        'web.log',
      )})`,
    );
    expect(describeSupervisorEvent(restarted)).toMatch(
      new RegExp(`^web restarted and ready again, [0-9.]+ (ms|s) after the crash \\(pid ${second}\\)$`),
    );
    // One log for every run, the restart marked in it.
    expect(fs.readFileSync(join(dir, 'web.log'), 'utf8')).toBe(
      'listening\n--- catalyst: restarting web after crash 1 ---\nlistening\n',
    );
  });

  it('reports a part without a restart policy that dies, and does not restart it', async () => {
    const { events, until } = record(supervisor);
    const backend = await child('backend');
    await supervisor.start(backend.spec);
    process.kill(await backend.answer(), 'SIGKILL');
    const exited = await until('exited');
    expect(describeSupervisorEvent(exited)).toBe(
      `backend exited unexpectedly (killed by SIGKILL); stopping the portal (log: ${join(dir, 'backend.log')})`,
    );
    expect(events.map(e => e.type)).toEqual(['exited']);
    expect(supervisor.pid('backend')).toBeUndefined();
    expect(pidsOf(dir, 'backend')).toHaveLength(1);
  });

  it('backs off, doubling up to its cap, then gives up after repeated crashes, naming the last error and the log', async () => {
    // Every restart of this part fails at once (its "store is locked"): each failure is a crash.
    const policy: RestartPolicy = { initialBackoffMs: 150, maxBackoffMs: 250, maxCrashes: 4, windowMs: 60_000 };
    const crashedAt: number[] = [];
    const { events, until } = record(supervisor, event => {
      if (event.type === 'crashed') crashedAt.push(Date.now());
    });
    const store = await child('store', { restart: policy, once: 'crash' });
    await supervisor.start(store.spec);
    process.kill(await store.answer(), 'SIGKILL');
    const gaveUp = await until('gave-up');
    expect(events.map(e => [e.type, 'restartInMs' in e ? e.restartInMs : undefined])).toEqual([
      ['crashed', 150],
      ['crashed', 250],
      ['crashed', 250],
      ['gave-up', undefined],
    ]);
    // Each restart began no sooner than its backoff after the crash before it.
    const restartsBegan = linesOf(dir, 'store.starts').slice(1);
    expect(restartsBegan).toHaveLength(3);
    restartsBegan.forEach((began, i) => expect(began - crashedAt[i]).toBeGreaterThanOrEqual([150, 250, 250][i]));
    expect(describeSupervisorEvent(gaveUp)).toBe(
      `store crashed 4 times within 1 min, last exit code 3: boom: the store is locked; giving up and stopping the portal (log: ${join(
        dir,
        'store.log',
      )})`,
    );
    expect(pidsOf(dir, 'store')).toHaveLength(4);
    expect(supervisor.pid('store')).toBeUndefined();
    // No restart is pending after giving up.
    await new Promise(r => setTimeout(r, 500));
    expect(pidsOf(dir, 'store')).toHaveLength(4);
  });

  it('stops in reverse start order, a restarted part in its first place', async () => {
    const { until } = record(supervisor);
    const a = await child('a', { restart: FAST });
    const b = await child('b', { restart: FAST });
    await supervisor.start(a.spec);
    await supervisor.start(b.spec);
    process.kill(await a.answer(), 'SIGKILL');
    await until('restarted');
    await supervisor.stopAll();
    expect(fs.readFileSync(join(dir, 'stops'), 'utf8')).toBe('b\na\n');
  });

  it('stops a restart caught before it was ready, and restarts nothing afterwards', async () => {
    const { events, until } = record(supervisor);
    const slow = await child('slow', { restart: FAST, once: 'hang' });
    await supervisor.start(slow.spec);
    process.kill(await slow.answer(), 'SIGKILL');
    await until('crashed');
    await waitFor(async () => pidsOf(dir, 'slow').length === 2, { timeoutMs: 20_000 });
    const restarting = pidsOf(dir, 'slow')[1];
    expect(isRunning(restarting)).toBe(true);

    await supervisor.stopAll();
    expect(isRunning(restarting)).toBe(false);
    expect(events.map(e => e.type)).toEqual(['crashed']);
    expect(pidsOf(dir, 'slow')).toHaveLength(2);
  });
});

describe('the embedded nats-server under the supervisor', () => {
  // eslint-disable-next-line no-restricted-syntax -- tests run from source, at a fixed depth in the repo
  const rootDir = resolve(__dirname, '../../..');
  const natsServer = execFileSync('sh', ['-c', 'command -v nats-server'], { encoding: 'utf8' }).trim();
  let dataDir: string;
  let supervisor: Supervisor;
  let squatter: Server | undefined;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-supervisor-nats-'));
    for (const part of ['logs', 'jetstream']) fs.mkdirSync(join(dataDir, part));
    supervisor = new Supervisor();
  });
  afterEach(async () => {
    await supervisor.stopAll(2000);
    await new Promise(r => (squatter ? squatter.close(r) : r(undefined)));
    squatter = undefined;
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function natsPart() {
    const natsPort = await freePort();
    const s = readSettings(rootDir, { CATALYST_DATA_DIR: dataDir, CATALYST_NATS_PORT: String(natsPort) });
    const [nats] = embeddedParts(s, process.env, natsServer, FAST);
    expect(nats.spec.name).toBe('nats-server');
    return { spec: nats.spec, port: natsPort };
  }

  it('comes back after kill -9 on the same port, with every message it acknowledged', async () => {
    const { until } = record(supervisor);
    const { spec, port } = await natsPart();
    await supervisor.start(spec);
    const before = await openNatsRequests('127.0.0.1', port);
    await jetStreamApi(before, '$JS.API.STREAM.CREATE.ORDERS', {
      name: 'ORDERS',
      subjects: ['orders.>'],
      storage: 'file',
    });
    const acks: Array<{ stream: string; seq: number }> = [];
    for (const order of ['first', 'second', 'third']) acks.push(await jetStreamApi(before, `orders.${order}`, order));
    expect(acks.map(a => [a.stream, a.seq])).toEqual([
      ['ORDERS', 1],
      ['ORDERS', 2],
      ['ORDERS', 3],
    ]);
    // Killed the moment the last acknowledgement arrived.
    const first = supervisor.pid('nats-server')!;
    process.kill(first, 'SIGKILL');
    before.close();

    await until('restarted');
    const second = supervisor.pid('nats-server');
    expect(second).not.toBe(first);
    const info = await new Promise<string>((resolvePromise, reject) => {
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('data', (chunk: Buffer) => {
        socket.destroy();
        resolvePromise(chunk.toString('utf8'));
      });
      socket.once('error', reject);
    });
    expect(info).toMatch(/^INFO \{.*"jetstream":true/);

    const after = await openNatsRequests('127.0.0.1', port);
    try {
      const stored: string[] = [];
      for (const { seq } of acks) {
        const got = await jetStreamApi<{ message: { subject: string; data: string } }>(
          after,
          '$JS.API.STREAM.MSG.GET.ORDERS',
          { seq },
        );
        stored.push(`${got.message.subject}: ${Buffer.from(got.message.data, 'base64').toString('utf8')}`);
      }
      expect(stored).toEqual(['orders.first: first', 'orders.second: second', 'orders.third: third']);
    } finally {
      after.close();
    }
  });

  it('gives up when it cannot come back (its port taken), naming nats-server.log', async () => {
    const { spec, port } = await natsPart();
    // Someone takes the port the moment nats-server dies (before its restart is even scheduled):
    // every restart then fails to listen.
    const { until } = record(supervisor, event => {
      if (event.type === 'crashed' && !squatter) {
        squatter = createServer();
        squatter.listen(port, '127.0.0.1');
      }
    });
    await supervisor.start(spec);
    process.kill(supervisor.pid('nats-server')!, 'SIGKILL');

    const line = describeSupervisorEvent(await until('gave-up'));
    expect(line).toMatch(/^nats-server crashed 3 times within 1 min, last exit code 1: .*address already in use/);
    expect(line.endsWith(`; giving up and stopping the portal (log: ${join(dataDir, 'logs/nats-server.log')})`)).toBe(
      true,
    );
    expect(supervisor.pid('nats-server')).toBeUndefined();
  });
});
