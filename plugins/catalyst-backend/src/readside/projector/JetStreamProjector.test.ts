import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  blueprintUsageEntries,
  fromKvEntries,
  KV_KEYS,
  parseBlueprintUsageKey,
  projectWithChanges,
} from '@internal/plugin-catalyst-common';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { applicationEvents, commitEvent, connectTestNats, retrying, syntheticEvents } from '../__testUtils__/events';
import { expectedReadModel, foldStream, storedReadModel } from '../__testUtils__/kv';
import { JetStreamEventPublisher } from '../publishers/JetStreamEventPublisher';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { KvBlueprintUsage, openBlueprintUsageBucket } from '../usage/KvBlueprintUsage';
import { JOURNAL_KEY, openStateBucket } from './KvStateStore';
import { JetStreamProjector } from './JetStreamProjector';

jest.setTimeout(60_000);

describe('JetStreamProjector', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let publisher: JetStreamEventPublisher;
  const projectors: JetStreamProjector[] = [];
  const logger = mockServices.logger.mock();

  const makeProjector = (
    environment = 'acme-dev',
    options: { batchSize?: number; holdsLease?: () => boolean; usage?: KvBlueprintUsage } = {},
  ) => {
    const projector = JetStreamProjector.create({
      js,
      jsm,
      kvm: new Kvm(js),
      organization: 'acme',
      environment,
      logger,
      ...options,
    });
    projectors.push(projector);
    return projector;
  };

  const lastSequence = async () => (await retrying(() => jsm.streams.info('CATALYST_ACME'))).state.last_seq;

  beforeEach(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    const streams = JetStreamStreams.create({ jsm, logger });
    publisher = JetStreamEventPublisher.create({ js, logger, ensureStream: org => streams.ensure(org) });
  });

  afterEach(async () => {
    await Promise.all(projectors.splice(0).map(p => p.stop()));
    await nc.close();
    await server.dispose();
  });

  it('folds an Environment into ws-<env>-state equal to the pure fold, and ignores other Environments', async () => {
    await publisher.publish([
      ...applicationEvents('acme-dev', 'web', 'a'.repeat(40)),
      ...syntheticEvents('acme-prod', 50),
      ...syntheticEvents('acme-dev', 200),
    ]);
    const projector = makeProjector('acme-dev', { batchSize: 64 });
    projector.start();
    await projector.whenAt(await lastSequence());

    const stored = await storedReadModel(js, 'acme-dev');
    expect(stored).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
    expect(stored['application.web']).toMatchObject({ status: 'Running', version: '1.0.0' });
    expect(stored[KV_KEYS.cursor]).toEqual({ lastSequence: await lastSequence() });
    expect(Object.keys(stored).some(k => k.includes('acme-prod'))).toBe(false);
    expect(projector.counters().rejected).toBe(0);
  });

  it('writes only the keys an event changes', async () => {
    await publisher.publish(applicationEvents('acme-dev', 'web', 'b'.repeat(40)));
    const projector = makeProjector();
    projector.start();
    await projector.whenAt(await lastSequence());
    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    const before = (await kv.get('application.web'))!.revision;

    await publisher.publish(syntheticEvents('acme-dev', 20));
    await projector.whenAt(await lastSequence());
    expect((await kv.get('application.web'))!.revision).toBe(before);
    expect((await kv.get(KV_KEYS.cursor))!.json()).toEqual({ lastSequence: await lastSequence() });
  });

  it('resumes from the KV cursor after a restart without applying anything twice', async () => {
    await publisher.publish(syntheticEvents('acme-dev', 300, { seed: 7 }));
    const first = makeProjector();
    first.start();
    await first.whenAt(await lastSequence());
    await first.stop();

    await publisher.publish(syntheticEvents('acme-dev', 300, { seed: 8, rvBase: 1000 }));
    const second = makeProjector();
    second.start();
    await second.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
    // The second projector took exactly the 300 events after the cursor: nothing the first had
    // applied was delivered (and acknowledged) again.
    expect([first.counters().events, second.counters().events]).toEqual([300, 300]);
  });

  it('finishes a batch that a crash left half-written (journal newer than the cursor)', async () => {
    await publisher.publish(applicationEvents('acme-dev', 'web', 'c'.repeat(40)).slice(0, 3));
    const first = makeProjector();
    first.start();
    const cursor = await lastSequence();
    await first.whenAt(cursor);
    await first.stop();

    // The rest of the life: what the crashed projector had folded and begun to write.
    await publisher.publish(applicationEvents('acme-dev', 'web', 'c'.repeat(40)).slice(3));
    const target = await lastSequence();
    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    let state = fromKvEntries('acme-dev', await storedReadModel(js, 'acme-dev')).state;
    const put: Record<string, unknown> = {};
    for (let seq = cursor + 1; seq <= target; seq++) {
      const stored = await jsm.streams.getMessage('CATALYST_ACME', { seq });
      const result = projectWithChanges(state, stored!.json(), seq);
      state = result.state;
      Object.assign(put, result.changes.put);
    }
    delete put[KV_KEYS.cursor];
    await kv.put(JOURNAL_KEY, JSON.stringify({ toSequence: target, parts: 0, put, delete: [] }));
    // Crash after the first key: `application.web` and the cursor never made it.
    const firstKey = Object.keys(put).find(k => k !== 'application.web')!;
    await kv.put(firstKey, JSON.stringify(put[firstKey]));

    const second = makeProjector();
    second.start();
    await second.whenAt(target);
    const stored = await storedReadModel(js, 'acme-dev');
    expect(stored).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
    expect(stored['application.web']).toMatchObject({ status: 'Running' });
  });

  it('rebuilds the bucket from the stream, repairing changed, missing and stray keys, and keeps projecting', async () => {
    await publisher.publish([
      ...applicationEvents('acme-dev', 'web', 'd'.repeat(40)),
      ...syntheticEvents('acme-dev', 100),
    ]);
    const projector = makeProjector();
    projector.start();
    await projector.whenAt(await lastSequence());

    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    await kv.put('application.web', JSON.stringify({ status: 'Failed', reason: 'corrupted' }));
    await kv.delete('environment.summary');
    await kv.put('application.ghost', JSON.stringify({ name: 'ghost' }));

    const result = await projector.rebuild();
    expect(result.events).toBe(await lastSequence());
    expect(result.puts).toBe(2);
    expect(result.deletes).toBe(1);
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));

    await publisher.publish(syntheticEvents('acme-dev', 50, { rvBase: 5000 }));
    await projector.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
  });

  it("keeps the Environment's records in the Blueprint usage view, repairing them on restart and rebuild", async () => {
    const usage = await KvBlueprintUsage.create({ kvm: new Kvm(js), js, logger });
    usage.start();
    try {
      const usageBucket = await openBlueprintUsageBucket(new Kvm(js));
      /** acme-dev's records as stored in the shared bucket. */
      const stored = async () => {
        const out: Record<string, unknown> = {};
        for await (const key of await usageBucket.keys()) {
          if (parseBlueprintUsageKey(key)?.environment === 'acme-dev') out[key] = (await usageBucket.get(key))!.json();
        }
        return out;
      };
      const expected = async () =>
        JSON.parse(JSON.stringify(blueprintUsageEntries(await foldStream(js, 'acme', 'acme-dev'))));

      await publisher.publish([
        ...applicationEvents('acme-dev', 'web', 'a'.repeat(40)),
        ...applicationEvents('acme-dev', 'api', 'b'.repeat(40), { rv: 50, blueprint: 'bp-api', overlay: 'large' }),
        ...syntheticEvents('acme-dev', 100, { rvBase: 100 }),
      ]);
      const projector = makeProjector('acme-dev', { batchSize: 16, usage });
      projector.start();
      await projector.whenAt(await lastSequence());
      expect(Object.keys(await stored()).sort()).toEqual(['bp-api.acme-dev.api', 'bp-web.acme-dev.web']);
      expect(await stored()).toEqual(await expected());

      // Removed from Git: its record goes with the batch.
      await publisher.publish(
        commitEvent('acme-dev', 'c'.repeat(40), 'remove api', [{ name: 'api', change: 'removed' }]),
      );
      await projector.whenAt(await lastSequence());
      expect(Object.keys(await stored())).toEqual(['bp-web.acme-dev.web']);

      // While stopped, the records drift (a crash between a batch and its usage write, a stray writer).
      await projector.stop();
      await usageBucket.delete('bp-web.acme-dev.web');
      await usageBucket.put('bp-old.acme-dev.gone', JSON.stringify({ stray: true }));
      const restarted = makeProjector('acme-dev', { usage });
      restarted.start();
      // Caught up comes after the session compared the records with the read model.
      await restarted.whenCaughtUp();
      expect(await stored()).toEqual(await expected());

      // A rebuild leaves them equal to the rebuilt read model as well.
      await usageBucket.put('bp-web.acme-dev.web', JSON.stringify({ corrupted: true }));
      await restarted.rebuild();
      expect(await stored()).toEqual(await expected());
    } finally {
      await Promise.all(projectors.splice(0).map(p => p.stop()));
      await usage.stop();
    }
  });

  it('writes the last batch and catches up when the server over-reports pending (nats-server 2.9.10 did)', async () => {
    // The real consumer and messages, with each delivery's `pending` estimate raised by 2, as the
    // server reported it for a re-created filtered consumer: the last event never says 0.
    const skewed = new Proxy(js, {
      get(target, prop, receiver) {
        if (prop !== 'consumers') return Reflect.get(target, prop, receiver);
        return new Proxy(target.consumers, {
          get(consumers, cprop) {
            if (cprop !== 'get') return Reflect.get(consumers, cprop);
            return async (...args: Parameters<typeof consumers.get>) => {
              const consumer = await consumers.get(...args);
              return new Proxy(consumer, {
                get(c, name) {
                  if (name !== 'consume') return Reflect.get(c, name);
                  return async (opts: Parameters<typeof c.consume>[0]) => {
                    const messages = await c.consume(opts);
                    const iterate = messages[Symbol.asyncIterator].bind(messages);
                    return Object.assign(Object.create(messages), {
                      stop: messages.stop.bind(messages),
                      async *[Symbol.asyncIterator]() {
                        for await (const m of { [Symbol.asyncIterator]: iterate }) {
                          const info = { ...m.info, pending: m.info.pending + 2 };
                          yield new Proxy(m, { get: (msg, key) => (key === 'info' ? info : Reflect.get(msg, key)) });
                        }
                      },
                    });
                  };
                },
              });
            };
          },
        });
      },
    }) as JetStreamClient;

    await publisher.publish(syntheticEvents('acme-dev', 120, { seed: 3 }));
    const projector = JetStreamProjector.create({
      js: skewed,
      jsm,
      kvm: new Kvm(js),
      organization: 'acme',
      environment: 'acme-dev',
      logger,
    });
    projectors.push(projector);
    projector.start();
    await projector.whenCaughtUp();
    await projector.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));

    // Live events after the backlog: written without waiting for a pending count of 0 either.
    await publisher.publish(syntheticEvents('acme-dev', 5, { seed: 4, rvBase: 500 }));
    await projector.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
  });

  it('stops writing when it no longer holds the lease, and resumes from the cursor once it does', async () => {
    let owner = true;
    await publisher.publish(syntheticEvents('acme-dev', 10));
    const projector = makeProjector('acme-dev', { holdsLease: () => owner });
    projector.start();
    await projector.whenAt(await lastSequence());
    owner = false;
    await publisher.publish(syntheticEvents('acme-dev', 10, { rvBase: 100 }));
    await new Promise(r => setTimeout(r, 500));
    const kv = await openStateBucket(new Kvm(js), 'acme-dev');
    expect((await kv.get(KV_KEYS.cursor))!.json()).toEqual({ lastSequence: 10 });
    expect(projector.isRunning()).toBe(false);

    // Its holder renewed the lease after all (the check only lost trust in it): resume from the cursor.
    owner = true;
    projector.resume();
    await projector.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
  });

  it('keeps projecting across a nats-server restart under load', async () => {
    const projector = makeProjector('acme-dev', { batchSize: 200 });
    projector.start();
    const events = syntheticEvents('acme-dev', 20_000, { seed: 3 });
    let published = 0;
    // What the publisher and the projector had done when the connection dropped.
    const atDisconnect = new Promise<{ published: number; projected: number }>(resolve => {
      (async () => {
        for await (const status of nc.status()) {
          if (status.type === 'disconnect') {
            resolve({ published, projected: projector.lastSequence() });
            return;
          }
        }
      })().catch(() => undefined);
    });
    const load = (async () => {
      for (let i = 0; i < events.length; i += 1000) {
        // The second half goes out while the server is down or coming back.
        if (i === events.length / 2) await atDisconnect;
        await publisher.publish(events.slice(i, i + 1000));
        published = i + 1000;
      }
    })();
    await projector.whenAt(3000);
    await server.restart();
    await load;
    await projector.whenAt(await lastSequence());
    expect(await storedReadModel(js, 'acme-dev')).toEqual(expectedReadModel(await foldStream(js, 'acme', 'acme-dev')));
    expect(projector.lastSequence()).toBe(await lastSequence());
    // The restart hit work in flight: events still to publish, and the projector mid-stream.
    const inFlight = await atDisconnect;
    expect(inFlight.published).toBeLessThan(events.length);
    expect(inFlight.projected).toBeGreaterThanOrEqual(3000);
    expect(inFlight.projected).toBeLessThan(events.length);
  });
});
