import fs from 'node:fs';
import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { DevCluster, startDevCluster } from '@internal/devcluster';
import { jetstream } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import express from 'express';
import { createCatalystEvent, CATALYST_EVENT_TYPES, decodeLiveCursor } from '@internal/plugin-catalyst-common';
import { BareGitRepository } from '../git/BareGitRepository';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { testAccess } from './__testUtils__/access';
import { applicationFiles, createEnvironmentRepo, gotkSync, identity } from './__testUtils__/environmentRepo';
import { connectTestNats } from './__testUtils__/events';
import { storedReadModel } from './__testUtils__/kv';
import { TestSseClient } from './__testUtils__/sseClient';
import { waitFor } from './__testUtils__/waitFor';
import { createReadSide, ReadSide } from './createReadSide';
import { KvLeases } from './ownership/KvLeases';
import { isPublicKey } from './sse/KvEnvironmentHub';
import { recordingAudit } from '../__testUtils__/audit';
import { pinOf } from '../changes/renderedDiff';

jest.setTimeout(90_000);

const ALICE = { Authorization: mockCredentials.user.header('user:default/alice') };

/** The statuses `application.<app>` went through, as a client saw them. */
function statusesOf(client: TestSseClient, environment: string, app: string): string[] {
  const out: string[] = [];
  for (const e of client.events) {
    if (e.event === 'snapshot') {
      const body = JSON.parse(e.data);
      const view = body.environment === environment ? body.entries[`application.${app}`] : undefined;
      if (view) out.push(view.status);
    } else if (e.event === 'change') {
      const body = JSON.parse(e.data);
      if (body.environment === environment && body.key === `application.${app}` && body.value)
        out.push(body.value.status);
    }
  }
  return out.filter((s, i) => i === 0 || s !== out[i - 1]);
}

/** The Catalyst event that registers acme-dev with the read model. */
const acmeDevCreated = () =>
  createCatalystEvent({
    id: 'created-acme-dev',
    source: 'catalyst/test',
    type: CATALYST_EVENT_TYPES.environmentCreated,
    subject: 'environment/acme-dev',
    time: '2025-01-01T00:00:00Z',
    organization: 'acme',
    environment: 'acme-dev',
    data: { environment: 'acme-dev', organization: 'acme', envType: 'dev' },
  });

/** Alice installed `web` into acme-dev (lands in the read model as `activity.web`). */
const webInstalled = (id: string) =>
  createCatalystEvent({
    id,
    source: 'catalyst/test',
    type: CATALYST_EVENT_TYPES.applicationInstalled,
    subject: 'application/web',
    time: '2025-01-01T00:00:01Z',
    organization: 'acme',
    environment: 'acme-dev',
    data: { application: 'web', blueprint: 'bp-web', version: '1.0.0', actor: 'user:default/alice' },
  });

describe('createReadSide end to end (devcluster, Git, NATS, SSE)', () => {
  let server: TestNatsServer;
  let connections: NatsConnection[] = [];
  let gitRoot: string;
  let devcluster: DevCluster;
  let repo: BareGitRepository;
  let registry: Array<{ name: string; organization: string; envType: string }>;
  const sides: ReadSide[] = [];
  const http: Server[] = [];
  const clients: TestSseClient[] = [];
  const logger = mockServices.logger.mock();

  /** One backend replica: its own NATS connection, read side and HTTP server. */
  const replica = async () => {
    const id = `replica-${sides.length}`;
    const nats = await connectTestNats(server.url, id);
    connections.push(nats);
    const config = mockServices.rootConfig({
      data: {
        catalyst: { clusters: [{ name: 'devcluster', type: 'devcluster', url: devcluster.url, environments: ['*'] }] },
      },
    });
    const side = await createReadSide({
      config,
      logger,
      nats,
      gitRoot,
      environments: async () => registry,
      access: testAccess({ 'user:default/alice': ['acme-dev', 'acme-stg'] }),
      httpAuth: mockServices.httpAuth({ defaultCredentials: mockCredentials.none() }),
      audit: recordingAudit(mockServices.httpAuth({ defaultCredentials: mockCredentials.none() })).audit,
      replicaId: id,
      tuning: { leaseTtlMs: 1500, registryRefreshMs: 300, gitPollMs: 100, eventStream: { heartbeatMs: 1000 } },
    });
    sides.push(side);
    const app = express().use(side.router).use(MiddlewareFactory.create({ config, logger }).error());
    const listening = await new Promise<Server>(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    http.push(listening);
    return { id, side, nats, base: `http://127.0.0.1:${(listening.address() as AddressInfo).port}` };
  };

  const connect = async (base: string, query: string, headers: Record<string, string> = ALICE) => {
    const client = await TestSseClient.connect(`${base}/events?${query}`, headers);
    clients.push(client);
    await client.until('ready', () => client.named('ready').length > 0);
    return client;
  };

  beforeEach(async () => {
    server = await startTestNatsServer();
    gitRoot = fs.mkdtempSync(join(os.tmpdir(), 'readside-e2e-'));
    repo = await createEnvironmentRepo(gitRoot, 'acme-dev');
    await repo.commit({ branch: 'main', changes: gotkSync('acme-dev'), message: 'bootstrap', author: identity() });
    devcluster = await startDevCluster({ gitRoot, host: '127.0.0.1', port: 0, podReadyDelayMs: 1500, pollMs: 50 });
    registry = [{ name: 'acme-dev', organization: 'acme', envType: 'dev' }];
  });

  afterEach(async () => {
    clients.splice(0).forEach(c => c.close());
    await Promise.all(http.splice(0).map(s => new Promise(r => s.close(r))));
    await Promise.all(sides.splice(0).map(s => s.stop()));
    await Promise.all(connections.map(c => c.close()));
    connections = [];
    await devcluster.stop();
    await server.dispose();
    fs.rmSync(gitRoot, { recursive: true, force: true });
  });

  it('takes a committed Application from Installing to Running in KV and on every SSE client; a resumed client gets exactly what it missed', async () => {
    const { side, nats, base } = await replica();
    await side.start();
    const first = await connect(base, 'environment=acme-dev');
    const second = await connect(base, 'environment=acme-dev&application=web');
    const js = jetstream(nats);
    const soakChanges: string[] = [];
    side.onSoakChanged((environment, application) => soakChanges.push(`${environment}/${application}`));

    const { sha } = await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev', { values: { replicas: 2 } }),
      message: 'Install web\n\nCatalyst-Actor: user:default/alice',
      author: identity(),
    });

    const running = await waitFor(
      'application.web Running in KV',
      async () => {
        const model = await storedReadModel(js, 'acme-dev');
        const view = model['application.web'] as { status: string; pods: { ready: number } } | undefined;
        return view?.status === 'Running' && view.pods.ready === 2 && model;
      },
      30_000,
    );
    expect(running['application.web']).toMatchObject({
      blueprint: 'bp-web',
      version: '1.0.0',
      desired: { revision: sha, author: 'user:default/alice' },
      appliedRevision: `main@sha1:${sha}`,
    });
    // The soak rule of a promotion compares the change request's pin (what the destination would
    // run, read from the files as the change request service reads them) with this observation of
    // the source: the two must be computed alike, or no promotion could ever soak.
    const soaking = await side.soakObservation('acme-dev', 'web');
    expect(soaking).toEqual({
      ...(await pinOf(repo, sha, [], 'web')),
      runningSince: (running['application.web'] as { runningSince: string }).runningSince,
    });
    expect(soaking?.valuesDigest).toMatch(/^sha256:/);
    // ...and change requests waiting on it were told the moment it started soaking.
    await waitFor('the soak change reported', async () => soakChanges.includes('acme-dev/web'));
    const reported = soakChanges.length;
    // The Blueprint page's usage table follows from the same commit and status events.
    const usage = await waitFor('web Running in the Blueprint usage view', async () => {
      const items = await side.blueprintUsage('bp-web', { environments: ['acme-dev'] });
      return items[0]?.live?.status === 'Running' && items;
    });
    expect(usage).toEqual([
      {
        application: {
          name: 'web',
          environment: 'acme-dev',
          organization: 'acme',
          version: '1.0.0',
          source: 'catalog',
        },
        live: {
          status: 'Running',
          reason: '2/2 pods ready',
          pods: { ready: 2, total: 2 },
          version: '1.0.0',
          targetVersion: null,
        },
      },
    ]);

    for (const client of [first, second]) {
      await client.until('web Running', () => statusesOf(client, 'acme-dev', 'web').includes('Running'));
      const statuses = statusesOf(client, 'acme-dev', 'web');
      expect(statuses.indexOf('Installing')).toBeGreaterThanOrEqual(0);
      expect(statuses.indexOf('Installing')).toBeLessThan(statuses.indexOf('Running'));
    }
    expect(statusesOf(first, 'acme-dev', 'web')).toEqual(statusesOf(second, 'acme-dev', 'web'));

    // The first client goes away; the Application is upgraded meanwhile; it comes back with its id.
    const id = first.lastEventId!;
    const seen = decodeLiveCursor(id)!['acme-dev'];
    first.close();
    await repo.commit({
      branch: 'main',
      changes: applicationFiles('web', 'acme-dev', { version: '1.1.0', values: { replicas: 2 } }),
      message: 'Upgrade web',
      author: identity(),
    });
    await waitFor(
      'web at 1.1.0 Running',
      async () => {
        const view = (await storedReadModel(js, 'acme-dev'))['application.web'] as { status: string; version: string };
        return view.version === '1.1.0' && view.status === 'Running';
      },
      30_000,
    );
    // A new revision is a new soak: the observation follows the upgrade's pin.
    const upgraded = await repo.resolve('main');
    const resoaked = await side.soakObservation('acme-dev', 'web');
    expect(resoaked).toMatchObject({ ...(await pinOf(repo, upgraded!, [], 'web')), version: '1.1.0' });
    await waitFor('the new revision reported', async () => soakChanges.length > reported);
    expect(new Set(soakChanges)).toEqual(new Set(['acme-dev/web']));
    const model = Object.fromEntries(
      Object.entries(await storedReadModel(js, 'acme-dev')).filter(([k]) => isPublicKey(k)),
    );

    const resumed = await connect(base, 'environment=acme-dev', { ...ALICE, 'Last-Event-ID': id });
    expect(resumed.named('snapshot')).toEqual([]);
    const changes = resumed.named('change').map(e => JSON.parse(e.data) as { key: string; revision: number });
    expect(changes.every(c => c.revision > seen)).toBe(true);
    expect(new Set(changes.map(c => c.key)).size).toBe(changes.length);
    // Missed changes on top of what the client had = the bucket now.
    const state = new Map(first.state.get('acme-dev'));
    for (const e of resumed.named('change')) {
      const body = JSON.parse(e.data);
      if (body.operation === 'put') state.set(body.key, body.value);
      else state.delete(body.key);
    }
    await resumed.until('resumed client caught up', () => {
      const latest = new Map(state);
      for (const [k, v] of resumed.state.get('acme-dev') ?? []) latest.set(k, v);
      return JSON.stringify([...latest].sort()) === JSON.stringify(Object.entries(model).sort());
    });
  });

  it('resumes a projector that stopped on a lease it could no longer trust, once the lease is renewed', async () => {
    const a = await replica();
    await a.side.start();
    await a.side.publisher.publish(acmeDevCreated());
    const js = jetstream(a.nats);
    await waitFor('acme-dev projected', async () => (await storedReadModel(js, 'acme-dev'))['environment.summary']);

    // The projector's own check says the lease is too old to trust (as after a stalled event loop),
    // while the renewals in NATS keep succeeding: it stops before writing the next event.
    const distrust = jest.spyOn(KvLeases.prototype, 'holds').mockReturnValue(false);
    try {
      await a.side.publisher.publish(webInstalled('installed-while-distrusted'));
      await new Promise(resolve => setTimeout(resolve, 1000));
      expect((await storedReadModel(js, 'acme-dev'))['activity.web']).toBeUndefined();
    } finally {
      distrust.mockRestore();
    }
    // The next renewal finds the projector stopped and runs it again from the KV cursor.
    await waitFor(
      'the event projected after the renewal',
      async () => (await storedReadModel(js, 'acme-dev'))['activity.web'],
      20_000,
    );
  });

  it('runs each Environment on one replica, hands it over when that replica stops, and picks up new Environments', async () => {
    const a = await replica();
    const b = await replica();
    await a.side.start();
    await b.side.start();
    await a.side.publisher.publish(acmeDevCreated());
    const js = jetstream(a.nats);
    await waitFor('acme-dev projected', async () => (await storedReadModel(js, 'acme-dev'))['environment.summary']);
    const jsm = await js.jetstreamManager();
    const owners = async () => {
      const consumer = await jsm.consumers.info('CATALYST_ACME', 'projector-acme-dev').catch(() => undefined);
      return consumer?.num_waiting ?? 0;
    };
    // Exactly one replica pulls from the Environment's durable consumer. A pull request is briefly
    // absent while its holder handles a batch, so wait for one, then sample: never two at once.
    await waitFor('a replica pulls for acme-dev', async () => (await owners()) === 1);
    const samples: number[] = [];
    for (let i = 0; i < 10; i++) {
      samples.push(await owners());
      await new Promise(resolve => setTimeout(resolve, 50));
    }
    expect(Math.max(...samples)).toBeLessThanOrEqual(1);

    // A new Environment appears in the registry at runtime: stream subjects, projector, informers.
    const stg = await createEnvironmentRepo(gitRoot, 'acme-stg');
    await stg.commit({
      branch: 'main',
      changes: { ...gotkSync('acme-stg'), ...applicationFiles('api', 'acme-stg') },
      message: 'api',
      author: identity(),
    });
    registry = [...registry, { name: 'acme-stg', organization: 'acme', envType: 'stg' }];
    await waitFor(
      'acme-stg api Running',
      async () => {
        const view = (await storedReadModel(js, 'acme-stg'))['application.api'] as { status: string } | undefined;
        return view?.status === 'Running';
      },
      30_000,
    );
    // Every replica answers the Blueprint usage table, whichever projects the Environment.
    for (const r of [a, b]) {
      const items = await waitFor(`acme-stg api in ${r.id}'s usage view`, async () => {
        const found = await r.side.blueprintUsage('bp-web', { environments: ['acme-dev', 'acme-stg'] });
        return found[0]?.live?.status === 'Running' && found;
      });
      expect(items.map(i => [i.application.environment, i.application.name])).toEqual([['acme-stg', 'api']]);
    }

    // The replica holding acme-dev's lease stops; the other takes the lease over and keeps projecting.
    const leases = await new Kvm(js).open('catalyst-readside-leases');
    const holder = async () => {
      const entry = await leases.get('acme-dev');
      return entry?.operation === 'PUT' ? entry.json<{ owner: string }>().owner : undefined;
    };
    const owner = await holder();
    const [stopping, staying] = owner === a.id ? [a, b] : [b, a];
    expect(stopping.id).toBe(owner);
    const client = await connect(staying.base, 'environment=acme-dev&environment=acme-stg');
    expect(client.value('acme-stg', 'application.api')).toMatchObject({ status: 'Running' });
    await stopping.side.stop();
    await waitFor('the other replica holds the lease', async () => (await holder()) === staying.id, 20_000);
    await staying.side.publisher.publish(webInstalled('installed-later'));
    await waitFor(
      'acme-dev still projected after the hand-over',
      async () => (await storedReadModel(js, 'acme-dev'))['activity.web'],
      20_000,
    );
    await client.until('client sees the later activity', () => !!client.value('acme-dev', 'activity.web'));

    // rebuild() works from any replica (here: the remaining owner), and the usage view survives it.
    const before = await staying.side.blueprintUsage('bp-web', { environments: ['acme-stg'] });
    await staying.side.rebuild('acme-dev');
    await staying.side.rebuild('acme-stg');
    expect(await staying.side.blueprintUsage('bp-web', { environments: ['acme-stg'] })).toEqual(before);
    await expect(staying.side.rebuild('acme-uat')).rejects.toThrow(/not found/);
  });
});
