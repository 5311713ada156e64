import type { ChangeResponse } from '@internal/plugin-catalyst-common';
import { changeAnswer } from '../api/http';
import { changeRequestTestBed, lee, pat } from './__testUtils__/changeRequestTestBed';

/**
 * Opening change requests: every kind of write to a governed Environment takes the request path,
 * newer promotions supersede older ones (telling their authors), and approvers are reached.
 */
describe('ChangeRequestOpener', () => {
  const bed = changeRequestTestBed();

  /** What the REST edge answers for a write that opened a request: 202, nothing merged. */
  function expectOpened(result: ChangeResponse, action: string) {
    expect(changeAnswer(result).status).toBe(202);
    expect(result).toMatchObject({
      action,
      environment: 'acme-prod',
      changed: true,
      replayed: false,
      changeRequest: { id: expect.stringMatching(/^cr-\d+$/), state: 'open', merged: false },
    });
    return result.changeRequest!.id;
  }

  it('opens a change request for an uninstall, a pause and a rollback; main stays as it was', async () => {
    const { service, provisioning } = await bed.setup([{ kind: 'pr-required', approvers: ['team-platform'] }]);
    const site = await bed.promoteSite();
    expect((await service.approve(lee, site)).state).toBe('merged');
    const merged = bed.mainHead('acme-prod');

    const uninstall = expectOpened(await provisioning.uninstall(pat, 'acme-prod', 'site'), 'uninstall');
    const pause = expectOpened(await provisioning.update(pat, 'acme-prod', 'site', { paused: true }), 'configure');
    const rollback = expectOpened(await provisioning.rollback(pat, 'acme-prod', { commit: merged }), 'rollback');

    expect(bed.mainHead('acme-prod')).toBe(merged);
    const application = (ref: string) => bed.git('acme-prod', 'show', `${ref}:applications/site/application.yaml`);
    expect(application('main')).not.toContain('catalyst.openova.io/paused');
    // each branch holds its change, exactly as the direct write would have committed it
    const files = (id: string) => bed.git('acme-prod', 'ls-tree', '-r', '--name-only', `change-requests/${id}`);
    expect(files(uninstall)).not.toContain('applications/site/');
    expect(files(rollback)).not.toContain('applications/site/');
    expect(application(`change-requests/${pause}`)).toContain('catalyst.openova.io/paused: "true"');
    expect((await service.list(pat, { environment: 'acme-prod', state: 'open' })).map(c => c.id)).toEqual([
      rollback,
      pause,
      uninstall,
    ]);
  });

  it('a newer promotion supersedes the older ones still waiting, telling their author when it is somebody else', async () => {
    const { service, provisioning, sent, events } = await bed.setup();
    const first = await bed.promoteSite();
    const promote = (who: typeof pat) =>
      provisioning
        .promote(who, { sourceEnvironment: 'acme-stg', application: 'site', targetEnvironment: 'acme-prod' })
        .then(r => r.changeRequest!.id);
    const superseded = () => sent.filter(n => n.payload.title.startsWith('Superseded'));

    // pat's own newer copy replaces pat's older one: nobody to tell
    const second = await promote(pat);
    expect(await service.get(pat, first)).toMatchObject({ state: 'superseded' });
    expect(superseded()).toEqual([]);

    // lee's copy replaces pat's: pat hears of it, naming the request that replaced theirs
    const third = await promote(lee);
    expect(await service.get(pat, second)).toMatchObject({ state: 'superseded' });
    expect(superseded()).toEqual([
      expect.objectContaining({
        recipients: expect.objectContaining({ type: 'entity', entityRef: ['user:acme/pat'] }),
        payload: expect.objectContaining({
          title: 'Superseded: Promote site 1.0.0 from acme-stg',
          description: expect.stringContaining(`user:acme/lee opened ${third}`),
          link: `/catalyst/change-requests/${second}`,
        }),
      }),
    ]);
    expect(
      events
        .filter(e => e.type === 'io.catalyst.change-request.closed')
        .map(e => (e.data as { id: string; outcome: string }).id),
    ).toEqual([first, second]);
    expect((await service.get(pat, third)).state).toBe('open');
  });

  it('tells approvers through their teams and, where known, each signed-in member of those teams', async () => {
    const { sent } = await bed.setup(undefined, {
      teamMembers: async group => {
        if (group === 'group:acme/team-platform') throw new Error('identities unavailable');
        return group === 'group:acme/team-security' ? ['user:acme/sso-only', 'user:acme/pat'] : [];
      },
    });
    await bed.promoteSite();
    const needed = sent.filter(n => n.payload.title.startsWith('Approval needed'));
    expect(needed).toHaveLength(1);
    expect(needed[0].recipients).toEqual({
      type: 'entity',
      entityRef: ['group:acme/team-platform', 'group:acme/team-security', 'user:acme/sso-only', 'user:acme/pat'],
      // the author is a member, but is never asked to approve their own change
      excludeEntityRef: ['user:acme/pat'],
    });
  });
});
