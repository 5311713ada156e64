import { blogApplication, postgresApplication, siteApplication, view } from '../__testUtils__/fixtures';
import { groupApplications } from './groupApplications';

const categories: Record<string, string> = { 'bp-static-site': 'web', 'bp-postgres': 'database', 'bp-redis': 'cache' };
const categoryOf = (b: string) => categories[b];

describe('groupApplications', () => {
  it('puts databases and caches, and anything depended on, into backing services with their users', () => {
    const api = { ...siteApplication, name: 'api', blueprint: 'bp-echo', dependencies: [], dependents: ['site'] };
    const cache = { ...siteApplication, name: 'cache', blueprint: 'bp-redis', dependencies: [], dependents: [] };
    const groups = groupApplications([siteApplication, postgresApplication, api, cache], {}, categoryOf);
    expect(groups.backing.map(a => [a.name, a.usedBy])).toEqual([
      ['api', ['site']],
      ['cache', []],
      ['site-postgres', ['blog', 'site']],
    ]);
    expect(groups.unknown.map(a => a.name)).toEqual(['site']);
  });

  it('groups the rest by live status in badge order, and keeps ones without status apart', () => {
    const groups = groupApplications(
      [siteApplication, blogApplication, { ...siteApplication, name: 'new', dependencies: [] }],
      { site: view('site', 'Degraded'), blog: view('blog', 'Running'), old: view('old', 'Updating') },
      categoryOf,
    );
    expect(groups.byStatus.map(s => [s.status, s.applications.map(a => a.name)])).toEqual([
      ['Running', ['blog']],
      ['Updating', ['old']],
      ['Degraded', ['site']],
    ]);
    expect(groups.unknown.map(a => a.name)).toEqual(['new']);
    // the read model's dependsOn makes a dependency a backing service even without a Git summary
    const live = groupApplications(
      [],
      { a: view('a', 'Running', { dependsOn: ['b'] }), b: view('b', 'Running') },
      categoryOf,
    );
    expect(live.backing.map(a => [a.name, a.usedBy])).toEqual([['b', ['a']]]);
  });

  it('has nothing for an empty Environment', () => {
    expect(groupApplications([], {}, categoryOf)).toEqual({ byStatus: [], unknown: [], backing: [] });
  });
});
