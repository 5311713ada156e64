import { CatalystEvent } from '@internal/plugin-catalyst-common';
import type { ChangeRequestStore } from './ChangeRequestStore';
import { ada, changeRequestTestBed, dev, lee, sam } from './__testUtils__/changeRequestTestBed';

/**
 * Evaluation and merging under the conditions a single happy request does not meet: a merge commit
 * whose record did not follow, racing approvals and clicks, verdicts that flip on a sweep, and
 * status news from a soak's source Environment.
 */
describe('ChangeRequestEvaluator', () => {
  const bed = changeRequestTestBed();
  const updates = (events: CatalystEvent[]) => events.filter(e => e.type === 'io.catalyst.change-request.updated');
  const merges = (events: CatalystEvent[]) => events.filter(e => e.type === 'io.catalyst.change-request.merged');
  /** The process dies once between writing a merge commit and recording it (the record never follows). */
  const dieBeforeTheMergeIsRecorded = (store: ChangeRequestStore) => {
    const update = store.update.bind(store);
    let died = false;
    store.update = async (...args: Parameters<typeof update>) => {
      if (args[2].state === 'merged' && !died) {
        died = true;
        throw new Error('the process died');
      }
      return update(...args);
    };
  };

  it('records a merge commit that reached main without its record as merged, not as a conflict', async () => {
    const { service, store, sent, events } = await bed.setup();
    const id = await bed.promoteSite();
    await service.approve(lee, id);
    // the process dies between writing the merge commit and recording it
    dieBeforeTheMergeIsRecorded(store);
    await expect(service.approve(sam, id)).rejects.toThrow('the process died');
    const head = bed.mainHead('acme-prod');
    expect(bed.git('acme-prod', 'log', '-1', '--format=%B', head)).toContain(`Catalyst-Change-Request: ${id}`);
    expect((await service.get(lee, id)).state).toBe('open');

    // the next sweep finds the commit on main and records the merge, telling everyone once
    await service.evaluateWaiting();
    const cr = await service.get(lee, id);
    expect(cr).toMatchObject({ state: 'merged', merge: { commit: head } });
    expect(cr.conflict).toBeUndefined();
    expect(cr.timeline.map(t => t.type).filter(t => t === 'merged' || t === 'conflicted')).toEqual(['merged']);
    expect(sent.filter(n => n.payload.title.startsWith('Conflict'))).toEqual([]);
    expect(sent.filter(n => n.payload.title.startsWith('Merged')).map(n => n.recipients)).toEqual([
      expect.objectContaining({ entityRef: ['user:acme/pat'] }),
    ]);
    expect(merges(events).map(e => e.data)).toEqual([expect.objectContaining({ id, commit: head })]);
    expect(events.filter(e => e.type === 'io.catalyst.application.installed' && e.catalystenv === 'acme-prod')).toEqual(
      [expect.objectContaining({ data: expect.objectContaining({ changeRequest: id, commit: head }) })],
    );
    expect(bed.branches('acme-prod')).not.toContain(`change-requests/${id}`);
    // and a later sweep has nothing more to say
    const told = sent.length;
    await service.evaluateWaiting();
    expect(sent.length).toBe(told);
  });

  it('records a break-glass merge found on main with who broke glass and why', async () => {
    const { service, store, sent } = await bed.setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ]);
    const id = await bed.promoteSite();
    await service.approve(lee, id);
    dieBeforeTheMergeIsRecorded(store);
    await expect(service.merge(ada, id, { reason: 'customer outage, fix must ship now' })).rejects.toThrow('died');
    await service.evaluateWaiting();
    expect(await service.get(lee, id)).toMatchObject({
      state: 'merged',
      breakGlass: { by: 'user:acme/ada', reason: 'customer outage, fix must ship now' },
    });
    expect(sent.filter(n => n.payload.title === 'Break-glass merge in acme-prod')).toHaveLength(1);
  });

  it('records a Merge click found on main with who clicked it', async () => {
    const { service, store } = await bed.setup([{ kind: 'pr-required', approvers: ['team-platform'] }], {
      merge: 'manual',
    });
    const id = await bed.promoteSite();
    await service.approve(lee, id);
    dieBeforeTheMergeIsRecorded(store);
    await expect(service.merge(ada, id)).rejects.toThrow('died');
    expect(bed.git('acme-prod', 'log', '-1', '--format=%B', 'main')).toContain('Catalyst-Merged-By: user:acme/ada');
    await service.evaluateWaiting();
    expect(await service.get(lee, id)).toMatchObject({ state: 'merged', merge: { by: 'user:acme/ada' } });
  });

  it('a freeze that lands between the evaluation and the merge commit stops the merge', async () => {
    const { service, store } = await bed.setup();
    const id = await bed.promoteSite();
    await service.approve(lee, id);
    const before = bed.mainHead('acme-prod');
    // sam's approval passes every rule (the evaluation reads the freeze first: none); when the merge
    // reads it again under the Environment's writer, sam has just frozen prod in another session
    const getFreeze = store.getFreeze.bind(store);
    let reads = 0;
    let frozen = false;
    store.getFreeze = async (...args: Parameters<typeof getFreeze>) => {
      reads += 1;
      if (reads === 2 && !frozen) {
        frozen = true;
        await service.freeze(sam, 'acme-prod', 'INC-77: database failover');
      }
      return getFreeze(...args);
    };
    await expect(service.approve(sam, id)).rejects.toThrow(
      'acme-prod was frozen meanwhile by user:acme/sam: INC-77: database failover; nothing merged',
    );
    expect(frozen).toBe(true);
    expect(bed.mainHead('acme-prod')).toBe(before);
    expect((await service.get(lee, id)).state).toBe('open');
  });

  it('concurrent last approvals and Merge clicks under automatic merging merge once, without a conflict', async () => {
    const { service, store, sent, events } = await bed.setup();
    const id = await bed.promoteSite();
    const before = bed.mainHead('acme-prod');
    // The first merger is held between its merge commit and its record (where a slow database or
    // another replica would leave it), so the others act exactly in that window, every run.
    const update = store.update.bind(store);
    let release!: () => void;
    const held = new Promise<void>(resolve => (release = resolve));
    let reached!: () => void;
    const atRecord = new Promise<void>(resolve => (reached = resolve));
    let holding = false;
    store.update = async (...args: Parameters<typeof update>) => {
      if (args[2].state === 'merged' && !holding) {
        holding = true;
        reached();
        await held;
      }
      return update(...args);
    };
    const first = Promise.allSettled([service.approve(lee, id), service.approve(sam, id), service.merge(ada, id)]);
    await Promise.race([atRecord, first]);
    expect(holding).toBe(true);
    const during = await Promise.allSettled([
      service.approve(dev('kim', ['team-platform']), id),
      service.merge(ada, id),
      service.evaluateWaiting('acme-prod'),
    ]);
    release();
    const results = [...(await first), ...during];
    // both last approvals counted; a click was early (rules failing), merged, or found it merged
    expect(results.slice(0, 2).map(r => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const refusals = results.flatMap(r => (r.status === 'rejected' ? [(r.reason as Error).name] : []));
    expect(refusals.filter(name => name !== 'ConflictError')).toEqual([]);

    expect(bed.git('acme-prod', 'rev-list', '--count', '--merges', `${before}..main`)).toBe('1');
    const cr = await service.get(ada, id);
    expect(cr).toMatchObject({ state: 'merged', merge: { commit: bed.mainHead('acme-prod') } });
    expect(cr.conflict).toBeUndefined();
    expect(cr.timeline.map(t => t.type).filter(t => t === 'merged' || t === 'conflicted')).toEqual(['merged']);
    expect(sent.filter(n => n.payload.title.startsWith('Merged'))).toHaveLength(1);
    expect(sent.filter(n => n.payload.title.startsWith('Conflict'))).toEqual([]);
    expect(merges(events)).toHaveLength(1);
    expect(updates(events).filter(e => (e.data as { conflicted: boolean }).conflicted)).toEqual([]);
  });

  it('tells open pages when a verdict flips, and says nothing when only the wording moved', async () => {
    const { service, events, soak } = await bed.setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ]);
    const id = await bed.promoteSite();
    const cr = await service.get(lee, id);
    const soakOf = async () => (await service.get(lee, id)).evaluation?.verdicts.find(v => v.rule.kind === 'soak');
    expect(await soakOf()).toMatchObject({ status: 'fail' }); // not Running in stg yet
    const opened = updates(events).length;
    const flip = expect.objectContaining({
      subject: `changerequest/${id}`,
      catalystenv: 'acme-prod',
      data: { id, conflicted: false, mergeable: false },
    });

    // Running in stg since an hour ago: the soak starts (fail → pending)
    soak['acme-stg'] = {
      blueprint: cr.blueprint!,
      version: cr.version!,
      valuesDigest: cr.valuesDigest!,
      runningSince: '2026-11-23T11:00:00Z',
    };
    await service.evaluateWaiting();
    expect(await soakOf()).toMatchObject({ status: 'pending', reason: expect.stringContaining('23h') });
    expect(updates(events).slice(opened)).toEqual([flip]);

    // an hour later only the countdown moved
    bed.at('2026-11-23T13:00:00Z');
    await service.evaluateWaiting();
    expect(await soakOf()).toMatchObject({ status: 'pending', reason: expect.stringContaining('22h') });
    expect(updates(events).length).toBe(opened + 1);

    // a day of Running: the soak passes (still waiting for an approval)
    bed.at('2026-11-24T11:01:00Z');
    await service.evaluateWaiting();
    expect(await soakOf()).toMatchObject({ status: 'pass' });
    expect(updates(events).slice(opened)).toEqual([flip, flip]);
    await service.evaluateWaiting();
    expect(updates(events).length).toBe(opened + 2);

    // a freeze and its lift each flip the verdicts once
    await service.freeze(sam, 'acme-prod', 'INC-9');
    expect(updates(events).length).toBe(opened + 3);
    await service.evaluateWaiting();
    expect(updates(events).length).toBe(opened + 3);
    await service.liftFreeze(sam, 'acme-prod');
    expect(updates(events).length).toBe(opened + 4);
    // each flip has its own id, so the stream's deduplication keeps them all
    expect(new Set(updates(events).map(e => e.id)).size).toBe(updates(events).length);
  });

  it('judges again the requests soaking on an Application when its status in the source changes', async () => {
    const { service, soak } = await bed.setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ]);
    const id = await bed.promoteSite();
    await service.approve(lee, id);
    const cr = await service.get(lee, id);
    expect(cr.evaluation?.verdicts.find(v => v.rule.kind === 'soak')).toMatchObject({ status: 'fail' });

    // the read side now reports it Running in stg for two days
    soak['acme-stg'] = {
      blueprint: cr.blueprint!,
      version: cr.version!,
      valuesDigest: cr.valuesDigest!,
      runningSince: '2026-11-21T12:00:00Z',
    };
    // news of other Applications, or of other Environments, leaves it as it is
    await service.reevaluateForSource('acme-stg', 'another-app');
    await service.reevaluateForSource('acme-dev', 'site');
    expect((await service.get(lee, id)).state).toBe('open');

    await service.reevaluateForSource('acme-stg', 'site');
    expect((await service.get(lee, id)).state).toBe('merged');
  });
});
