import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import { CatalystEvent, EnvironmentPolicyRule, SoakObservation } from '@internal/plugin-catalyst-common';
import { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { ChangeRequestService } from './ChangeRequestService';
import { ada, changeRequestTestBed, dev, lee, pat, sam, vic } from './__testUtils__/changeRequestTestBed';

/**
 * Change requests end to end below HTTP (see the test bed): opening, approvals, soak, windows,
 * freezes and break-glass, conflicts and rebases, policy changes.
 */
describe('ChangeRequestService', () => {
  const bed = changeRequestTestBed();
  const { at, git, mainHead, branches, promoteSite } = bed;
  let provisioning: ProvisioningService;
  let queries: EnvironmentQueries;
  let service: ChangeRequestService;
  let events: CatalystEvent[];
  let sent: NotificationSendOptions[];
  let soak: Record<string, SoakObservation | null>;

  async function setup(prodRules?: EnvironmentPolicyRule[], options?: { merge?: 'manual' }) {
    ({ provisioning, queries, service, events, sent, soak } = await bed.setup(prodRules, options));
  }

  it('opens a change request for every write to a governed Environment; main stays as it was', async () => {
    await setup();
    const before = mainHead('acme-prod');
    const opened = await provisioning.install(pat, 'acme-prod', {
      application: 'cache',
      blueprint: 'bp-redis',
      idempotencyKey: 'install-cache-1',
    });
    expect(opened).toMatchObject({ action: 'install', environment: 'acme-prod', replayed: false, changed: true });
    expect(opened.changeRequest).toMatchObject({ id: 'cr-1', state: 'open', merged: false });
    expect(mainHead('acme-prod')).toBe(before);
    expect(branches('acme-prod')).toContain('change-requests/cr-1');
    // the branch holds exactly the commit a direct install would have written, authored by pat
    expect(git('acme-prod', 'log', '-1', '--format=%an <%ae>|%s', 'change-requests/cr-1')).toBe(
      'pat <pat@acme.example>|Install cache (bp-redis 2.0.0)',
    );
    expect(git('acme-prod', 'show', 'change-requests/cr-1:applications/cache/application.yaml')).toContain('bp-redis');

    // a retried request answers with the same change request
    const again = await provisioning.install(pat, 'acme-prod', {
      application: 'cache',
      blueprint: 'bp-redis',
      idempotencyKey: 'install-cache-1',
    });
    expect(again).toMatchObject({ replayed: true, changeRequest: { id: 'cr-1' } });

    const cr = await service.get(pat, 'cr-1');
    expect(cr).toMatchObject({ state: 'open', author: 'user:acme/pat', application: 'cache', mergeable: false });
    // the rendered diff: every file the commit writes, with what main has (nothing yet) and what it would have
    expect(cr.files.map(f => [f.path, f.kind, f.before])).toEqual(
      expect.arrayContaining([
        ['applications/cache/application.yaml', 'application', null],
        ['applications/cache/values.yaml', 'values', null],
        ['applications/cache/blueprint/base/deployment.yaml', 'manifest', null],
        ['flux-system/applications/cache.yaml', 'flux', null],
      ]),
    );
    expect(cr.files.find(f => f.kind === 'manifest')?.after).toContain('kind: Deployment');
    expect(cr.evaluation?.verdicts).toEqual([
      expect.objectContaining({
        status: 'pending',
        code: 'awaiting-approval',
        rule: { kind: 'pr-required', index: 0 },
      }),
    ]);
    expect(cr.can.approve).toEqual({ allowed: false, reason: 'authors cannot approve their own change request' });
    // the overview counts it, and a governed Environment is installable for those allowed (by request)
    expect(await queries.get(pat, 'acme-prod')).toMatchObject({
      governed: true,
      canInstall: true,
      openChangeRequests: 1,
    });
    expect(await queries.get(vic, 'acme-prod')).toMatchObject({ canInstall: false });
    // approvers were told
    expect(sent[0].recipients).toMatchObject({
      entityRef: ['group:acme/team-platform', 'group:acme/team-security'],
      excludeEntityRef: ['user:acme/pat'],
    });
    expect(events.map(e => e.type)).toContain('io.catalyst.change-request.opened');

    // the request is not on main yet: configuring what it installs finds nothing to configure
    await expect(provisioning.update(pat, 'acme-prod', 'cache', { values: {} })).rejects.toMatchObject({
      name: 'NotFoundError',
    });
    expect(mainHead('acme-prod')).toBe(before);
  });

  it('needs approvals from the listed teams, refuses self-approval, and merges when the last one arrives', async () => {
    await setup();
    const id = await promoteSite();
    await expect(service.approve(pat, id)).rejects.toMatchObject({
      name: 'NotAllowedError',
      message: 'authors cannot approve their own change request',
    });
    await expect(service.approve(vic, id)).rejects.toMatchObject({ name: 'NotAllowedError' });

    const one = await service.approve(lee, id, 'looks right');
    expect(one.state).toBe('open');
    expect(one.evaluation?.verdicts[0]).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('an approval from team-security'),
    });
    const beforeMerge = mainHead('acme-prod');

    const merged = await service.approve(sam, id);
    expect(merged).toMatchObject({ state: 'merged', merge: { commit: expect.stringMatching(/^[0-9a-f]{40}$/) } });
    const head = mainHead('acme-prod');
    expect(head).toBe(merged.merge!.commit);
    // a merge commit: main before, and the request's branch commit
    expect(git('acme-prod', 'log', '-1', '--format=%P', head).split(' ')).toEqual([beforeMerge, expect.any(String)]);
    const message = git('acme-prod', 'log', '-1', '--format=%B', head);
    expect(message).toContain(`Merge change request ${id}: Promote site 1.0.0 from acme-stg`);
    expect(message).toContain('Approved by: user:acme/lee, user:acme/sam');
    expect(message).toContain(`Catalyst-Change-Request: ${id}`);
    expect(git('acme-prod', 'show', `${head}:applications/site/values.yaml`)).toContain('www.acme.example');
    expect(branches('acme-prod')).not.toContain(`change-requests/${id}`);
    // the author hears of it; the domain events carry the request
    expect(sent.find(n => n.payload.title.startsWith('Merged'))?.recipients).toMatchObject({
      entityRef: ['user:acme/pat'],
    });
    // the merge commit's domain events carry the request (the stg install's do not)
    expect(
      events.filter(e => e.type === 'io.catalyst.application.installed').map(e => [e.catalystenv, e.data]),
    ).toEqual([
      ['acme-stg', expect.not.objectContaining({ changeRequest: expect.anything() })],
      ['acme-prod', expect.objectContaining({ application: 'site', changeRequest: id, commit: head })],
    ]);
    await expect(service.approve(lee, id)).rejects.toMatchObject({ name: 'ConflictError' });
  });

  it('waits for the soak in the source, then merges on the scheduled sweep', async () => {
    await setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ]);
    const id = await promoteSite();
    const cr = await service.get(lee, id);
    // what stg runs, pinned in the request: the soak compares exactly this
    soak['acme-stg'] = {
      blueprint: cr.blueprint!,
      version: cr.version!,
      valuesDigest: cr.valuesDigest!,
      runningSince: '2026-11-23T11:00:00Z',
    };
    const approved = await service.approve(lee, id);
    expect(approved.state).toBe('open');
    expect(approved.evaluation?.verdicts.find(v => v.rule.kind === 'soak')).toMatchObject({ status: 'pending' });

    at('2026-11-24T10:59:00Z'); // 23h59m Running
    await service.evaluateWaiting();
    expect((await service.get(lee, id)).state).toBe('open');

    // a different revision in stg does not count, however long it ran
    soak['acme-stg'] = { ...soak['acme-stg']!, valuesDigest: 'sha256:other', runningSince: '2026-11-01T00:00:00Z' };
    at('2026-11-24T11:01:00Z');
    await service.evaluateWaiting();
    expect((await service.get(lee, id)).evaluation?.verdicts.find(v => v.rule.kind === 'soak')?.status).not.toBe(
      'pass',
    );

    soak['acme-stg'] = { ...soak['acme-stg']!, valuesDigest: cr.valuesDigest!, runningSince: '2026-11-23T11:00:00Z' };
    await service.evaluateWaiting();
    expect((await service.get(lee, id)).state).toBe('merged');
  });

  it('merges only inside the change window, in its time zone, across a DST change', async () => {
    await setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Berlin' },
    ]);
    // Friday 23 October 2026, 06:30 UTC = 08:30 CEST: before the window
    at('2026-10-23T06:30:00Z');
    const id = await promoteSite();
    const approved = await service.approve(lee, id);
    expect(approved.state).toBe('open');
    expect(approved.evaluation?.verdicts.find(v => v.rule.kind === 'change-window')).toMatchObject({
      status: 'pending',
    });
    // 07:30 UTC on Friday is 09:30 CEST: inside
    at('2026-10-23T07:30:00Z');
    await service.evaluateWaiting();
    expect((await service.get(lee, id)).state).toBe('merged');

    // the clocks went back on Sunday 25 October: the same 07:30 UTC on Monday is 08:30 CET, outside
    const second = (await provisioning.update(pat, 'acme-prod', 'site', { values: { domain: 'www2.acme.example' } }))
      .changeRequest!.id;
    at('2026-10-26T07:30:00Z');
    await service.approve(lee, second);
    expect((await service.get(lee, second)).state).toBe('open');
    at('2026-10-26T08:00:00Z'); // 09:00 CET
    await service.evaluateWaiting();
    expect((await service.get(lee, second)).state).toBe('merged');
  });

  it('a freeze blocks merging until lifted, breaking glass too; an org-admin breaks glass past soak with a reason, never past approvals', async () => {
    await setup([
      { kind: 'pr-required', approvers: ['team-platform'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ]);
    await expect(service.freeze(pat, 'acme-prod', 'incident')).rejects.toMatchObject({ name: 'NotAllowedError' });
    expect(await service.freeze(sam, 'acme-prod', 'INC-42 in progress')).toMatchObject({
      frozen: true,
      reason: 'INC-42 in progress',
      by: 'user:acme/sam',
    });
    expect((await queries.get(pat, 'acme-prod')).freeze).toMatchObject({ reason: 'INC-42 in progress' });
    const id = await promoteSite();

    // without approvals, breaking glass is refused: approvals are never bypassed
    await expect(service.merge(ada, id, { reason: 'customer outage, fix must ship now' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: expect.stringContaining('never approvals'),
    });
    await service.approve(lee, id);
    const blocked = await service.get(ada, id);
    expect(blocked.evaluation?.verdicts.map(v => [v.rule.kind, v.status])).toEqual(
      expect.arrayContaining([
        ['pr-required', 'pass'],
        ['soak', 'fail'], // nothing has run in acme-stg yet
        ['freeze', 'fail'],
      ]),
    );
    await expect(service.merge(ada, id)).rejects.toMatchObject({ name: 'ConflictError' });
    await expect(service.merge(lee, id, { reason: 'customer outage, fix must ship now' })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });

    // a freeze is not bypassed by breaking glass: the refusal names it and who may lift it
    const before = mainHead('acme-prod');
    const frozenOut = expect.stringMatching(
      /acme-prod is frozen by user:acme\/sam since .*: INC-42 in progress; .*breaking glass too, until a security officer or an org-admin lifts it/,
    );
    await expect(service.merge(ada, id, { reason: 'customer outage, fix must ship now' })).rejects.toMatchObject({
      name: 'ConflictError',
      message: frozenOut,
    });
    expect((await service.get(ada, id)).can.breakGlass).toEqual({ allowed: false, reason: frozenOut });
    expect(mainHead('acme-prod')).toBe(before);
    expect(sent.some(n => n.payload.title.startsWith('Break-glass'))).toBe(false);

    // lifted: the request is judged without it, and breaking glass passes the soak still failing
    expect(await service.liftFreeze(sam, 'acme-prod')).toEqual({ environment: 'acme-prod', frozen: false });
    expect((await service.get(ada, id)).can.breakGlass).toEqual({ allowed: true });
    const merged = await service.merge(ada, id, { reason: 'customer outage, fix must ship now' });
    expect(merged).toMatchObject({
      state: 'merged',
      breakGlass: { by: 'user:acme/ada', reason: 'customer outage, fix must ship now' },
    });
    expect(git('acme-prod', 'log', '-1', '--format=%B', 'main')).toContain(
      'Catalyst-Break-Glass: user:acme/ada: customer outage, fix must ship now',
    );
    expect(merged.timeline.map(t => t.type)).toEqual(expect.arrayContaining(['break-glass', 'merged']));
    const toOfficers = sent.find(n => n.payload.title === 'Break-glass merge in acme-prod');
    expect(toOfficers?.payload).toMatchObject({ severity: 'critical' });
    expect(toOfficers?.payload.description).toContain('bypassing soak and change windows');
  });

  it('two requests on one Application: merging one conflicts the other, a rebase resets approvals, nothing is lost', async () => {
    await setup([{ kind: 'pr-required', approvers: ['team-platform'] }], { merge: 'manual' });
    const first = await promoteSite('www.acme.example');
    await service.approve(lee, first);
    // manual merging: every rule passes, but it waits for a click
    expect(await service.get(ada, first)).toMatchObject({ state: 'open', mergeable: true, mergeMode: 'manual' });
    expect((await service.merge(ada, first)).state).toBe('merged');

    // one configures the domain, the other upgrades (keeping the values it saw)
    const configure = (await provisioning.update(pat, 'acme-prod', 'site', { values: { domain: 'one.acme.example' } }))
      .changeRequest!.id;
    const upgrade = (await provisioning.update(lee, 'acme-prod', 'site', { version: '1.1.0' })).changeRequest!.id;
    await service.approve(lee, configure);
    await service.approve(ada, upgrade);
    expect((await service.merge(ada, configure)).state).toBe('merged');

    const conflicted = await service.get(lee, upgrade);
    expect(conflicted).toMatchObject({
      state: 'conflicted',
      conflict: { reason: expect.stringContaining('applications/site/values.yaml') },
    });
    expect(conflicted.can.merge.allowed).toBe(false);
    await expect(service.merge(ada, upgrade)).rejects.toMatchObject({ name: 'ConflictError' });

    at('2026-11-23T12:05:00Z');
    const rebased = await service.rebase(lee, upgrade);
    expect(rebased.state).toBe('open');
    // the rendered diff changed (it now keeps one.acme.example): the approval given before is stale
    expect(rebased.approvalsList).toEqual([expect.objectContaining({ user: 'user:acme/ada', stale: true })]);
    expect(rebased.mergeable).toBe(false);
    expect(rebased.files.find(f => f.path === 'applications/site/values.yaml')?.after).toContain('one.acme.example');
    await service.approve(ada, upgrade);
    expect((await service.merge(ada, upgrade)).state).toBe('merged');
    // both changes are on main
    expect(git('acme-prod', 'show', 'main:applications/site/values.yaml')).toContain('one.acme.example');
    expect(git('acme-prod', 'show', 'main:applications/site/application.yaml')).toContain('version: 1.1.0');
    expect(git('acme-prod', 'log', '--merges', '--format=%s', 'main').split('\n')).toEqual([
      expect.stringContaining(`Merge change request ${upgrade}`),
      expect.stringContaining(`Merge change request ${configure}`),
      expect.stringContaining(`Merge change request ${first}`),
    ]);
  });

  it('concurrent merge clicks and approvals merge once', async () => {
    await setup([{ kind: 'pr-required', approvers: ['team-platform'] }], { merge: 'manual' });
    const id = await promoteSite();
    await service.approve(lee, id);
    const before = mainHead('acme-prod');
    const results = await Promise.allSettled([
      service.merge(ada, id),
      service.merge(ada, id),
      service.approve(dev('kim', ['team-platform']), id),
      service.merge(ada, id),
    ]);
    expect(results.filter(r => r.status === 'fulfilled').length).toBeGreaterThanOrEqual(1);
    // the others were refused as conflicts (already merged, or changed meanwhile), nothing else
    const refusals = results.flatMap(r => (r.status === 'rejected' ? [(r.reason as Error).name] : []));
    expect(refusals.filter(name => name !== 'ConflictError')).toEqual([]);
    expect(git('acme-prod', 'rev-list', '--count', `${before}..main`, '--merges')).toBe('1');
    expect((await service.get(ada, id)).state).toBe('merged');
  });

  it('changes to policies/ always need an org-admin: a security officer proposes, an org-admin approves', async () => {
    await setup([{ kind: 'pr-required', approvers: ['team-security'] }]);
    // in an ungoverned Environment too: a security officer's edit is a request
    const staging = await provisioning.updatePolicy(sam, 'acme-stg', {
      rules: [{ kind: 'pr-required', approvers: ['team-platform'] }],
    });
    expect(staging.changeRequest).toBeDefined();
    const stgId = staging.changeRequest!.id;
    expect((await service.get(sam, stgId)).evaluation?.verdicts).toEqual([
      expect.objectContaining({ rule: { kind: 'org-admin-approval', index: null }, status: 'pending' }),
    ]);
    await service.approve(lee, stgId);
    expect((await service.get(sam, stgId)).state).toBe('open');
    expect((await service.approve(ada, stgId)).state).toBe('merged');
    expect(git('acme-stg', 'show', 'main:policies/environment-policy.yaml')).toContain('team-platform');

    // an org-admin writes an ungoverned Environment's policy directly…
    const direct = await provisioning.updatePolicy(ada, 'acme-dev', {
      rules: [{ kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Berlin' }],
    });
    expect(direct.changeRequest).toBeUndefined();
    expect(direct.commit.subject).toBe('Set the EnvironmentPolicy of acme-dev: change-window');
    // …but bad rules are refused naming the field, and nothing is written
    const head = mainHead('acme-dev');
    await expect(
      provisioning.updatePolicy(ada, 'acme-dev', {
        rules: [{ kind: 'change-window', cron: 'not a cron', duration: '8h' }],
      }),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('rules[0].cron') });
    expect(mainHead('acme-dev')).toBe(head);
    await expect(provisioning.updatePolicy(pat, 'acme-dev', { rules: [] })).rejects.toMatchObject({
      name: 'NotAllowedError',
    });
  });

  it('promotes only inside an Organization, to another Environment, an Application the source has', async () => {
    await setup([]);
    await provisioning.install(pat, 'acme-dev', {
      application: 'site',
      blueprint: 'bp-static-site',
      values: { domain: 'a.acme.example' },
    });
    // an ungoverned destination takes the copy as a commit
    const copied = await provisioning.promote(pat, {
      sourceEnvironment: 'acme-dev',
      application: 'site',
      targetEnvironment: 'acme-stg',
    });
    expect(copied).toMatchObject({ action: 'promote', changed: true });
    expect(copied.changeRequest).toBeUndefined();
    expect(git('acme-stg', 'log', '-1', '--format=%s', 'main')).toMatch(/^Promote site 1\.2\.0 from acme-dev$/);
    expect(git('acme-stg', 'show', 'main:applications/site/values.yaml')).toContain('a.acme.example');

    await expect(
      provisioning.promote(pat, { sourceEnvironment: 'acme-dev', application: 'site', targetEnvironment: 'acme-dev' }),
    ).rejects.toMatchObject({ name: 'InputError', message: expect.stringContaining('targetEnvironment') });
    await expect(
      provisioning.promote(pat, { sourceEnvironment: 'acme-dev', application: 'nope', targetEnvironment: 'acme-stg' }),
    ).rejects.toMatchObject({ name: 'NotFoundError' });
    await expect(
      provisioning.promote(vic, { sourceEnvironment: 'acme-dev', application: 'site', targetEnvironment: 'acme-stg' }),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('a rejection closes the request and drops its branch; the author may withdraw', async () => {
    await setup();
    const id = await promoteSite();
    await expect(service.reject(vic, id, 'no')).rejects.toMatchObject({ name: 'NotAllowedError' });
    const rejected = await service.reject(sam, id, 'not this week');
    expect(rejected).toMatchObject({ state: 'rejected', rejection: { by: 'user:acme/sam', reason: 'not this week' } });
    expect(branches('acme-prod')).not.toContain(`change-requests/${id}`);
    expect(sent.some(n => n.payload.title.startsWith('Rejected'))).toBe(true);
    const other = (await provisioning.uninstall(pat, 'acme-prod', 'nothing-here').catch(e => e)) as Error;
    expect(other.name).toBe('NotFoundError');
    const second = (
      await provisioning.promote(pat, {
        sourceEnvironment: 'acme-stg',
        application: 'site',
        targetEnvironment: 'acme-prod',
      })
    ).changeRequest!.id;
    expect((await service.reject(pat, second, 'wrong domain')).state).toBe('rejected');
    expect((await service.list(pat, { environment: 'acme-prod' })).map(c => [c.id, c.state])).toEqual([
      [second, 'rejected'],
      [id, 'rejected'],
    ]);
  });
});
