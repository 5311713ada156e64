import { Server } from 'node:http';
import { AddressInfo } from 'node:net';
import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { MiddlewareFactory } from '@backstage/backend-defaults/rootHttpRouter';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import express from 'express';
import request from 'supertest';
import { CATALYST_ERROR_CODES, decodeLiveCursor, encodeLiveCursor } from '@internal/plugin-catalyst-common';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import type { AuditorEvent } from '@backstage/backend-defaults/auditor';
import { AuthenticationError } from '@backstage/errors';
import type { CatalystAccess } from '@internal/plugin-catalyst-node';
import { recordingAudit } from '../../__testUtils__/audit';
import { testAccess } from '../__testUtils__/access';
import { applicationEvents, connectTestNats, retrying, syntheticEvents } from '../__testUtils__/events';
import { lastEnvironmentSequence, storedReadModel } from '../__testUtils__/kv';
import { TestSseClient } from '../__testUtils__/sseClient';
import { waitFor } from '../__testUtils__/waitFor';
import { JetStreamProjector } from '../projector/JetStreamProjector';
import { openStateBucket } from '../projector/KvStateStore';
import { JetStreamEventPublisher } from '../publishers/JetStreamEventPublisher';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { createReadSideRouter } from './createReadSideRouter';
import { isPublicKey, KvHubRegistry } from './KvEnvironmentHub';

jest.setTimeout(60_000);

const ALICE = mockCredentials.user('user:default/alice');
const BOB = mockCredentials.user('user:default/bob');
const auth = (credentials: typeof ALICE) => ({
  Authorization: mockCredentials.user.header(credentials.principal.userEntityRef),
});

describe('read-side router', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let publisher: JetStreamEventPublisher;
  let hubs: KvHubRegistry;
  let app: express.Express;
  let http: Server;
  let base: string;
  const projectors: JetStreamProjector[] = [];
  const clients: TestSseClient[] = [];
  const logger = mockServices.logger.mock();
  /** Who reads what; a test may change it while streams are open. */
  let grants: Record<string, string[]>;
  /** Users whose tokens no longer speak for them (their identity changed since they were issued). */
  let revoked: Set<string>;
  let auditEvents: AuditorEvent[];
  /** The router's options, for a test that needs a router of its own. */
  let routerOptions: Parameters<typeof createReadSideRouter>[0];

  const project = async (environment: string) => {
    let projector = projectors.find(p => p.environment === environment);
    if (!projector) {
      projector = JetStreamProjector.create({
        js,
        jsm,
        kvm: new Kvm(js),
        organization: 'acme',
        environment,
        logger,
        batchSize: 50,
      });
      projectors.push(projector);
      projector.start();
    }
    await projector.whenAt(await retrying(() => lastEnvironmentSequence(js, 'acme', environment)));
  };

  const connect = async (query: string, headers: Record<string, string> = auth(ALICE)) => {
    const client = await TestSseClient.connect(`${base}/events?${query}`, headers);
    clients.push(client);
    return client;
  };

  /** What the bucket holds, public keys only: what a client must converge to. */
  const publicModel = async (environment: string) =>
    Object.fromEntries(Object.entries(await storedReadModel(js, environment)).filter(([k]) => isPublicKey(k)));

  beforeEach(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    const streams = JetStreamStreams.create({ jsm, logger });
    publisher = JetStreamEventPublisher.create({ js, logger, ensureStream: org => streams.ensure(org) });
    hubs = KvHubRegistry.create({ kvm: new Kvm(js), logger, lingerMs: 100 });
    grants = { 'user:default/alice': ['acme-dev', 'acme-prod'], 'user:default/bob': ['acme-dev'] };
    const mockHttpAuth = mockServices.httpAuth({ defaultCredentials: mockCredentials.none() });
    // Mock tokens never expire; `X-Test-Expires-In: <ms>` gives the credentials a lifetime.
    const httpAuth: HttpAuthService = {
      ...mockHttpAuth,
      credentials: (async (req: express.Request, options?: Parameters<HttpAuthService['credentials']>[1]) => {
        const credentials = await mockHttpAuth.credentials(req, options);
        const lifetime = req.header('x-test-expires-in');
        return lifetime ? { ...credentials, expiresAt: new Date(Date.now() + Number(lifetime)) } : credentials;
      }) as HttpAuthService['credentials'],
    };
    revoked = new Set();
    const granted = testAccess(new Proxy({}, { get: (_t, user: string) => grants[user] }));
    const access: CatalystAccess = {
      ...granted,
      principal: async credentials => {
        const principal = await granted.principal(credentials);
        if (revoked.has(principal.userRef)) {
          throw new AuthenticationError(`the memberships of ${principal.userRef} changed since this token was issued`);
        }
        return principal;
      },
    };
    const recorded = recordingAudit(httpAuth);
    auditEvents = recorded.events;
    routerOptions = {
      httpAuth,
      access,
      hubs,
      environmentExists: async env => ['acme-dev', 'acme-prod'].includes(env),
      logger,
      eventStream: { heartbeatMs: 200, maxBufferedBytes: 512 * 1024, reauthorizeMs: 200 },
      audit: recorded.audit,
    };
    const router = createReadSideRouter(routerOptions);
    app = express()
      .use(router)
      .use(MiddlewareFactory.create({ config: mockServices.rootConfig(), logger }).error());
    http = await new Promise<Server>(resolve => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  });

  afterEach(async () => {
    clients.splice(0).forEach(c => c.close());
    await Promise.all(projectors.splice(0).map(p => p.stop()));
    await new Promise(resolve => http.close(resolve));
    await hubs.stop();
    await nc.close();
    await server.dispose();
  });

  describe('authorization and input', () => {
    it.each([
      ['/events?environment=acme-dev'],
      ['/environments/acme-dev/status'],
      ['/environments/acme-dev/applications/web/status'],
      ['/events'],
    ])('401 without credentials: %s', async path => {
      const res = await request(app).get(path);
      expect(res.status).toBe(401);
    });

    it.each([
      ['/events?environment=acme-dev&environment=acme-prod', 'acme-prod'],
      ['/environments/acme-prod/status', 'acme-prod'],
      ['/environments/acme-prod/applications/web/status', 'acme-prod'],
    ])(
      '404 like an unknown one for an Environment the caller may not read, audited as refused: %s',
      async (path, env) => {
        const before = auditEvents.length;
        const res = await request(app).get(path).set(auth(BOB));
        expect(res.status).toBe(404);
        expect(res.body.error).toMatchObject({
          name: 'NotFoundError',
          code: CATALYST_ERROR_CODES.environmentNotFound,
          environment: env,
          message: `Environment ${env} not found`,
        });
        const failed = auditEvents.slice(before).filter(e => e.status === 'failed');
        expect(failed).toHaveLength(1);
        expect(failed[0].actor.actorId).toBe('user:default/bob');
        expect(failed[0].meta).toMatchObject({
          verdict: 'refused',
          status: 404,
          surface: path.startsWith('/events') ? 'sse' : 'rest',
          target: { refusal: `may not read Environment ${env}` },
        });
      },
    );

    it.each([
      ['/events?environment=acme-dev&environment=acme-uat', CATALYST_ERROR_CODES.environmentNotFound, 'acme-uat'],
      ['/environments/acme-uat/status', CATALYST_ERROR_CODES.environmentNotFound, 'acme-uat'],
      ['/environments/acme-uat/applications/web/status', CATALYST_ERROR_CODES.environmentNotFound, 'acme-uat'],
      ['/environments/acme-dev/applications/nothing-here/status', CATALYST_ERROR_CODES.notFound, 'acme-dev'],
    ])('404 with a code for an unknown Environment or Application: %s', async (path, code, environment) => {
      const res = await request(app).get(path).set(auth(ALICE));
      expect(res.status).toBe(404);
      expect(res.body.error).toMatchObject({ name: 'NotFoundError', code, environment });
    });

    it.each([
      ['/events'],
      ['/events?environment=Acme_Dev'],
      ['/events?environment=acme-dev&application=Not_An_App'],
      ['/events?environment[x]=acme-dev'],
      [`/events?${Array.from({ length: 51 }, () => 'environment=acme-dev').join('&')}`],
      ['/environments/not-an-env/status'],
      ['/environments/acme-dev/applications/UPPER/status'],
    ])('400 for bad input: %s', async path => {
      const res = await request(app).get(path).set(auth(ALICE));
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({
        name: 'InputError',
        code: CATALYST_ERROR_CODES.invalidRequest,
        issues: [expect.objectContaining({ code: 'invalid-request' })],
      });
    });
  });

  it('serves the Environment and Application status from the KV', async () => {
    await publisher.publish(applicationEvents('acme-dev', 'web', 'a'.repeat(40)));
    await project('acme-dev');
    const env = await request(app).get('/environments/acme-dev/status').set(auth(BOB));
    expect(env.status).toBe(200);
    expect(env.body).toMatchObject({
      environment: 'acme-dev',
      summary: { organization: 'acme', applications: { total: 1, byStatus: { Running: 1 } } },
      applications: [{ name: 'web', status: 'Running' }],
    });
    const web = await request(app).get('/environments/acme-dev/applications/web/status').set(auth(BOB));
    expect(web.status).toBe(200);
    expect(web.body).toMatchObject({
      application: { name: 'web', status: 'Running' },
      activity: [expect.objectContaining({})],
    });
  });

  it('multiplexes Environments: snapshot of each, then live changes with a per-Environment cursor in every id', async () => {
    await publisher.publish([
      ...applicationEvents('acme-dev', 'web', 'b'.repeat(40)),
      ...syntheticEvents('acme-prod', 20),
    ]);
    await project('acme-dev');
    await project('acme-prod');
    const client = await connect('environment=acme-dev&environment=acme-prod');
    await client.until('ready', () => client.named('ready').length === 1);
    expect(client.status).toBe(200);
    expect(client.named('snapshot').map(e => JSON.parse(e.data).environment)).toEqual(['acme-dev', 'acme-prod']);
    expect(client.value('acme-dev', 'application.web')).toMatchObject({ status: 'Running' });
    expect(Object.keys(decodeLiveCursor(client.lastEventId)!)).toEqual(['acme-dev', 'acme-prod']);

    await publisher.publish(syntheticEvents('acme-prod', 30, { rvBase: 100 }));
    await project('acme-prod');
    const prod = await publicModel('acme-prod');
    await client.until(
      'acme-prod converged',
      () =>
        JSON.stringify(Object.fromEntries([...client.state.get('acme-prod')!].sort())) ===
        JSON.stringify(Object.fromEntries(Object.entries(prod).sort())),
    );
    const cursor = decodeLiveCursor(client.lastEventId)!;
    const kvRevision = (await (await openStateBucket(new Kvm(js), 'acme-prod')).status()).streamInfo.state.last_seq;
    expect(cursor['acme-prod']).toBeLessThanOrEqual(kvRevision);
    expect(cursor['acme-prod']).toBeGreaterThan(0);
    // Nothing internal leaks to clients.
    expect([...client.state.get('acme-prod')!.keys()].filter(k => !isPublicKey(k))).toEqual([]);
    // Heartbeats keep the connection open while idle.
    await new Promise(r => setTimeout(r, 500));
    expect(client.ended).toBe(false);
  });

  it('narrows to an Application when asked', async () => {
    await publisher.publish([
      ...applicationEvents('acme-dev', 'web', 'c'.repeat(40)),
      ...applicationEvents('acme-dev', 'api', 'd'.repeat(40), { rv: 50 }),
    ]);
    await project('acme-dev');
    const client = await connect('environment=acme-dev&application=web');
    await client.until('ready', () => client.named('ready').length === 1);
    const keys = [...client.state.get('acme-dev')!.keys()].sort();
    expect(keys).toEqual([
      'activity.web',
      'application.web',
      'environment.summary',
      'kustomization.web',
      'namespace.web',
    ]);
  });

  it('resumes each Environment from Last-Event-ID with exactly the changes missed', async () => {
    await publisher.publish(syntheticEvents('acme-dev', 100, { seed: 5 }));
    await project('acme-dev');
    const first = await connect('environment=acme-dev');
    await first.until('ready', () => first.named('ready').length === 1);
    const id = first.lastEventId!;
    const seen = decodeLiveCursor(id)!['acme-dev'];
    first.close();

    await publisher.publish(syntheticEvents('acme-dev', 200, { seed: 6, rvBase: 1000 }));
    await project('acme-dev');
    const resumed = await connect('environment=acme-dev', { ...auth(ALICE), 'Last-Event-ID': id });
    await resumed.until('ready', () => resumed.named('ready').length === 1);
    expect(resumed.named('snapshot')).toEqual([]);
    expect(JSON.parse(resumed.named('ready')[0].data)).toEqual({ environments: ['acme-dev'], resumed: ['acme-dev'] });

    // Exactly the keys changed after the id, each once, in revision order.
    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    const changedAfter: string[] = [];
    for await (const e of await kv.history({ key: '>' }))
      if (e.revision > seen && isPublicKey(e.key)) changedAfter.push(e.key);
    // The replay may still be arriving behind `ready` while the hub catches up with the last writes.
    await resumed.until('every key changed after the id', () => {
      const keys = new Set(resumed.named('change').map(e => JSON.parse(e.data).key));
      return changedAfter.every(k => keys.has(k));
    });
    const received = resumed.named('change').map(e => JSON.parse(e.data) as { key: string; revision: number });
    expect(received.map(c => c.key).sort()).toEqual([...changedAfter].sort());
    expect(received.every(c => c.revision > seen)).toBe(true);
    expect(received.map(c => c.revision)).toEqual([...received.map(c => c.revision)].sort((a, b) => a - b));

    // Applying them to the first client's state gives the bucket's state.
    for (const change of received) {
      const body = JSON.parse(resumed.named('change').find(e => JSON.parse(e.data).revision === change.revision)!.data);
      if (body.operation === 'put') first.state.get('acme-dev')!.set(body.key, body.value);
      else first.state.get('acme-dev')!.delete(body.key);
    }
    expect(Object.fromEntries(first.state.get('acme-dev')!)).toEqual(await publicModel('acme-dev'));

    // An id from a bucket that no longer has that revision starts over with a snapshot.
    const stale = await connect('environment=acme-dev', {
      ...auth(ALICE),
      'Last-Event-ID': encodeLiveCursor({ 'acme-dev': 10_000_000 }),
    });
    await stale.until('ready', () => stale.named('ready').length === 1);
    expect(JSON.parse(stale.named('snapshot')[0].data)).toMatchObject({ reset: true });
  });

  describe('open streams stay within their credentials', () => {
    const endEvent = (client: TestSseClient) =>
      JSON.parse(client.named('end')[0]?.data ?? 'null') as { reason: string; detail: string } | null;

    it('ends the stream once the user may no longer read one of its Environments; the reconnect is refused for it', async () => {
      await publisher.publish(syntheticEvents('acme-dev', 3));
      await publisher.publish(syntheticEvents('acme-prod', 3));
      await Promise.all([project('acme-dev'), project('acme-prod')]);
      const client = await connect('environment=acme-dev&environment=acme-prod');
      await client.until('ready', () => client.named('ready').length === 1);
      // Several checks pass while nothing changes.
      await new Promise(resolve => setTimeout(resolve, 700));
      expect(client.ended).toBe(false);

      grants['user:default/alice'] = ['acme-dev'];
      await client.until('the server ends the stream', () => client.ended, 5000);
      expect(endEvent(client)).toEqual({
        reason: 'access-changed',
        detail: 'Not allowed to read Environment acme-prod any more',
      });

      const again = await request(app).get('/events?environment=acme-dev&environment=acme-prod').set(auth(ALICE));
      expect(again.status).toBe(404);
      expect(again.body.error).toMatchObject({
        code: CATALYST_ERROR_CODES.environmentNotFound,
        environment: 'acme-prod',
      });
      // the cut and the refused reconnect are both on the record
      expect(
        auditEvents
          .filter(e => e.status === 'failed')
          .map(e => [e.eventId, (e.meta as { verdict: string }).verdict, e.actor.actorId]),
      ).toEqual([
        ['live-events', 'refused', 'user:default/alice'],
        ['live-events', 'refused', 'user:default/alice'],
      ]);
    });

    it('leaves the streams of other users alone', async () => {
      await publisher.publish(syntheticEvents('acme-dev', 3));
      await project('acme-dev');
      const alice = await connect('environment=acme-dev');
      const bob = await connect('environment=acme-dev', auth(BOB));
      await Promise.all([
        alice.until('ready', () => alice.named('ready').length === 1),
        bob.until('ready', () => bob.named('ready').length === 1),
      ]);
      grants['user:default/bob'] = [];
      await bob.until('bob is cut off', () => bob.ended, 5000);
      await new Promise(resolve => setTimeout(resolve, 500));
      expect([alice.ended, endEvent(bob)?.reason]).toEqual([false, 'access-changed']);
    });

    it('authorizes again at once when told a user’s access changed, and ends a stream whose token no longer speaks for its user', async () => {
      const listeners = new Set<(userRef: string) => void>();
      // periodic checks far apart: whatever ends a stream here is the change notice
      const own = express()
        .use(
          createReadSideRouter({
            ...routerOptions,
            eventStream: { heartbeatMs: 200, reauthorizeMs: 600_000 },
            accessChanges: listener => {
              listeners.add(listener);
              return () => listeners.delete(listener);
            },
          }),
        )
        .use(MiddlewareFactory.create({ config: mockServices.rootConfig(), logger }).error());
      const ownHttp = await new Promise<Server>(resolve => {
        const srv = own.listen(0, '127.0.0.1', () => resolve(srv));
      });
      const changed = (userRef: string) => listeners.forEach(l => l(userRef));
      try {
        await publisher.publish(syntheticEvents('acme-dev', 3));
        await publisher.publish(syntheticEvents('acme-prod', 3));
        await Promise.all([project('acme-dev'), project('acme-prod')]);
        const ownBase = `http://127.0.0.1:${(ownHttp.address() as AddressInfo).port}`;
        const open = async (headers: Record<string, string>, query: string) => {
          const client = await TestSseClient.connect(`${ownBase}/events?${query}`, headers);
          clients.push(client);
          await client.until('ready', () => client.named('ready').length === 1);
          return client;
        };
        const alice = await open(auth(ALICE), 'environment=acme-dev&environment=acme-prod');
        const bob = await open(auth(BOB), 'environment=acme-dev');
        expect(listeners.size).toBe(2);

        grants['user:default/alice'] = ['acme-dev'];
        // nobody said so yet: the stream goes on
        await new Promise(resolve => setTimeout(resolve, 500));
        expect(alice.ended).toBe(false);
        changed('user:default/alice');
        await alice.until('alice is cut off', () => alice.ended, 3000);
        expect(endEvent(alice)).toEqual({
          reason: 'access-changed',
          detail: 'Not allowed to read Environment acme-prod any more',
        });
        expect(bob.ended).toBe(false);

        // Bob's team membership went at a refresh: his old token is refused from now on
        revoked.add('user:default/bob');
        changed('user:default/bob');
        await bob.until('bob is cut off', () => bob.ended, 3000);
        expect(endEvent(bob)).toEqual({
          reason: 'access-changed',
          detail: 'the memberships of user:default/bob changed since this token was issued',
        });
        // closed streams let go of their subscriptions
        await waitFor('listeners released', () => listeners.size === 0, 3000);
        expect(
          auditEvents
            .filter(e => e.status === 'failed')
            .map(e => [e.actor.actorId, (e.meta as { verdict: string; surface: string }).verdict]),
        ).toEqual([
          ['user:default/alice', 'refused'],
          ['user:default/bob', 'refused'],
        ]);
      } finally {
        await new Promise(resolve => ownHttp.close(resolve));
      }
    });

    it('ends the stream when the credentials that opened it expire', async () => {
      await publisher.publish(syntheticEvents('acme-dev', 3));
      await project('acme-dev');
      const started = Date.now();
      const client = await connect('environment=acme-dev', { ...auth(ALICE), 'X-Test-Expires-In': '1500' });
      await client.until('ready', () => client.named('ready').length === 1);
      await client.until('the server ends the stream', () => client.ended, 5000);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
      expect(endEvent(client)?.reason).toBe('credentials-expired');
    });

    it('ends the stream when its access cannot be checked (fail closed)', async () => {
      await publisher.publish(syntheticEvents('acme-dev', 3));
      await project('acme-dev');
      const client = await connect('environment=acme-dev');
      await client.until('ready', () => client.named('ready').length === 1);
      grants = new Proxy(
        {},
        {
          get: () => {
            throw new Error('role bindings unavailable');
          },
        },
      );
      await client.until('the server ends the stream', () => client.ended, 5000);
      expect(endEvent(client)).toEqual({
        reason: 'access-changed',
        detail: 'access could not be checked again: role bindings unavailable',
      });
    });
  });

  it('drops a slow client with a reason while others keep up', async () => {
    // Only this test's drops count (the logger lives as long as the describe).
    logger.info.mockClear();
    await publisher.publish(syntheticEvents('acme-dev', 5));
    await project('acme-dev');
    const slow = await connect('environment=acme-dev');
    const fast = await connect('environment=acme-dev');
    await slow.until('ready', () => slow.named('ready').length === 1);
    slow.pause();
    // Once the server has dropped it, the slow client reads what was sent to it: the server cuts
    // off a client that still reads nothing a few seconds after its `overflow`.
    const dropped = () => logger.info.mock.calls.some(([message]) => message === 'Dropping SSE client');
    const resumed = waitFor('the slow client dropped', dropped, 30_000, 10).then(() => slow.resume());
    // Large values (written straight to the bucket) fill the slow client's socket and then its buffer.
    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    const big = JSON.stringify({ blob: 'x'.repeat(100_000) });
    for (let i = 0; i < 250; i++) await kv.put(`application.big-${i}`, big);
    await fast.until('fast client got every change', () => fast.named('change').length >= 250, 30_000);
    await resumed;
    await slow.until('the slow response ends', () => slow.ended, 10_000);

    // The slow client was told why, last thing before the server ended its response properly.
    expect(slow.events[slow.events.length - 1]).toEqual({
      id: undefined,
      event: 'overflow',
      data: JSON.stringify({ reason: 'slow-consumer', maxBufferedBytes: 512 * 1024 }),
    });
    expect(slow.completed).toBe(true);
    expect(slow.named('change').length).toBeLessThan(250);
    // The others keep their stream.
    expect(fast.ended).toBe(false);
    expect(fast.named('overflow')).toEqual([]);
  });

  it('keeps SSE clients gap-free across a nats-server restart under load', async () => {
    await publisher.publish(syntheticEvents('acme-dev', 10));
    await project('acme-dev');
    const client = await connect('environment=acme-dev');
    await client.until('ready', () => client.named('ready').length === 1);
    const projector = projectors[0];

    const events = syntheticEvents('acme-dev', 6000, { seed: 9, rvBase: 100 });
    let published = 0;
    const received = () => client.revisions.get('acme-dev')?.length ?? 0;
    // What the publisher, the projector and the client had done when the connection dropped.
    const atDisconnect = new Promise<{ published: number; projected: number; received: number }>(resolve => {
      (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'disconnect') {
            resolve({ published, projected: projector.lastSequence(), received: received() });
            return;
          }
        }
      })().catch(() => undefined);
    });
    const load = (async () => {
      for (let i = 0; i < events.length; i += 500) {
        // The second half goes out while the server is down or coming back.
        if (i === events.length / 2) await atDisconnect;
        await publisher.publish(events.slice(i, i + 500));
        published = i + 500;
      }
    })();
    await projector.whenAt(1500);
    await server.restart();
    await load;
    await project('acme-dev');
    const model = await publicModel('acme-dev');
    await client.until(
      'client converged on the bucket after the restart',
      () =>
        JSON.stringify(Object.fromEntries([...client.state.get('acme-dev')!].sort())) ===
        JSON.stringify(Object.fromEntries(Object.entries(model).sort())),
      30_000,
    );
    const revisions = client.revisions.get('acme-dev')!;
    expect(revisions.every((r, i) => i === 0 || r > revisions[i - 1])).toBe(true);
    expect(client.ended).toBe(false);
    // The restart hit work in flight: events still to publish and to project, and the client
    // receiving live changes before and after it on the same stream.
    const inFlight = await atDisconnect;
    expect(inFlight.published).toBeLessThan(events.length);
    expect(inFlight.projected).toBeLessThan(10 + events.length);
    expect(inFlight.received).toBeGreaterThan(0);
    expect(received()).toBeGreaterThan(inFlight.received);
  });
});
