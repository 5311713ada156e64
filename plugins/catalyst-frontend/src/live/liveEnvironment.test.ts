import { view } from '../__testUtils__/fixtures';
import { applyLiveEntries, emptyLiveEnvironment } from './liveEnvironment';

describe('applyLiveEntries', () => {
  const empty = emptyLiveEnvironment('acme-dev');

  it('takes the rendered kinds of a snapshot and marks the Environment ready', () => {
    const live = applyLiveEntries(
      empty,
      {
        put: {
          'application.site': view('site', 'Running'),
          'activity.site': [{ id: 'e', type: 't', time: '', summary: 's', actor: null }],
          'changerequest.cr-1': { id: 'cr-1', status: 'open' },
          'environment.summary': { environment: 'acme-dev' },
          'commits.recent': [{ sha: 'a' }],
          'namespace.site': { name: 'site' },
          'kustomization.site': {},
        },
        delete: [],
      },
      true,
    );
    expect(live.ready).toBe(true);
    expect(Object.keys(live.applications)).toEqual(['site']);
    expect(live.activity.site).toHaveLength(1);
    expect(Object.keys(live.changeRequests)).toEqual(['cr-1']);
    expect(live.summary).toEqual({ environment: 'acme-dev' });
    expect(live.commits).toHaveLength(1);
  });

  it('replaces everything on a snapshot and updates on changes, copying only what changed', () => {
    const first = applyLiveEntries(
      empty,
      { put: { 'application.a': view('a', 'Running'), 'application.b': view('b', 'Running') }, delete: [] },
      true,
    );
    const second = applyLiveEntries(first, { put: { 'application.a': view('a', 'Degraded') }, delete: [] });
    expect(second.applications.a.status).toBe('Degraded');
    expect(second.applications.b).toBe(first.applications.b);
    expect(second.activity).toBe(first.activity);
    const third = applyLiveEntries(second, { put: {}, delete: ['application.b', 'environment.summary'] });
    expect(Object.keys(third.applications)).toEqual(['a']);
    const replaced = applyLiveEntries(third, { put: { 'application.c': view('c', 'Paused') }, delete: [] }, true);
    expect(Object.keys(replaced.applications)).toEqual(['c']);
  });

  it('returns the same object when nothing it renders changed', () => {
    const live = applyLiveEntries(empty, { put: {}, delete: [] }, true);
    expect(
      applyLiveEntries(live, { put: { 'namespace.site': {}, 'projector.cursor': {} }, delete: ['application.gone'] }),
    ).toBe(live);
  });

  it('decodes encoded name tokens and skips malformed keys and values', () => {
    const live = applyLiveEntries(
      empty,
      {
        put: {
          'application.my=5Fapp': view('my_app', 'Running'),
          'application.': view('x', 'Running'),
          'application.bad=zz': view('y', 'Running'),
          'application.broken': { status: 'Running' },
          'activity.site': { not: 'a list' },
          'environment.summary': 'nope',
        },
        delete: [],
      },
      true,
    );
    expect(Object.keys(live.applications)).toEqual(['my_app']);
    expect(live.activity).toEqual({});
    expect(live.summary).toBeNull();
  });
});
