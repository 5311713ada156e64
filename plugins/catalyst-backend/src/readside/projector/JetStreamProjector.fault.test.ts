import { ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import { KV_KEYS } from '@internal/plugin-catalyst-common';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { connectTestNats, retrying, syntheticEvents } from '../__testUtils__/events';
import { expectedReadModel, foldStream, storedReadModel } from '../__testUtils__/kv';
import { JetStreamEventPublisher } from '../publishers/JetStreamEventPublisher';
import { JetStreamStreams } from '../streams/JetStreamStreams';
import { waitFor } from '../__testUtils__/waitFor';
import { JetStreamProjector } from './JetStreamProjector';

jest.setTimeout(150_000);

const PACKAGE_ROOT = resolve(__dirname, '../../..');
const SUCRASE_NODE = resolve(PACKAGE_ROOT, '../../node_modules/.bin/sucrase-node');
const CHILD = resolve(__dirname, '../__testUtils__/projectorChild.ts');

/** A projector in its own process; `at` is the last cursor it reported. */
class ProjectorProcess {
  at = 0;
  private readonly child: ChildProcess;
  private readonly ready: Promise<void>;
  private readonly exited: Promise<void>;

  constructor(url: string) {
    this.child = spawn(SUCRASE_NODE, [CHILD, url, 'acme', 'acme-dev', '500'], {
      cwd: PACKAGE_ROOT,
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    this.exited = new Promise(r => this.child.once('exit', () => r()));
    this.ready = new Promise((resolveReady, reject) => {
      let buffer = '';
      this.child.stdout!.on('data', chunk => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line === 'ready') resolveReady();
          const at = /^at (\d+)$/.exec(line);
          if (at) this.at = Number(at[1]);
        }
      });
      this.child.once('exit', code => reject(new Error(`projector child exited with ${code} before ready`)));
    });
  }

  whenReady() {
    return this.ready;
  }

  async kill() {
    this.child.kill('SIGKILL');
    await this.exited;
  }
}

describe('JetStreamProjector under SIGKILL', () => {
  let server: TestNatsServer;
  let nc: NatsConnection;
  let js: JetStreamClient;
  let jsm: JetStreamManager;
  let child: ProjectorProcess | undefined;
  const logger = mockServices.logger.mock();

  beforeAll(async () => {
    server = await startTestNatsServer();
    nc = await connectTestNats(server.url);
    js = jetstream(nc);
    jsm = await jetstreamManager(nc);
  });

  afterAll(async () => {
    await child?.kill();
    await nc.close();
    await server.dispose();
  });

  it('ends equal to the pure fold of the stream after kills at random points while 100,000 events flow', async () => {
    const streams = JetStreamStreams.create({ jsm, logger });
    const publisher = JetStreamEventPublisher.create({ js, logger, ensureStream: org => streams.ensure(org) });
    const total = 100_000;
    const events = syntheticEvents('acme-dev', total, { seed: 11 });
    let published = 0;
    let kills = 0;
    // ~8,000 events/s, so the kills below land while events are still arriving. The pace decides on
    // a normal run; the cap of (kills + 4) eighths of the events only holds the load back when the
    // children start slowly, so that at least four are killed with events still to come.
    const started = Date.now();
    const load = (async () => {
      for (let i = 0; i < events.length; i += 1000) {
        while (published >= (total * (kills + 4)) / 8) await new Promise(r => setTimeout(r, 20));
        await publisher.publish(events.slice(i, i + 1000));
        published += 1000;
        const ahead = started + published / 8 - Date.now();
        if (ahead > 0) await new Promise(r => setTimeout(r, ahead));
      }
    })();

    // Kill at random moments while events flow; each process resumes where the last one's KV says.
    const progress: number[] = [];
    let seed = 42;
    const random = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let kill = 0; kill < 12 && published < total; kill++) {
      child = new ProjectorProcess(server.url);
      await child.whenReady();
      // Killed only once it has committed something of its own (a slow start is not a data point).
      const before = progress.length ? Math.max(...progress) : 0;
      const running = child;
      await waitFor(`child ${kill} to commit past ${before}`, () => running.at > before, 60_000);
      const deadline = Date.now() + 200 + random() * 1000;
      while (Date.now() < deadline) await new Promise(r => setTimeout(r, 10));
      await child.kill();
      progress.push(child.at);
      kills += 1;
      child = undefined;
    }
    await load;
    expect(published).toBe(total);

    // The last restart runs in-process until it has folded the whole stream.
    const lastSequence = (await retrying(() => jsm.streams.info('CATALYST_ACME'))).state.last_seq;
    const projector = JetStreamProjector.create({
      js,
      jsm,
      kvm: new Kvm(js),
      organization: 'acme',
      environment: 'acme-dev',
      logger,
    });
    projector.start();
    await projector.whenAt(lastSequence);
    await projector.stop();

    const stored = await storedReadModel(js, 'acme-dev');
    const folded = await foldStream(js, 'acme', 'acme-dev');
    expect(folded.lastSequence).toBe(total);
    expect(stored[KV_KEYS.cursor]).toEqual({ lastSequence: total });
    expect(stored).toEqual(expectedReadModel(folded));
    // The kills really landed while work was in progress (the children got somewhere, not everywhere).
    expect(Math.max(...progress)).toBeGreaterThan(0);
    expect(progress.filter(at => at < total).length).toBeGreaterThanOrEqual(4);
    process.stdout.write(`projector progress at each SIGKILL: ${progress.join(', ')}\n`);
  });
});
