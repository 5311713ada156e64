/*
 * Scaled-topology figures (issue 15), on the topology `npm run start:cluster` runs: PostgreSQL
 * (durable), a three-node NATS JetStream cluster (three copies of everything), the Git host, two
 * backend replicas from source, haproxy. Started and stopped here, in a temp dir, on spare ports.
 *
 * - installs/s into one Environment, 8 concurrent writers, all on one replica vs spread over two;
 * - install answered (its event acknowledged by JetStream) → the change at SSE clients, 10 clients on
 *   each replica;
 * - failover: the holder of an Environment's projector lease killed with SIGKILL → an install made
 *   right after it visible in the survivor's read model (lease expiry + take-over + catch-up), over
 *   three kills (the launcher restarts each killed replica, which then takes the next turn).
 *
 *   node_modules/.bin/sucrase-node bench/cluster.bench.ts
 */
import fs from 'node:fs';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { findFreeClusterBase, readClusterSettings } from '../packages/portal/src/cluster/clusterSettings';
import { RunningCluster, startCluster } from '../packages/portal/src/cluster/startCluster';
import { SupervisorEvent } from '../packages/portal/src/Supervisor';
import { jetStreamApi, openNatsRequests } from '../packages/portal/src/testing/natsRequests';
import { LiveClient, openLiveClient } from '../packages/portal/src/testing/liveClient';
import { waitFor } from '../packages/portal/src/waitFor';

const ROOT = resolve(__dirname, '..');
const TOKEN = 'cluster-bench-token-8d1e3b7a';
const auth = { Authorization: `Bearer ${TOKEN}` };
const say = (line: string) => process.stdout.write(`${line}\n`);

async function install(baseUrl: string, environment: string, application: string): Promise<number> {
  const res = await fetch(`${baseUrl}/api/catalyst/environments/${environment}/applications`, {
    method: 'POST',
    headers: { ...auth, 'Content-Type': 'application/json' },
    body: JSON.stringify({ application, blueprint: 'bp-redis', idempotencyKey: `bench-${environment}-${application}` }),
  });
  const body = await res.text();
  if (res.status !== 201)
    throw new Error(`install ${application} into ${environment}: ${res.status} ${body.slice(0, 600)}`);
  return res.status;
}

async function applicationNames(baseUrl: string, environment: string): Promise<Set<string>> {
  const res = await fetch(`${baseUrl}/api/catalyst/environments/${environment}/status`, { headers: auth });
  if (res.status !== 200) return new Set();
  const body = (await res.json()) as { applications: Array<{ name: string }> };
  return new Set(body.applications.map(a => a.name));
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];

/**
 * `total` installs by `writers` concurrent writers; writer w writes into `targets[w % targets.length]`
 * (a URL and an Environment). Failed installs are counted, not retried.
 */
async function installsPerSecond(targets: Array<[string, string]>, total: number, writers: number, tag: string) {
  // warm-up: the first install into an Environment loads its repo mirror on the replica
  for (const [i, [url, environment]] of targets.entries()) await install(url, environment, `warm-${tag}-${i}`);
  let next = 0;
  let failed = 0;
  const started = Date.now();
  await Promise.all(
    Array.from({ length: writers }, async (_, w) => {
      while (next < total) {
        const n = next++;
        const [url, environment] = targets[w % targets.length];
        await install(url, environment, `${tag}-${n}`).catch(() => {
          failed += 1;
        });
      }
    }),
  );
  return { perSecond: ((total - failed) / (Date.now() - started)) * 1000, failed };
}

async function main() {
  const work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-cluster-bench-'));
  fs.chmodSync(work, 0o755);
  const config = join(work, 'bench.yaml');
  fs.writeFileSync(
    config,
    [
      'backend:',
      '  auth:',
      '    externalAccess:',
      `      - { type: static, options: { token: ${TOKEN}, subject: cluster-bench } }`,
      'catalyst:',
      '  access:',
      '    bindings:',
      "      - { subject: 'service:cluster-bench', role: org-admin, organization: acme }",
      "      - { subject: 'service:cluster-bench', role: org-admin, organization: globex }",
      '',
    ].join('\n'),
  );
  const events: SupervisorEvent[] = [];
  let cluster: RunningCluster | undefined;
  try {
    const startedAt = Date.now();
    cluster = await startCluster({
      settings: readClusterSettings(ROOT, {
        CATALYST_CLUSTER_DIR: join(work, 'cluster'),
        CATALYST_CLUSTER_PORT: String(await findFreeClusterBase(2)),
        CATALYST_CONFIG: config,
      }),
      env: process.env,
      durable: true,
      restart: { initialBackoffMs: 200, maxBackoffMs: 2000, maxCrashes: 5, windowMs: 600_000 },
      replicaRestart: { initialBackoffMs: 200, maxBackoffMs: 2000, maxCrashes: 5, windowMs: 600_000 },
    });
    const c = cluster;
    c.supervisor.onEvent(e => events.push(e));
    say(`topology up in ${((Date.now() - startedAt) / 1000).toFixed(1)} s`);
    const [r1, r2] = c.replicaUrls;

    const sequential: number[] = [];
    for (let n = 0; n < 12; n++) {
      const t = Date.now();
      await install(n % 2 ? r2 : r1, 'acme-dev', `sequential-${n}`);
      sequential.push(Date.now() - t);
    }
    sequential.sort((a, b) => a - b);
    say(
      `install latency, one writer alternating replicas, 12 installs: p50 ${percentile(sequential, 50)} ms, max ${
        sequential[sequential.length - 1]
      } ms`,
    );
    const envs = ['acme-dev', 'acme-stg', 'globex-dev'];
    const one = await installsPerSecond(
      envs.map(e => [r1, e]),
      45,
      9,
      'one',
    );
    say(
      `installs/s, 3 Environments, 9 writers, 45 installs, one replica: ${one.perSecond.toFixed(1)} (${
        one.failed
      } failed)`,
    );
    const two = await installsPerSecond(
      envs.map(e => [c.url, e]),
      45,
      9,
      'two',
    );
    say(
      `installs/s, 3 Environments, 9 writers, 45 installs, two replicas behind haproxy (writes to an Environment hashed to one replica): ${two.perSecond.toFixed(
        1,
      )} (${two.failed} failed)`,
    );
    const contended = await installsPerSecond(
      [
        [r1, 'acme-stg'],
        [r2, 'acme-stg'],
      ],
      32,
      8,
      'contended',
    );
    say(
      `installs/s, one Environment, 8 writers straight to both replicas (no affinity), 32 installs: ${contended.perSecond.toFixed(
        1,
      )} (${contended.failed} failed after their retries: 503, nothing written)`,
    );

    // SSE: 10 clients on each replica, an install every 200 ms alternating replicas. Two arrival times
    // per client and install: the first change about the Application (its activity, from the install
    // event the write side publishes before answering) and its status view.
    const answeredAt = new Map<string, number>();
    const firstChange = new Map<string, number>();
    const viewChange = new Map<string, number>();
    const fromPublish = new Map<string, number>();
    const clients: LiveClient[] = [];
    for (const url of [r1, r2]) {
      for (let i = 0; i < 10; i++) {
        clients.push(
          openLiveClient({
            url,
            environment: 'acme-dev',
            token: TOKEN,
            onFrame: (frame, data) => {
              if (frame.event !== 'change') return;
              const [kind, name] = String(data.key).split(/\.(.*)/s);
              if (!name?.startsWith('sse-')) return;
              const at = Date.now();
              const seen = `${url}|${i}|${name}`;
              if (!firstChange.has(seen)) firstChange.set(seen, at);
              // The install event's own time: stamped when the write side published it (same clock).
              const installed =
                kind === 'activity' && Array.isArray(data.value)
                  ? (data.value as Array<{ type: string; time: string }>).find(
                      a => a.type === 'io.catalyst.application.installed',
                    )
                  : undefined;
              if (installed && !fromPublish.has(seen)) fromPublish.set(seen, at - Date.parse(installed.time));
              if (kind === 'application' && !viewChange.has(seen)) viewChange.set(seen, at);
            },
          }),
        );
      }
    }
    await waitFor(async () => clients.every(cl => cl.readies.length >= 1), { timeoutMs: 30_000 });
    const sseInstalls = 40;
    for (let n = 0; n < sseInstalls; n++) {
      const name = `sse-${n}`;
      await install(n % 2 ? r2 : r1, 'acme-dev', name);
      answeredAt.set(name, Date.now());
      await new Promise(r => setTimeout(r, 200));
    }
    const deliveries = sseInstalls * clients.length;
    await waitFor(async () => viewChange.size >= deliveries, { timeoutMs: 30_000 });
    clients.forEach(cl => cl.close());
    const published = [...fromPublish.values()].sort((a, b) => a - b);
    say(
      `install event published → SSE change, 20 clients (10 per replica), ${sseInstalls} installs: ${
        published.length
      }/${deliveries} deliveries, p50 ${percentile(published, 50)} ms, p99 ${percentile(published, 99)} ms, max ${
        published[published.length - 1]
      } ms`,
    );
    for (const [label, arrivals] of [
      ['first change (activity)', firstChange],
      ['status view', viewChange],
    ] as const) {
      const latencies = [...arrivals].map(([key, at]) => at - answeredAt.get(key.split('|')[2])!).sort((a, b) => a - b);
      say(
        `install answered → SSE ${label}, 20 clients (10 per replica), ${sseInstalls} installs: ${
          latencies.length
        }/${deliveries} deliveries, p50 ${percentile(latencies, 50)} ms, p99 ${percentile(latencies, 99)} ms, max ${
          latencies[latencies.length - 1]
        } ms`,
      );
    }

    // Failover, three times.
    const nats = await openNatsRequests('127.0.0.1', Number(new URL(c.nats.servers[0]).port), {
      user: c.nats.user,
      pass: c.nats.password,
    });
    const owner = async (environment: string) => {
      const reply = await jetStreamApi<{ message: { data: string } }>(
        nats,
        '$JS.API.STREAM.MSG.GET.KV_catalyst-readside-leases',
        { last_by_subj: `$KV.catalyst-readside-leases.${environment}` },
      );
      return (JSON.parse(Buffer.from(reply.message.data, 'base64').toString()) as { owner: string }).owner;
    };
    const failovers: number[] = [];
    for (let round = 0; round < 3; round++) {
      // both replicas up (a killed one was restarted) and every lease held
      await waitFor(async () => c.replicaNames.every(n => c.supervisor.pid(n) !== undefined), { timeoutMs: 300_000 });
      await waitFor(
        async () =>
          (
            await Promise.all(
              c.replicaUrls.map(u =>
                fetch(`${u}/api/catalyst/health`).then(
                  r => r.ok,
                  () => false,
                ),
              ),
            )
          ).every(Boolean),
        { timeoutMs: 300_000 },
      );
      const pids = c.replicaNames.map(n => c.supervisor.pid(n)!);
      const holderOwner = await owner('acme-dev');
      const holder = pids.findIndex(pid => holderOwner.includes(`-${pid}-`));
      if (holder < 0) throw new Error(`lease owner ${holderOwner} is none of ${pids.join(', ')}`);
      const survivor = c.replicaUrls[1 - holder];
      const name = `failover-${round}`;
      const killedAt = Date.now();
      process.kill(pids[holder], 'SIGKILL');
      await install(survivor, 'acme-dev', name);
      await waitFor(async () => (await applicationNames(survivor, 'acme-dev')).has(name), {
        timeoutMs: 120_000,
        intervalMs: 50,
      });
      failovers.push(Date.now() - killedAt);
      say(`failover ${round + 1}: ${((Date.now() - killedAt) / 1000).toFixed(1)} s`);
    }
    nats.close();
    say(
      `failover (lease holder SIGKILL → next install projected by the survivor), 3 kills: ${failovers
        .map(ms => `${(ms / 1000).toFixed(1)} s`)
        .join(', ')}`,
    );
  } finally {
    await cluster?.stop();
    if (process.env.CATALYST_BENCH_KEEP === '1') say(`kept ${work}`);
    else fs.rmSync(work, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  e => {
    process.stderr.write(`${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
