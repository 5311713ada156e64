import { mockServices } from '@backstage/backend-test-utils';
import { jetstream, JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  blueprintUsageEntries,
  blueprintUsageItems,
  createEnvironmentState,
  diffBlueprintUsage,
  EnvironmentState,
  project,
} from '@internal/plugin-catalyst-common';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { applicationEvents, commitEvent, connectTestNats } from '../__testUtils__/events';
import { KvWriteConflictError } from '../kvCas';
import { KvBlueprintUsage, openBlueprintUsageBucket } from './KvBlueprintUsage';

jest.setTimeout(30_000);

/** The read model of an Environment after installing Applications (the pure fold of their events). */
function stateWith(
  environment: string,
  apps: Array<{ name: string; blueprint?: string; source?: 'catalog' | 'shared-blueprints'; overlay?: string }>,
): EnvironmentState {
  let state = createEnvironmentState(environment);
  let seq = 0;
  apps.forEach((app, i) => {
    const sha = String(i + 1)
      .repeat(40)
      .slice(0, 40);
    for (const event of applicationEvents(environment, app.name, sha, { ...app, rv: 10 * (i + 1) })) {
      state = project(state, event, ++seq);
    }
  });
  return state;
}

describe('KvBlueprintUsage (real nats-server)', () => {
  let server: TestNatsServer;
  const connections: NatsConnection[] = [];
  const views: KvBlueprintUsage[] = [];
  const logger = mockServices.logger.mock();

  /** One replica's view of the usage bucket, on its own connection. */
  const replica = async () => {
    const nc = await connectTestNats(server.url, `usage-${connections.length}`);
    connections.push(nc);
    const js = jetstream(nc);
    const view = await KvBlueprintUsage.create({ kvm: new Kvm(js), js, logger });
    views.push(view);
    view.start();
    return { view, js };
  };

  /** Every record in the bucket, read straight from NATS. */
  const bucket = async (js: JetStreamClient) => {
    const kv = await openBlueprintUsageBucket(new Kvm(js));
    const out: Record<string, unknown> = {};
    for await (const key of await kv.keys()) out[key] = (await kv.get(key))!.json();
    return out;
  };

  beforeEach(async () => {
    server = await startTestNatsServer();
  });

  afterEach(async () => {
    await Promise.all(views.splice(0).map(v => v.stop()));
    await Promise.all(connections.splice(0).map(c => c.close()));
    await server.dispose();
  });

  it("answers on every replica from the records each Environment's writer keeps, for readable Environments only", async () => {
    const a = await replica();
    const b = await replica();
    const dev = stateWith('acme-dev', [
      { name: 'web', overlay: 'large' },
      { name: 'api', blueprint: 'bp-api' },
    ]);
    const prod = stateWith('acme-prod', [{ name: 'web', source: 'shared-blueprints' }]);
    const other = stateWith('beta-dev', [{ name: 'site' }]);
    for (const state of [dev, prod, other]) await a.view.writer(state.environment).reconcile(state);

    // Replica b never wrote anything: it sees what a's writers wrote through the shared bucket.
    const expected = blueprintUsageItems(
      [...Object.values(blueprintUsageEntries(dev)), ...Object.values(blueprintUsageEntries(prod))].filter(
        r => r.blueprint === 'bp-web',
      ),
      { environments: ['acme-dev', 'acme-prod'] },
    );
    await b.view.whenAt(a.view.revision);
    const items = await b.view.usage('bp-web', { environments: ['acme-dev', 'acme-prod'] });
    expect(items).toEqual(expected);
    expect(items.map(i => [i.application.environment, i.application.name, i.application.overlay])).toEqual([
      ['acme-dev', 'web', 'large'],
      ['acme-prod', 'web', undefined],
    ]);
    expect(items[0].live).toMatchObject({ status: 'Running', pods: { ready: 1, total: 1 }, version: '1.0.0' });
    expect(await b.view.usage('bp-web', { environments: ['acme-dev', 'acme-prod'], organization: 'acme' })).toEqual([
      expect.objectContaining({ application: expect.objectContaining({ environment: 'acme-prod' }) }),
    ]);
    expect((await b.view.usage('bp-web', { environments: ['beta-dev'] })).map(i => i.application.name)).toEqual([
      'site',
    ]);
    expect(await b.view.usage('bp-web', { environments: [] })).toEqual([]);
    expect(await b.view.usage('bp-api', { environments: ['acme-dev'] })).toHaveLength(1);

    // A replica that starts later loads the same view.
    const c = await replica();
    expect(await c.view.usage('bp-web', { environments: ['acme-dev', 'acme-prod'] })).toEqual(expected);
  });

  it("follows each batch's changes and removals, and a reconcile repairs what a crash or a stray writer left", async () => {
    const { view, js } = await replica();
    let state = stateWith('acme-dev', [{ name: 'web' }, { name: 'api' }]);
    const writer = view.writer('acme-dev');
    expect(await writer.reconcile(state)).toEqual({ puts: 2, deletes: 0 });
    expect(await writer.reconcile(state)).toEqual({ puts: 0, deletes: 0 });

    // `api` is removed from Git: the batch's diff deletes its record.
    const before = state;
    const removal = commitEvent('acme-dev', 'e'.repeat(40), 'remove api', [{ name: 'api', change: 'removed' }]);
    state = project(state, removal, state.lastSequence + 1);
    await writer.commit(diffBlueprintUsage(before, state));
    expect(Object.keys(await bucket(js))).toEqual(['bp-web.acme-dev.web']);

    // What a crash between a state commit and its usage write, or anything else, leaves behind.
    const kv = await openBlueprintUsageBucket(new Kvm(js));
    await kv.put('bp-web.acme-dev.web', JSON.stringify({ stale: true }));
    await kv.put('bp-gone.acme-dev.ghost', JSON.stringify({ stray: true }));
    await kv.put('bp-web.acme-prod.web', JSON.stringify({ another: 'Environment' }));
    const repairing = view.writer('acme-dev');
    expect(await repairing.reconcile(state)).toEqual({ puts: 1, deletes: 1 });
    expect(await bucket(js)).toEqual({
      ...JSON.parse(JSON.stringify(blueprintUsageEntries(state))),
      // Other Environments' records are their projectors' business.
      'bp-web.acme-prod.web': { another: 'Environment' },
    });
  });

  it('refuses a write from a writer whose revisions are stale (a projector that lost its Environment)', async () => {
    const { view } = await replica();
    const state = stateWith('acme-dev', [{ name: 'web' }]);
    const stale = view.writer('acme-dev');
    await stale.reconcile(createEnvironmentState('acme-dev'));
    const current = view.writer('acme-dev');
    await current.reconcile(state);
    await expect(stale.commit({ put: blueprintUsageEntries(state), delete: [] })).rejects.toBeInstanceOf(
      KvWriteConflictError,
    );
  });
});
