import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, JetStreamApiCodes, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect, NatsConnection, PermissionViolationError } from '@nats-io/transport-node';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { podEvent } from '../readside/__testUtils__/events';
import {
  BLUEPRINT_USAGE_BUCKET,
  GIT_HEADS_BUCKET,
  LEASE_BUCKET,
  rebuildSubject,
  stateBucketName,
  streamName,
} from '../readside/names';
import { KvLeases } from '../readside/ownership/KvLeases';
import { openStateBucket } from '../readside/projector/KvStateStore';
import { readEnvironmentLog } from '../readside/projector/readEnvironmentLog';
import { JetStreamEventPublisher } from '../readside/publishers/JetStreamEventPublisher';
import { JetStreamStreams } from '../readside/streams/JetStreamStreams';

/**
 * The production example deploy/nats gives each Organization its own NATS account. This starts a
 * real nats-server with that very file (only the port, the store and the passwords are the test's)
 * and shows that each Organization's credentials reach its own subjects, stream and KV buckets and
 * nothing of the other's. The objects are made by the read side's own code, so the account limits
 * and permissions are checked against what the backend really creates.
 */

jest.setTimeout(60_000);

const DEPLOY = resolve(__dirname, '../../../../deploy/nats');
const ORGS = ['acme', 'globex'] as const;
type Org = (typeof ORGS)[number];

// nats-server reads a referenced variable's value as a config value: a password must start with a
// letter (deploy/nats/README.md), or `6f3a…` would be taken for a number and the server refuse to start.
const newPassword = () => `p${randomBytes(16).toString('hex')}`;
const passwords: Record<Org | 'sys', string> = { acme: newPassword(), globex: newPassword(), sys: newPassword() };
const serverEnv = {
  NATS_SYS_PASSWORD: passwords.sys,
  CATALYST_NATS_ACME_PASSWORD: passwords.acme,
  CATALYST_NATS_GLOBEX_PASSWORD: passwords.globex,
};

const other = (org: Org): Org => (org === 'acme' ? 'globex' : 'acme');
/** A Blueprint usage key, `<blueprint>.<environment>.<application>`. */
const usageKey = (org: Org) => `bp-web.${org}-dev.web`;

/** The code of a JetStream API refusal, or the error itself when it is something else. */
async function apiErrorCode(operation: Promise<unknown>): Promise<number | unknown> {
  try {
    await operation;
  } catch (error) {
    return error instanceof JetStreamApiError ? error.code : error;
  }
  return 'no error';
}

/** The PermissionViolationError a request or publish was refused with (nats.js wraps it as the cause). */
async function permissionViolation(operation: Promise<unknown>): Promise<PermissionViolationError> {
  try {
    await operation;
  } catch (error) {
    const found = [error, (error as Error).cause].find(e => e instanceof PermissionViolationError);
    if (found) return found as PermissionViolationError;
    throw error;
  }
  throw new Error('the operation was not refused');
}

describe('NATS accounts per Organization (deploy/nats)', () => {
  let server: TestNatsServer;
  const connections = {} as Record<Org, NatsConnection>;
  const logger = mockServices.logger.mock();

  const connectAs = (org: Org, password = passwords[org]) =>
    connect({ servers: server.url, user: `catalyst-${org}`, pass: password, name: `test-${org}` });

  beforeAll(async () => {
    server = await startTestNatsServer({ configFile: resolve(DEPLOY, 'accounts.conf'), env: serverEnv });
    for (const org of ORGS) {
      const nc = await connectAs(org);
      connections[org] = nc;
      const js = jetstream(nc);
      const kvm = new Kvm(js);
      // What a backend creates for the Organization, with the read side's own code and settings.
      await JetStreamStreams.create({ jsm: await jetstreamManager(nc), logger }).ensure(org, [`${org}-dev`]);
      const state = await openStateBucket(kvm, `${org}-dev`);
      await state.put('application.web', JSON.stringify({ owner: org }));
      await (await kvm.create(BLUEPRINT_USAGE_BUCKET, { history: 1 })).put(usageKey(org), org);
      await (await kvm.create(GIT_HEADS_BUCKET, { history: 1 })).put(`${org}-dev`, org);
      // A long TTL: the lease must outlive the test, which reads it back.
      const leases = await KvLeases.create({ kvm, owner: `replica-${org}`, ttlMs: 600_000 });
      if (!(await leases.tryAcquire(`${org}-dev`))) throw new Error(`no lease on ${org}-dev in a new bucket`);
    }
  });

  afterAll(async () => {
    for (const nc of Object.values(connections)) await nc.close();
    await server?.dispose();
  });

  it('refuses connections without the account password', async () => {
    await expect(connectAs('acme', passwords.globex)).rejects.toThrow(/Authorization Violation/i);
    await expect(connect({ servers: server.url })).rejects.toThrow(/Authorization Violation/i);
  });

  it('runs the production server config with the same accounts file (nats-server -t)', async () => {
    // The cluster config cannot run on one node here (its routes name three pods); -t parses it,
    // its include and the password references, as a node would at start.
    const { stdout, stderr } = await promisify(execFile)(
      'nats-server',
      ['-c', resolve(DEPLOY, 'nats-server.conf'), '-t'],
      { env: { ...process.env, ...serverEnv, NATS_SERVER_NAME: 'nats-0' } },
    );
    expect(`${stdout}${stderr}`).toMatch(/is valid/);
  });

  describe.each(ORGS)('%s credentials', org => {
    const env = `${org}-dev`;
    const foreign = other(org);
    const foreignEnv = `${foreign}-dev`;
    const nc = () => connections[org];

    it("publish events to the Organization's stream and read them back", async () => {
      const js = jetstream(nc());
      const streams = JetStreamStreams.create({ jsm: await jetstreamManager(nc()), logger });
      const publisher = JetStreamEventPublisher.create({
        js,
        logger,
        ensureStream: o => streams.ensure(o),
        forgetStream: o => streams.forget(o),
      });
      const events = [1, 2, 3].map(rv => podEvent(env, { namespace: 'web', name: `web-${rv}`, rv }));
      await publisher.publish(events);

      const ids: string[] = [];
      await readEnvironmentLog({
        js,
        organization: org,
        environment: env,
        onMessage: (_seq, data) => ids.push(JSON.parse(new TextDecoder().decode(data)).id),
      });
      expect(ids).toEqual(expect.arrayContaining(events.map(e => e.id)));
    });

    it("write, read and watch the Organization's KV buckets", async () => {
      const kvm = new Kvm(jetstream(nc()));
      const state = await kvm.open(stateBucketName(env));
      expect((await state.get('application.web'))?.json()).toEqual({ owner: org });

      const watch = await state.watch({ key: 'application.>' });
      await state.put('application.api', JSON.stringify({ owner: org }));
      const seen: string[] = [];
      for await (const entry of watch) {
        seen.push(entry.key);
        if (entry.key === 'application.api') break;
      }
      expect(seen).toEqual(['application.web', 'application.api']);

      const heads = await kvm.open(GIT_HEADS_BUCKET);
      expect((await heads.get(env))?.string()).toBe(org);
    });

    it("answer the Organization's rebuild requests (core request/reply)", async () => {
      const sub = nc().subscribe(rebuildSubject(env), {
        callback: (_e, m) => {
          m.respond('rebuilding');
        },
      });
      const reply = await nc().request(rebuildSubject(env), '', { timeout: 5000 });
      expect(reply.string()).toBe('rebuilding');
      sub.unsubscribe();
    });

    it("cannot subscribe to the other Organization's subjects", async () => {
      for (const subject of [`ws.${foreignEnv}.>`, rebuildSubject(foreignEnv), '>']) {
        const sub = nc().subscribe(subject);
        // The server answers the SUB before the flush's PING: a refusal has arrived by now.
        await nc().flush();
        expect(sub.isClosed()).toBe(true);
        const closedWith = await sub.closed;
        expect(closedWith).toBeInstanceOf(PermissionViolationError);
        expect(closedWith).toMatchObject({ operation: 'subscription', subject });
      }
    });

    it("cannot publish to the other Organization's subjects or KV buckets", async () => {
      const js = jetstream(nc());
      for (const subject of [
        `ws.${foreignEnv}.k8s.pod.web.web-1`,
        `$KV.${stateBucketName(foreignEnv)}.application.web`,
      ]) {
        const refused = await permissionViolation(js.publish(subject, 'forged', { timeout: 5000 }));
        expect(refused).toMatchObject({ operation: 'publish', subject });
      }
      const refused = await permissionViolation(nc().request(rebuildSubject(foreignEnv), '', { timeout: 5000 }));
      expect(refused).toMatchObject({ operation: 'publish', subject: rebuildSubject(foreignEnv) });
    });

    it("cannot see or read the other Organization's stream: it does not exist in this account", async () => {
      const jsm = await jetstreamManager(nc());
      const names: string[] = [];
      for await (const name of jsm.streams.names()) names.push(name);
      // Its own stream and KV buckets (KV_<bucket>) only.
      expect(names.sort()).toEqual(
        [
          streamName(org),
          `KV_${stateBucketName(env)}`,
          `KV_${BLUEPRINT_USAGE_BUCKET}`,
          `KV_${GIT_HEADS_BUCKET}`,
          `KV_${LEASE_BUCKET}`,
        ].sort(),
      );
      expect(await apiErrorCode(jsm.streams.info(streamName(foreign)))).toBe(JetStreamApiCodes.StreamNotFound);
      expect(await apiErrorCode(jetstream(nc()).consumers.get(streamName(foreign)))).toBe(
        JetStreamApiCodes.StreamNotFound,
      );
      expect(await apiErrorCode(jsm.streams.getMessage(streamName(foreign), { seq: 1 }))).toBe(
        JetStreamApiCodes.StreamNotFound,
      );
    });

    it("cannot open or read the other Organization's KV buckets", async () => {
      const kvm = new Kvm(jetstream(nc()));
      // open() binds lazily; the bucket's absence shows at the first read.
      const foreignState = await kvm.open(stateBucketName(foreignEnv));
      expect(await apiErrorCode(foreignState.get('application.web'))).toBe(JetStreamApiCodes.StreamNotFound);
      expect(await apiErrorCode(foreignState.status())).toBe(JetStreamApiCodes.StreamNotFound);
      // The shared read-side buckets have the same names in every account, and each is the
      // account's own: the other Organization's keys and leases are not in it.
      const ownKeys = {
        [BLUEPRINT_USAGE_BUCKET]: [usageKey(org), usageKey(foreign)],
        [GIT_HEADS_BUCKET]: [env, foreignEnv],
        [LEASE_BUCKET]: [env, foreignEnv],
      };
      for (const [bucket, [own, theirs]] of Object.entries(ownKeys)) {
        const kv = await kvm.open(bucket);
        expect(await kv.get(theirs)).toBeNull();
        const keys: string[] = [];
        for await (const key of await kv.keys()) keys.push(key);
        expect(keys).toEqual([own]);
      }
    });
  });
});
