import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { RestartPolicy, SupervisorEvent } from '../Supervisor';
import { jetStreamApi, openNatsRequests } from '../testing/natsRequests';
import { LiveClient, openLiveClient } from '../testing/liveClient';
import { httpAnswers, waitFor } from '../waitFor';
import { findFreeClusterBase, readClusterSettings } from './clusterSettings';
import { RunningCluster, startCluster } from './startCluster';

/**
 * The acceptance tests of issue 15, on the real engines: PostgreSQL, a three-node NATS JetStream
 * cluster, the Git host, two backend replicas (separate processes, from source) and haproxy — one
 * topology for the whole file, started and stopped here (about 1.5 min to start).
 */
jest.setTimeout(600_000);

const ROOT = resolve(__dirname, '../../../..');
const TOKEN = 'cluster-acceptance-token-4f2a9c1e';
const ENV = 'acme-dev';
const auth = { Authorization: `Bearer ${TOKEN}` };
// Crashed infrastructure comes back fast here (tests); the replicas are never restarted.
const FAST_RESTART: RestartPolicy = { initialBackoffMs: 200, maxBackoffMs: 2000, maxCrashes: 5, windowMs: 120_000 };

async function install(baseUrl: string, application: string) {
  const res = await fetch(`${baseUrl}/api/catalyst/environments/${ENV}/applications`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ application, blueprint: 'bp-redis', idempotencyKey: `install-${application}` }),
  });
  return { status: res.status, body: (await res.json()) as { commit?: { sha: string }; error?: { message: string } } };
}

interface StatusBody {
  revision: number;
  applications: Array<{ name: string; desired?: { revision: string } }>;
}

async function status(baseUrl: string): Promise<StatusBody> {
  const res = await fetch(`${baseUrl}/api/catalyst/environments/${ENV}/status`, { headers: auth });
  if (res.status !== 200) throw new Error(`status answered ${res.status}`);
  return (await res.json()) as StatusBody;
}

describe('the scaled topology: two replicas, PostgreSQL, a NATS cluster, a Git host, haproxy', () => {
  let work: string;
  let cluster: RunningCluster;
  const git = (...args: string[]) =>
    execFileSync('git', ['--git-dir', join(cluster.gitHost.root, 'acme', `${ENV}.git`), ...args], {
      encoding: 'utf8',
    });
  /** Applications the Environment's repo says are installed, with the commit that last touched each. */
  const repoApplications = () =>
    new Map(
      git('ls-tree', '-d', '--name-only', 'main', 'applications/')
        .split('\n')
        .filter(Boolean)
        .map(path => [path.slice('applications/'.length), git('log', '-1', '--format=%H', 'main', '--', path).trim()]),
    );
  /** What a replica's read model says: Application → the revision it was installed or changed at. */
  const readModel = async (baseUrl: string) =>
    new Map((await status(baseUrl)).applications.map(a => [a.name, a.desired?.revision]));
  /** Waits until every replica's read model and the proxy's say what the repo says. */
  const converged = async () => {
    const expected = repoApplications();
    return waitFor(
      async () => {
        for (const url of [cluster.url, ...cluster.replicaUrls]) {
          const model = await readModel(url);
          if (model.size !== expected.size) return false;
          for (const [name, sha] of expected) if (model.get(name) !== sha) return false;
        }
        return true;
      },
      { timeoutMs: 60_000, intervalMs: 250 },
    );
  };

  beforeAll(async () => {
    work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-cluster-test-'));
    // PostgreSQL runs as the `postgres` user under root: it must reach its data dir below this one.
    fs.chmodSync(work, 0o755);
    // A static service token bound to org-admin of acme: the installs' caller, on every replica.
    const config = join(work, 'app-config.test.yaml');
    fs.writeFileSync(
      config,
      [
        'backend:',
        '  auth:',
        '    externalAccess:',
        `      - { type: static, options: { token: ${TOKEN}, subject: cluster-test } }`,
        'catalyst:',
        '  access:',
        '    bindings:',
        "      - { subject: 'service:cluster-test', role: org-admin, organization: acme }",
        '',
      ].join('\n'),
    );
    const settings = readClusterSettings(ROOT, {
      CATALYST_CLUSTER_DIR: join(work, 'cluster'),
      CATALYST_CLUSTER_PORT: String(await findFreeClusterBase(2)),
      CATALYST_CONFIG: config,
    });
    cluster = await startCluster({ settings, env: process.env, durable: false, restart: FAST_RESTART });
  });

  afterAll(async () => {
    await cluster?.stop();
    if (work) fs.rmSync(work, { recursive: true, force: true });
  });

  it('installs through both replicas and the proxy, concurrently: each commit once, fsck clean, every read model equal to the repo', async () => {
    const entries = [cluster.url, ...cluster.replicaUrls];
    const names = Array.from({ length: 12 }, (_, i) => `concurrent-${i + 1}`);
    const results = await Promise.all(names.map((name, i) => install(entries[i % entries.length], name)));
    expect(results.map(r => r.status)).toEqual(names.map(() => 201));

    // Every install is exactly one commit on main, with the sha its caller was told.
    const subjects = git('log', '--format=%H %s', 'main').split('\n').filter(Boolean);
    for (const [i, name] of names.entries()) {
      const lines = subjects.filter(l => l.includes(` Install ${name} (`));
      expect(lines).toEqual([`${results[i].body.commit!.sha} Install ${name} (bp-redis 2.0.0)`]);
    }
    // Both replicas reconciled every Environment at start; the repo was bootstrapped once.
    expect(git('log', '--format=%s', '--grep=^Bootstrap Environment', 'main').trim()).toBe(
      `Bootstrap Environment ${ENV}`,
    );
    // A linear history (no merge, nothing rewritten) and a sound object store.
    expect(git('rev-list', '--merges', 'main').trim()).toBe('');
    expect(() => git('fsck', '--strict', '--no-dangling')).not.toThrow();

    expect(await converged()).toBe(true);
    const model = await readModel(cluster.url);
    for (const name of names) expect(model.get(name)).toBe(repoApplications().get(name));

    // haproxy sent every write to acme-dev that came through it to one replica (its log says which).
    const viaProxy = names.filter((_, i) => i % entries.length === 0);
    // the backend's log lines carry colour codes around their fields
    const colours = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g');
    const logs = cluster.replicaNames.map(n => fs.readFileSync(cluster.dir.logFile(n), 'utf8').replace(colours, ''));
    const committedBy = (name: string) =>
      logs.flatMap((log, i) =>
        log.includes(`Install ${name} (bp-redis 2.0.0) in ${ENV} component="provisioning"`) ? [i] : [],
      );
    const writtenBy = viaProxy.map(committedBy);
    expect(writtenBy.every(replicas => replicas.length === 1)).toBe(true);
    expect(new Set(writtenBy.flat()).size).toBe(1);
  });

  it('a NATS node killed under load and PostgreSQL killed: writes succeed or fail clearly, nothing half-applied, the same backends recover', async () => {
    const events: SupervisorEvent[] = [];
    cluster.supervisor.onEvent(event => events.push(event));
    const replicaPids = cluster.replicaNames.map(n => cluster.supervisor.pid(n));
    const entries = [cluster.url, ...cluster.replicaUrls];

    // One of three JetStream nodes dies in the middle of a stream of installs; two still make a
    // majority, so every stream and bucket (three copies each) keeps accepting writes.
    const natsNames = Array.from({ length: 9 }, (_, i) => `nats-load-${i + 1}`);
    const natsResults: number[] = [];
    for (const [i, name] of natsNames.entries()) {
      if (i === 3) process.kill(cluster.supervisor.pid('nats-2')!, 'SIGKILL');
      natsResults.push((await install(entries[i % entries.length], name)).status);
    }
    expect(natsResults).toEqual(natsNames.map(() => 201));
    expect(
      await waitFor(async () => events.some(e => e.type === 'restarted' && e.name === 'nats-2'), { timeoutMs: 30_000 }),
    ).toBe(true);
    expect(await converged()).toBe(true);

    // PostgreSQL killed (postmaster and every backend), restarted by the launcher after its backoff.
    // An install meanwhile either waits for it and succeeds, or fails with an error that says so —
    // and exists in the repo exactly when it answered 201.
    process.kill(-cluster.supervisor.pid('postgres')!, 'SIGKILL');
    const during = await Promise.all(
      cluster.replicaUrls.map((url, i) => install(url, `during-postgres-outage-${i + 1}`)),
    );
    for (const [i, result] of during.entries()) {
      expect(repoApplications().has(`during-postgres-outage-${i + 1}`)).toBe(result.status === 201);
      expect(result.status === 201 || (result.status >= 500 && !!result.body.error?.message)).toBe(true);
    }
    expect(
      await waitFor(async () => events.some(e => e.type === 'restarted' && e.name === 'postgres'), {
        timeoutMs: 30_000,
      }),
    ).toBe(true);

    // The same backend processes are healthy again and write through either replica.
    for (const url of cluster.replicaUrls) {
      expect(await waitFor(() => httpAnswers(`${url}/api/catalyst/health`), { timeoutMs: 60_000 })).toBe(true);
    }
    const after = await Promise.all(cluster.replicaUrls.map((url, i) => install(url, `after-postgres-${i + 1}`)));
    expect(after.map(r => r.status)).toEqual([201, 201]);
    expect(cluster.replicaNames.map(n => cluster.supervisor.pid(n))).toEqual(replicaPids);
    expect(await converged()).toBe(true);
  });

  it('the holder of the projector lease killed with SIGKILL while events flow: the other replica projects everything once, and SSE clients behind the proxy resume without a gap', async () => {
    // Who projects acme-dev: the owner in the lease bucket names its process id.
    const nats = await openNatsRequests('127.0.0.1', Number(new URL(cluster.nats.servers[0]).port), {
      user: cluster.nats.user,
      pass: cluster.nats.password,
    });
    const leaseOwner = async () => {
      const reply = await jetStreamApi<{ message: { data: string } }>(
        nats,
        '$JS.API.STREAM.MSG.GET.KV_catalyst-readside-leases',
        { last_by_subj: `$KV.catalyst-readside-leases.${ENV}` },
      );
      return (JSON.parse(Buffer.from(reply.message.data, 'base64').toString()) as { owner: string }).owner;
    };
    const pids = cluster.replicaNames.map(n => cluster.supervisor.pid(n)!);
    const owner = await leaseOwner();
    const holder = pids.findIndex(pid => owner.includes(`-${pid}-`));
    expect(holder).toBeGreaterThanOrEqual(0);
    const survivor = 1 - holder;

    // Two browsers behind the proxy: round robin puts one on each replica.
    const clients: LiveClient[] = [0, 1].map(() =>
      openLiveClient({ url: `http://127.0.0.1:${new URL(cluster.url).port}`, environment: ENV, token: TOKEN }),
    );
    try {
      expect(await waitFor(async () => clients.every(c => c.readies.length === 1), { timeoutMs: 20_000 })).toBe(true);

      const names = Array.from({ length: 10 }, (_, i) => `failover-${i + 1}`);
      const statuses: number[] = [];
      for (const [i, name] of names.entries()) {
        if (i === 4) process.kill(pids[holder], 'SIGKILL');
        // Writes go to the survivor directly: a request in flight on the killed replica dies with it,
        // and its caller sees the connection reset (RepoWriter's own tests cover the retry).
        statuses.push((await install(cluster.replicaUrls[survivor], name)).status);
      }
      expect(statuses).toEqual(names.map(() => 201));

      // The lease moves to the survivor once the dead holder's entry expires; it projects the rest.
      expect(
        await waitFor(async () => (await leaseOwner()).includes(`-${pids[survivor]}-`), { timeoutMs: 60_000 }),
      ).toBe(true);
      const expected = repoApplications();
      expect(
        await waitFor(
          async () => {
            const model = await readModel(cluster.replicaUrls[survivor]);
            return [...expected].every(([name, sha]) => model.get(name) === sha) && model.size === expected.size;
          },
          { timeoutMs: 60_000, intervalMs: 250 },
        ),
      ).toBe(true);

      // Applied once: each install appears once in its Application's activity.
      const final = await status(cluster.replicaUrls[survivor]);
      const activity = await Promise.all(
        names.map(async name => {
          const res = await fetch(
            `${cluster.replicaUrls[survivor]}/api/catalyst/environments/${ENV}/applications/${name}/status`,
            { headers: auth },
          );
          const body = (await res.json()) as { activity: Array<{ type: string }> };
          return body.activity.filter(a => a.type === 'io.catalyst.application.installed').length;
        }),
      );
      expect(activity).toEqual(names.map(() => 1));

      // Each browser caught up with the final read model, change by change, never seeing one twice;
      // the one whose replica died reconnected through the proxy and resumed from its Last-Event-ID.
      // (The REST revision also counts the projector's own bookkeeping keys, which no stream carries.
      // Both sides are the same KV value parsed: compared as JSON, since fetch parses in another realm.)
      const caughtUp = (client: LiveClient) =>
        final.applications.every(
          view => JSON.stringify(client.state.get(`application.${view.name}`)) === JSON.stringify(view),
        );
      expect(await waitFor(async () => clients.every(caughtUp), { timeoutMs: 30_000 })).toBe(true);
      for (const client of clients) {
        const seen = client.changeRevisions;
        expect(seen).toEqual([...new Set(seen)].sort((a, b) => a - b));
      }
      const reconnected = clients.filter(c => c.connections > 1);
      expect(reconnected.length).toBeGreaterThanOrEqual(1);
      for (const client of reconnected) {
        expect(client.readies.slice(1).map(r => r.resumed)).toEqual(client.readies.slice(1).map(() => [ENV]));
      }
    } finally {
      clients.forEach(c => c.close());
      nats.close();
    }
  });
});
