import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { connectTestNats, podEvent, syntheticEvents } from '../__testUtils__/events';
import { streamName } from '../names';
import { readEnvironmentLog } from '../projector/readEnvironmentLog';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { EventPublishError, EventValidationError, JetStreamEventPublisher } from './JetStreamEventPublisher';

jest.setTimeout(60_000);

describe('JetStreamEventPublisher', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let streams: JetStreamStreams;
  const logger = mockServices.logger.mock();

  const makePublisher = (options: { maxWaitMs?: number; ackTimeoutMs?: number } = {}) =>
    JetStreamEventPublisher.create({
      js,
      logger,
      ensureStream: org => streams.ensure(org),
      forgetStream: org => streams.forget(org),
      ...options,
    });

  const storedIds = async (environment: string) => {
    const ids: string[] = [];
    const decoder = new TextDecoder();
    await readEnvironmentLog({
      js,
      organization: 'acme',
      environment,
      onMessage: (_seq, data) => ids.push(JSON.parse(decoder.decode(data)).id),
    });
    return ids;
  };

  beforeEach(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
    streams = JetStreamStreams.create({ jsm, logger });
  });

  afterEach(async () => {
    await nc.close();
    await server.dispose();
  });

  it('creates the Organization stream with exact per-Environment subjects and de-duplicates by Nats-Msg-Id', async () => {
    const publisher = makePublisher();
    const events = syntheticEvents('acme-dev', 50);
    expect(await publisher.publishCounting(events)).toEqual({ stored: 50, duplicates: 0 });
    expect(await publisher.publishCounting(events.slice(10, 30))).toEqual({ stored: 0, duplicates: 20 });

    const info = await jsm.streams.info(streamName('acme'));
    expect(info.state.messages).toBe(50);
    expect(info.config.subjects).toEqual([
      'ws.acme-dev.>',
      'ws.acme-poc.>',
      'ws.acme-prod.>',
      'ws.acme-stg.>',
      'ws.acme-uat.>',
    ]);
    expect(info.config.duplicate_window).toBe(120 * 1e9);
    expect(await storedIds('acme-dev')).toEqual(events.map(e => e.id));
  });

  it('stores a 5,000-event call complete and in order', async () => {
    const publisher = makePublisher();
    const events = syntheticEvents('acme-prod', 5000);
    await publisher.publish(events);
    // Order and completeness; the throughput of pipelined acks is a benchmark figure, not a test.
    expect(await storedIds('acme-prod')).toEqual(events.map(e => e.id));
  });

  it('rejects an invalid batch as a whole and names the bad event', async () => {
    const publisher = makePublisher();
    const good = podEvent('acme-dev', { namespace: 'a', name: 'p', rv: 1 });
    const bad = { ...podEvent('acme-dev', { namespace: 'a', name: 'q', rv: 2 }), time: 'yesterday' };
    const unknown = { ...good, id: 'u1', type: 'io.catalyst.something.new' };
    await expect(publisher.publish([good, bad])).rejects.toThrow(EventValidationError);
    await expect(publisher.publish([unknown])).rejects.toThrow(/unknown event type io\.catalyst\.something\.new/);
    await expect(publisher.publish([good, bad])).rejects.toMatchObject({
      problems: [expect.objectContaining({ index: 1 })],
    });
    await expect(jsm.streams.info(streamName('acme'))).rejects.toThrow(/stream not found/);
  });

  it('loses nothing and stores nothing twice while nats-server restarts under load', async () => {
    const publisher = makePublisher({ ackTimeoutMs: 1000 });
    await streams.ensure('acme');
    const events = syntheticEvents('acme-stg', 20_000);
    const chunks: Array<typeof events> = [];
    for (let i = 0; i < events.length; i += 500) chunks.push(events.slice(i, i + 500));

    let published = 0;
    const load = (async () => {
      for (const chunk of chunks) {
        await publisher.publish(chunk);
        published += chunk.length;
      }
    })();
    while (published < 4000) await new Promise(r => setTimeout(r, 5));
    await server.restart();
    await load;

    const ids = await storedIds('acme-stg');
    expect(ids.length).toBe(events.length);
    expect(new Set(ids).size).toBe(events.length);
    expect(new Set(ids)).toEqual(new Set(events.map(e => e.id)));
  });

  it('fails after the bounded wait when NATS stays away, naming the events', async () => {
    const publisher = makePublisher({ maxWaitMs: 1500, ackTimeoutMs: 300 });
    await streams.ensure('acme');
    await server.stop();
    const events = syntheticEvents('acme-dev', 3);
    const started = Date.now();
    const error = await publisher.publish(events).then(
      () => undefined,
      e => e,
    );
    expect(error).toBeInstanceOf(EventPublishError);
    expect(error).toMatchObject({ reason: 'timeout', eventIds: events.map(e => e.id) });
    expect(Date.now() - started).toBeLessThan(5000);
    await server.restart();
  });
});
