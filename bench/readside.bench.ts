/**
 * Read-side figures for bench/README.md (not a test). Run from the repo root after
 * `source .tools/env.sh`:
 *   node_modules/.bin/sucrase-node bench/readside.bench.ts projector [events=200000]
 *   node_modules/.bin/sucrase-node bench/readside.bench.ts sse [seconds=20] [clients=1000] [environments=100]
 *   node_modules/.bin/sucrase-node bench/readside.bench.ts rebuild [events=1000000]
 * Each mode starts its own nats-server (Debian package) on loopback with a temporary store.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamClient,
  JetStreamManager,
} from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, NatsConnection } from '@nats-io/transport-node';
import express from 'express';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { podEvent, syntheticEvents } from '../plugins/catalyst-backend/src/readside/__testUtils__/events';
import { JetStreamProjector } from '../plugins/catalyst-backend/src/readside/projector/JetStreamProjector';
import { JetStreamEventPublisher } from '../plugins/catalyst-backend/src/readside/publishers/JetStreamEventPublisher';
import { JetStreamStreams } from '../plugins/catalyst-backend/src/readside/streams/JetStreamStreams';
import { createReadSide } from '../plugins/catalyst-backend/src/readside/createReadSide';
import { recordingAudit } from '../plugins/catalyst-backend/src/__testUtils__/audit';
import type { CatalystAccess } from '../plugins/catalyst-node/src/access';

const out = (line: string) => process.stdout.write(`${line}\n`);

const quiet: LoggerService = {
  info: () => undefined,
  debug: () => undefined,
  warn: (message, meta) => process.stderr.write(`warn ${message} ${JSON.stringify(meta)}\n`),
  error: (message, meta) => process.stderr.write(`error ${message} ${JSON.stringify(meta)}\n`),
  child: () => quiet,
};

function percentile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

async function setup(): Promise<{
  server: TestNatsServer;
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  publisher: JetStreamEventPublisher;
}> {
  const server = await startTestNatsServer();
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const streams = JetStreamStreams.create({ jsm, logger: quiet, limits: { maxBytes: 4 * 1024 * 1024 * 1024 } });
  const publisher = JetStreamEventPublisher.create({ js, logger: quiet, ensureStream: org => streams.ensure(org) });
  return { server, nc, js, jsm, publisher };
}

async function publishMany(publisher: JetStreamEventPublisher, environment: string, count: number): Promise<number> {
  const started = Date.now();
  for (let i = 0; i < count; i += 10_000) {
    await publisher.publish(syntheticEvents(environment, Math.min(10_000, count - i), { seed: i + 1, rvBase: i }));
  }
  return count / ((Date.now() - started) / 1000);
}

async function projectorBench(count: number) {
  const { server, nc, js, jsm, publisher } = await setup();
  try {
    const publishRate = await publishMany(publisher, 'acme-dev', count);
    out(`published ${count} events: ${Math.round(publishRate)} events/s (pipelined acks)`);

    // Raw: a durable pull consumer on the same filter, consume + ack each message, nothing else.
    await jsm.consumers.add('CATALYST_ACME', {
      durable_name: 'raw',
      filter_subject: 'ws.acme-dev.>',
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_ack_pending: 20_000,
    });
    const raw = await js.consumers.get('CATALYST_ACME', 'raw');
    let started = Date.now();
    let seen = 0;
    const messages = await raw.consume({ max_messages: 2000 });
    for await (const m of messages) {
      m.ack();
      if (++seen >= count) break;
    }
    await messages.close();
    const rawRate = count / ((Date.now() - started) / 1000);
    out(`raw consume + ack: ${Math.round(rawRate)} events/s`);

    const projector = JetStreamProjector.create({
      js,
      jsm,
      kvm: new Kvm(js),
      organization: 'acme',
      environment: 'acme-dev',
      logger: quiet,
      ...(process.env.BATCH ? { batchSize: Number(process.env.BATCH) } : {}),
    });
    started = Date.now();
    projector.start();
    await projector.whenAt(count);
    const projectorRate = count / ((Date.now() - started) / 1000);
    await projector.stop();
    const c = projector.counters();
    out(
      `projector (fold + journaled CAS writes + ack): ${Math.round(projectorRate)} events/s, ${
        c.batches
      } batches, fold ${Math.round(c.foldMs)} ms, writes ${Math.round(c.writeMs)} ms`,
    );
    const bucket = await jsm.streams.info('KV_ws-acme-dev-state');
    out(`KV messages written: ${bucket.state.last_seq} (${(bucket.state.last_seq / c.batches).toFixed(1)} per batch)`);
    out(`ratio projector / raw: ${(projectorRate / rawRate).toFixed(2)}`);
  } finally {
    await nc.close();
    await server.dispose();
  }
}

async function rebuildBench(count: number) {
  const { server, nc, js, jsm, publisher } = await setup();
  try {
    const publishRate = await publishMany(publisher, 'acme-dev', count);
    out(`published ${count} events: ${Math.round(publishRate)} events/s`);
    const projector = JetStreamProjector.create({
      js,
      jsm,
      kvm: new Kvm(js),
      organization: 'acme',
      environment: 'acme-dev',
      logger: quiet,
    });
    const started = Date.now();
    const result = await projector.rebuild();
    out(
      `rebuild of one Environment from ${result.events} events: ${((Date.now() - started) / 1000).toFixed(
        1,
      )} s (${Math.round(result.events / ((Date.now() - started) / 1000))} events/s), ${result.puts} keys written`,
    );
  } finally {
    await nc.close();
    await server.dispose();
  }
}

/** 1,000 SSE clients, 100 Environments, 1,000 events/s: publish-to-SSE latency. */
async function sseBench(seconds: number, clientCount: number, environmentCount: number) {
  const environments = Array.from({ length: environmentCount }, (_, i) => `org${String(i).padStart(3, '0')}-dev`);
  const server = await startTestNatsServer();
  const nc = await connect({ servers: server.url, maxReconnectAttempts: -1 });
  const gitRoot = fs.mkdtempSync(join(os.tmpdir(), 'readside-bench-'));
  const access: CatalystAccess = {
    principal: async credentials => ({
      userRef: 'user:default/bench',
      displayName: 'bench',
      ownershipRefs: [],
      grants: [],
      credentials,
    }),
    authorize: async () => ({ allowed: true }),
    decide: () => ({ allowed: true }),
    readableEnvironments: async () => environments,
  };
  const config = { getOptionalConfigArray: () => undefined } as unknown as Parameters<
    typeof createReadSide
  >[0]['config'];
  const httpAuth = {
    credentials: async () => ({
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    }),
  } as unknown as Parameters<typeof createReadSide>[0]['httpAuth'];
  const side = await createReadSide({
    // every bench client may read every Environment: nothing is refused, so nothing is audited
    audit: recordingAudit(httpAuth).audit,
    config,
    logger: quiet,
    nats: nc,
    gitRoot,
    environments: async () =>
      environments.map(name => ({ name, organization: name.slice(0, name.lastIndexOf('-')), envType: 'dev' })),
    access,
    httpAuth,
    tuning: { gitPollMs: 60_000 },
  });
  let t = Date.now();
  await side.start();
  out(`read side started for ${environments.length} Environments in ${Date.now() - t} ms`);
  const app = express().use(side.router);
  const listening = await new Promise<http.Server>(resolve => {
    const s = app.listen(0, '127.0.0.1', () => resolve(s));
  });
  const port = (listening.address() as AddressInfo).port;

  // Publish time of every (Environment, resourceVersion); clients look up the newest rv they get.
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let delivered = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });
  const clients: http.ClientRequest[] = [];
  let ready = 0;
  t = Date.now();
  for (let c = 0; c < clientCount; c++) {
    const env = environments[c % environments.length];
    await new Promise<void>((resolve, reject) => {
      const req = http.get({ host: '127.0.0.1', port, path: `/events?environment=${env}`, agent }, res => {
        let buffer = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const block = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (block.includes('event: ready')) ready += 1;
            if (block.includes('event: change')) {
              const rvs = [...block.matchAll(/"resourceVersion":"(\d+)"/g)].map(m => Number(m[1]));
              const sent = sentAt.get(`${env}/${Math.max(...rvs)}`);
              if (sent !== undefined) {
                latencies.push(Date.now() - sent);
                delivered += 1;
              }
            }
            end = buffer.indexOf('\n\n');
          }
        });
        resolve();
      });
      req.on('error', reject);
      clients.push(req);
    });
  }
  while (ready < clientCount) await new Promise(r => setTimeout(r, 50));
  out(
    `${clientCount} SSE clients connected (${clientCount / environments.length} per Environment, ${
      environments.length
    } Environments) in ${Date.now() - t} ms`,
  );

  // 1,000 events/s: 10 events every 10 ms, each to a random Environment (one Pod per Environment).
  let rv = 1;
  let sent = 0;
  const publisher = side.publisher;
  const started = Date.now();
  while (Date.now() - started < seconds * 1000) {
    const tickStart = Date.now();
    const events = Array.from({ length: 10 }, () => {
      const env = environments[Math.floor(Math.random() * environments.length)];
      const event = podEvent(env, { namespace: 'bench', name: 'p', rv: rv++ });
      sentAt.set(`${env}/${rv - 1}`, Date.now());
      return event;
    });
    await publisher.publish(events);
    sent += events.length;
    const wait = 10 - (Date.now() - tickStart);
    if (wait > 0) await new Promise(r => setTimeout(r, wait));
  }
  const elapsed = (Date.now() - started) / 1000;
  await new Promise(r => setTimeout(r, 2000));
  const sorted = latencies.sort((a, b) => a - b);
  out(
    `published ${sent} events in ${elapsed.toFixed(1)} s (${Math.round(
      sent / elapsed,
    )}/s); ${delivered} deliveries of ${
      (sent * clientCount) / environments.length
    } expected (newest-event-per-change, batching may fold several events into one change)`,
  );
  out(
    `publish-to-SSE latency: p50 ${percentile(sorted, 0.5)} ms, p90 ${percentile(sorted, 0.9)} ms, p99 ${percentile(
      sorted,
      0.99,
    )} ms, max ${sorted[sorted.length - 1]} ms`,
  );

  clients.forEach(c => c.destroy());
  await new Promise(r => listening.close(r));
  await side.stop();
  await nc.close();
  await server.dispose();
  fs.rmSync(gitRoot, { recursive: true, force: true });
}

async function main() {
  const [mode, arg] = process.argv.slice(2);
  if (mode === 'projector') await projectorBench(Number(arg ?? 200_000));
  else if (mode === 'rebuild') await rebuildBench(Number(arg ?? 1_000_000));
  else if (mode === 'sse')
    await sseBench(Number(arg ?? 20), Number(process.argv[4] ?? 1000), Number(process.argv[5] ?? 100));
  else throw new Error('usage: readside.bench.ts projector|sse|rebuild [n]');
  process.exit(0);
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
