import log from '../__fixtures__/projection/acme-prod.log.json';
import expectedKv from '../__fixtures__/projection/acme-prod.expected-kv.json';
import { generateEventLog, interleave } from '../__fixtures__/projection/generateEventLog';
import { CatalystEvent } from '../events/catalystEvent';
import { diffKvEntries, environmentSummary, fromKvEntries, KV_KEYS, toKvEntries } from './kv';
import { foldEvent, project, projectWithChanges } from './project';
import { soakObservationFor } from './soak';
import { createEnvironmentState, EnvironmentState } from './state';

interface LogEntry {
  event: unknown;
  expect: string;
  note?: string;
  after?: Record<string, [string, string]>;
}

const entries = log as LogEntry[];

function fold(events: unknown[], start = createEnvironmentState('acme-prod'), firstSeq = 1): EnvironmentState {
  return events.reduce<EnvironmentState>((state, event, i) => project(state, event, firstSeq + i), start);
}

/**
 * Everything a fold must agree on whatever the delivery order. `lastSequence` counts deliveries,
 * and `runningSince` is by design the projector's first observation of Running (DESIGN §7), which
 * a different interleaving may make at a different event; both are compared separately.
 */
function canonicalView(state: EnvironmentState) {
  const applications = Object.fromEntries(
    Object.entries(state.applications).map(([name, app]) => [
      name,
      { ...app, runningSince: app.runningSince ? 'set' : null },
    ]),
  );
  return { ...state, lastSequence: 0, applications };
}

describe('project: replaying the acme-prod fixture log', () => {
  let state = createEnvironmentState('acme-prod');
  const steps = entries.map((entry, i) => {
    const result = projectWithChanges(state, entry.event, i + 1);
    state = result.state;
    return { entry, result, seq: i + 1 };
  });

  it.each(steps.map(s => [`${s.seq}: ${s.entry.note ?? (s.entry.event as CatalystEvent).type}`, s] as const))(
    'event %s',
    (_name, { entry, result, seq }) => {
      const statuses = Object.fromEntries(
        Object.keys(entry.after ?? {}).map(app => [
          app,
          [result.state.applications[app]?.status, result.state.applications[app]?.reason],
        ]),
      );
      expect({ outcome: result.outcome, statuses, lastSequence: result.state.lastSequence }).toEqual({
        outcome: entry.expect,
        statuses: entry.after ?? {},
        lastSequence: seq,
      });
    },
  );

  it('ends in the expected KV entries', () => {
    expect(toKvEntries(state)).toEqual(expectedKv);
  });

  it('applying every change set to an empty bucket gives the same entries as a full snapshot', () => {
    const bucket: Record<string, unknown> = {};
    for (const { result } of steps) {
      Object.assign(bucket, result.changes.put);
      for (const key of result.changes.delete) delete bucket[key];
    }
    expect(bucket).toEqual(toKvEntries(state));
  });

  it('writes only what an event changed', () => {
    const stale = steps.find(s => s.entry.expect === 'stale');
    expect(stale?.result.changes).toEqual({ put: { 'projector.cursor': { lastSequence: stale?.seq } }, delete: [] });
    const crash = steps.find(s => s.entry.note?.startsWith('wordpress Degraded'));
    expect(Object.keys(crash?.result.changes.put ?? {}).sort()).toEqual([
      'application.marketing-site',
      'environment.summary',
      'namespace.marketing-site',
      'projector.cursor',
    ]);
  });

  it('rejects a malformed event with paths, and still advances the sequence', () => {
    const rejected = steps.find(s => s.entry.expect === 'rejected');
    expect(rejected?.result.issues.map(i => i.path)).toEqual(['time']);
    expect(rejected?.result.state.lastSequence).toBe(rejected?.seq);
  });

  it('keeps the soak clock through pod churn and restarts it after a crash loop or a new revision', () => {
    const since = (note: string) =>
      steps.find(s => s.entry.note === note)?.result.state.applications['marketing-site'].runningSince;
    expect(since('wordpress Running')).toBe('2026-11-20T09:02:10.000Z');
    expect(since('back to Pending approval')).toBe('2026-11-22T11:40:01.000Z');
    expect(since('node drained')).toBe('2026-11-22T11:40:01.000Z');
    expect(since('wordpress Running 1.4.0')).toBe('2026-11-24T14:06:20.000Z');
    expect(since('an unrelated commit leaves wordpress Running')).toBe('2026-11-24T14:06:20.000Z');
    expect(soakObservationFor(state, 'marketing-site')).toEqual({
      blueprint: 'bp-wordpress',
      version: '1.4.0',
      valuesDigest: 'sha256:d3',
      runningSince: '2026-11-24T14:06:20.000Z',
    });
    expect(soakObservationFor(state, 'no-such-app')).toBeNull();
  });

  it('is a no-op when the same log is replayed with the same sequences', () => {
    const again = fold(
      entries.map(e => e.event),
      state,
      1,
    );
    expect(again).toBe(state);
  });

  it('changes nothing but the cursor when the log is re-published with new sequences', () => {
    const again = fold(
      entries.map(e => e.event),
      state,
      state.lastSequence + 1,
    );
    expect({ ...again, lastSequence: 0 }).toEqual({ ...state, lastSequence: 0 });
  });

  it('round-trips through KV entries and resumes identically', () => {
    const half = fold(entries.slice(0, 30).map(e => e.event));
    const { state: restored, issues } = fromKvEntries('acme-prod', JSON.parse(JSON.stringify(toKvEntries(half))));
    expect(issues).toEqual([]);
    expect(restored).toEqual(half);
    const resumed = fold(
      entries.slice(30).map(e => e.event),
      restored,
      31,
    );
    expect(resumed).toEqual(state);
  });

  it('does not modify the state it is given', () => {
    const before = JSON.stringify(state);
    projectWithChanges(state, entries[20].event, state.lastSequence + 1);
    expect(JSON.stringify(state)).toBe(before);
  });
});

describe('project: the Environment summary knows its Organization and env type (issue 11)', () => {
  const identity = (state: EnvironmentState) => {
    const { organization, envType, createdAt } = environmentSummary(state);
    return { organization, envType, createdAt };
  };
  const withoutCreated = entries.slice(1).map(e => e.event);

  it('from the name, for an Environment whose stream has no environment.created (seeded ones)', () => {
    expect((entries[0].event as CatalystEvent).type).toBe('io.catalyst.environment.created');
    const state = fold(withoutCreated);
    expect(identity(state)).toEqual({ organization: 'acme', envType: 'prod', createdAt: null });
    expect(toKvEntries(state)[KV_KEYS.summary]).toMatchObject({ organization: 'acme', envType: 'prod' });
  });

  it('with the creation time once environment.created is folded, wherever it comes in the stream', () => {
    const state = fold([...withoutCreated, entries[0].event]);
    expect(identity(state)).toEqual({ organization: 'acme', envType: 'prod', createdAt: '2026-11-20T08:00:00Z' });
  });

  it("from the events' envelope for a name that does not parse", () => {
    const event = { ...(entries[1].event as CatalystEvent), catalystenv: 'acme-legacy_env' };
    const start = createEnvironmentState('acme-legacy_env');
    expect(identity(start)).toEqual({ organization: null, envType: null, createdAt: null });
    const result = projectWithChanges(start, event, 1);
    expect(identity(result.state)).toEqual({ organization: 'acme', envType: 'legacy_env', createdAt: null });
    expect(result.changes.put[KV_KEYS.summary]).toMatchObject({ organization: 'acme', envType: 'legacy_env' });
  });

  it('keeps them when a summary written before this fix (with nulls) is loaded', () => {
    const entriesWithNulls = JSON.parse(JSON.stringify(toKvEntries(fold(withoutCreated))));
    Object.assign(entriesWithNulls[KV_KEYS.summary], { organization: null, envType: null });
    const { state } = fromKvEntries('acme-prod', entriesWithNulls);
    expect(identity(state)).toEqual({ organization: 'acme', envType: 'prod', createdAt: null });
  });
});

describe('project: sequences', () => {
  const created = entries[0].event;

  it.each([
    ['zero', 0],
    ['negative', -3],
    ['fractional', 1.5],
    ['not a number', Number.NaN],
  ])('rejects a %s sequence without touching the state', (_name, seq) => {
    const start = createEnvironmentState('acme-prod');
    const result = projectWithChanges(start, created, seq);
    expect([result.outcome, result.state]).toEqual(['rejected', start]);
  });

  it('treats a sequence at or below lastSequence as a duplicate', () => {
    const once = project(createEnvironmentState('acme-prod'), created, 5);
    const result = projectWithChanges(once, created, 5);
    expect([result.outcome, result.state, result.changes]).toEqual(['duplicate', once, { put: {}, delete: [] }]);
  });
});

describe('project: change requests', () => {
  const cr = (type: string, data: Record<string, unknown>, id: string) => ({
    specversion: '1.0',
    id,
    source: 'catalyst/change-requests',
    type,
    subject: 'change-request/cr-9',
    time: '2026-11-24T10:00:00Z',
    catalystorg: 'acme',
    catalystenv: 'acme-prod',
    data: { id: 'cr-9', ...data },
  });
  const opened = (destinationEnvironment: string) =>
    cr('io.catalyst.change-request.opened', { application: 'shop', destinationEnvironment, author: 'layla' }, 'e-open');
  const approved = cr('io.catalyst.change-request.approved', { approver: 'omar' }, 'e-approve');
  const closed = cr('io.catalyst.change-request.closed', { reason: 'superseded' }, 'e-close');

  it.each([
    ['opened for this Environment shows Pending approval', [opened('acme-prod')], 'open', 'Pending approval'],
    ['opened for another Environment is ignored', [opened('acme-stg')], null, null],
    ['an approval of an unknown change request is ignored', [approved], null, null],
    [
      'closed is final: a re-delivered open does not reopen it',
      [opened('acme-prod'), closed, opened('acme-prod')],
      'closed',
      null,
    ],
  ] as const)('%s', (_name, events, status, appStatus) => {
    const state = fold([...events]);
    expect({
      status: state.changeRequests['cr-9']?.status ?? null,
      app: state.applications.shop?.status ?? null,
    }).toEqual({ status, app: appStatus });
  });

  it('keeps the latest evaluation that changed a verdict, so open pages reload the verdicts', () => {
    const updated = (mergeable: boolean, id: string) =>
      cr('io.catalyst.change-request.updated', { conflicted: false, mergeable }, id);
    const waiting = fold([opened('acme-prod'), updated(false, 'e-1')]);
    expect(waiting.changeRequests['cr-9']).toMatchObject({ status: 'open', mergeable: false, revisedAt: null });
    const passing = project(waiting, updated(true, 'e-2'), waiting.lastSequence + 1);
    expect(passing.changeRequests['cr-9']).toMatchObject({ mergeable: true, conflicted: false });
    expect(passing.activity.shop?.map(a => a.summary)).toContain('change request cr-9 passes every rule of its policy');
    // a closed request keeps what it closed with
    const done = project(passing, closed, passing.lastSequence + 1);
    expect(project(done, updated(false, 'e-3'), done.lastSequence + 1).changeRequests['cr-9']?.mergeable).toBe(true);
  });
});

describe('project: order safety of Kubernetes objects', () => {
  const pod = (rv: number, type = 'io.catalyst.k8s.object.upserted', ns = 'shop') => ({
    specversion: '1.0',
    id: `pod-${rv}-${type}`,
    source: 'catalyst/informer',
    type,
    subject: 'pod/shop/web-1',
    time: '2026-11-24T10:00:00Z',
    catalystorg: 'acme',
    catalystenv: 'acme-prod',
    data: {
      kind: 'Pod',
      object: { metadata: { name: 'web-1', namespace: ns, resourceVersion: String(rv) }, status: { phase: 'Running' } },
    },
  });
  const namespace = (rv: number, type = 'io.catalyst.k8s.object.upserted') => ({
    ...pod(rv, type),
    id: `ns-${rv}-${type}`,
    data: { kind: 'Namespace', object: { metadata: { name: 'shop', resourceVersion: String(rv) } } },
  });
  const DELETE = 'io.catalyst.k8s.object.deleted';
  const pods = (state: EnvironmentState) => Object.keys(state.namespaces.shop?.pods ?? {});

  it.each([
    ['newest version wins', [pod(5), pod(9), pod(7)], ['web-1'], '9'],
    ['a delete followed by a stale modify does not resurrect', [pod(5), pod(9, DELETE), pod(7)], [], null],
    ['a stale modify before the delete arrives changes nothing', [pod(9, DELETE), pod(5)], [], null],
    ['a re-created object after its deletion is kept', [pod(5), pod(9, DELETE), pod(12)], ['web-1'], '12'],
    ['an old delete does not remove a newer object', [pod(12), pod(9, DELETE)], ['web-1'], '12'],
    ['a namespace deletion outdates everything in it', [namespace(3), pod(5), namespace(20, DELETE), pod(8)], [], null],
    [
      'a namespace re-created after deletion takes new objects',
      [namespace(20, DELETE), namespace(25), pod(30)],
      ['web-1'],
      '30',
    ],
  ] as const)('%s', (_name, events, expectedPods, rv) => {
    const state = fold([...events]);
    expect({ pods: pods(state), rv: state.namespaces.shop?.pods['web-1']?.resourceVersion ?? null }).toEqual({
      pods: [...expectedPods],
      rv,
    });
  });

  it('gives the same state for every order of the same object events', () => {
    const events = [namespace(3), pod(5), pod(9), pod(11, DELETE), pod(7), pod(14), pod(13)];
    const reference = canonicalView(fold(events));
    for (let i = 0; i < 30; i++) {
      const shuffled = interleave(
        events.map(e => ({ event: e as unknown as CatalystEvent, orderedSource: null })),
        i + 1,
        2,
      );
      expect(canonicalView(fold(shuffled))).toEqual(reference);
    }
  });
});

describe('project: property — legal interleavings with duplicates fold to the canonical state', () => {
  const seeds = [1, 2, 3, 4, 5, 6, 7, 8];
  it.each(seeds)('seed %i', seed => {
    const generated = generateEventLog({ seed, applications: 5, upgrades: 3, uninstallEvery: 3 });
    const canonical = fold(generated.map(g => g.event));
    for (let round = 0; round < 5; round++) {
      const delivered = interleave(generated, seed * 100 + round, Math.floor(generated.length / 4));
      const folded = fold(delivered);
      expect(canonicalView(folded)).toEqual(canonicalView(canonical));
      // The exposed KV entries agree too (apart from the cursor and the observation time).
      const kv = (s: EnvironmentState) => {
        const { ['projector.cursor']: _cursor, ...rest } = toKvEntries(canonicalView(s));
        return rest;
      };
      expect(kv(folded)).toEqual(kv(canonical));
    }
    // Sanity: the generated log reaches interesting states, so the property is not vacuous.
    const statuses = new Set(Object.values(canonical.applications).map(a => a.status));
    expect(statuses.size).toBeGreaterThan(0);
    expect(Object.keys(canonical.applications).length).toBe(3);
  });

  it('runningSince is the observation time of the canonical order when delivered in order with duplicates', () => {
    const generated = generateEventLog({ seed: 11, applications: 4, upgrades: 2 });
    const canonical = fold(generated.map(g => g.event));
    const withDuplicates = generated.flatMap((g, i) => (i % 5 === 0 ? [g.event, g.event] : [g.event]));
    const folded = fold(withDuplicates);
    expect({ ...folded, lastSequence: 0 }).toEqual({ ...canonical, lastSequence: 0 });
  });
});

describe('foldEvent + one diff per batch (how the projector writes)', () => {
  /**
   * Applies a change set to a KV image, as the projector's writer does: values are copied (JSON),
   * so a reducer that mutated a state in place would leave the image behind and fail the test.
   */
  const apply = (image: Record<string, unknown>, changes: { put: Record<string, unknown>; delete: string[] }) => {
    const next = { ...image, ...(JSON.parse(JSON.stringify(changes.put)) as Record<string, unknown>) };
    for (const key of changes.delete) delete next[key];
    return next;
  };

  it.each([
    [1, 1],
    [2, 7],
    [3, 64],
    [4, 1000],
  ])('seed %i, batches of %i: the KV image after every batch is the image of the folded state', (seed, batchSize) => {
    const generated = generateEventLog({ seed, applications: 6, upgrades: 3, uninstallEvery: 4 });
    const delivered = interleave(generated, seed * 7, Math.floor(generated.length / 5));
    let state = createEnvironmentState('acme-prod');
    let image = JSON.parse(JSON.stringify(toKvEntries(state))) as Record<string, unknown>;
    let perEvent = image;
    let before = state;
    let deletes = 0;
    const outcomes: Array<{ fold: unknown; step: unknown }> = [];
    const images: Array<{ image: unknown; expected: unknown }> = [];
    delivered.forEach((event, i) => {
      const step = projectWithChanges(state, event, i + 1);
      perEvent = apply(perEvent, step.changes);
      deletes += step.changes.delete.length;
      const folded = foldEvent(state, event, i + 1);
      outcomes.push({ fold: [folded.outcome, folded.issues], step: [step.outcome, step.issues] });
      state = folded.state;
      if ((i + 1) % batchSize === 0 || i === delivered.length - 1) {
        image = apply(image, diffKvEntries(before, state));
        images.push({ image, expected: JSON.parse(JSON.stringify(toKvEntries(state))) });
        before = state;
      }
    });
    for (const o of outcomes) expect(o.fold).toEqual(o.step);
    for (const b of images) expect(b.image).toEqual(b.expected);
    // Batching writes the same final entries as writing after every event.
    expect(image).toEqual(perEvent);
    // Not vacuous: the log uninstalls Applications, so keys are deleted along the way (a batch
    // spanning an install and its uninstall nets to no write at all).
    expect(deletes).toBeGreaterThan(0);
  });

  it('stamps runningSince with the time of the event that made the Application Running, also when times alternate', () => {
    const times = ['2026-03-01T10:00:00+01:00', '2026-03-02T10:00:00Z', '2026-03-03T08:30:00.250Z'];
    const events = generateEventLog({ seed: 5, applications: 3, upgrades: 2 }).map((g, i) => ({
      ...(g.event as CatalystEvent),
      time: times[i % times.length],
    }));
    let state = createEnvironmentState('acme-prod');
    const stamped: Array<{ runningSince: string | null; eventTime: string }> = [];
    events.forEach((event, i) => {
      const next = foldEvent(state, event, i + 1).state;
      for (const [name, app] of Object.entries(next.applications)) {
        if (app.runningSince && !state.applications[name]?.runningSince) {
          stamped.push({ runningSince: app.runningSince, eventTime: new Date(Date.parse(event.time)).toISOString() });
        }
      }
      state = next;
    });
    expect(stamped.length).toBeGreaterThan(0);
    for (const s of stamped) expect(s.runningSince).toBe(s.eventTime);
  });
});

describe('project on junk input', () => {
  const junk: unknown[] = [
    undefined,
    null,
    42,
    'event',
    [],
    {},
    { specversion: '1.0' },
    { ...(entries[9].event as object), data: null },
  ];
  it.each(junk.map((value, i) => [i, value] as const))('rejects junk #%i without throwing', (_i, value) => {
    const result = projectWithChanges(createEnvironmentState('acme-prod'), value, 1);
    expect([result.outcome, result.state.lastSequence, result.issues.length > 0]).toEqual(['rejected', 1, true]);
  });
});
