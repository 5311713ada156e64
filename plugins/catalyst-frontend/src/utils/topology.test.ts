import { blogApplication, postgresApplication, siteApplication, view } from '../__testUtils__/fixtures';
import { topologyOf } from './topology';

describe('topologyOf', () => {
  it('takes every Application connected to this one, with live status', () => {
    const blog = {
      ...blogApplication,
      dependencies: [
        { alias: 'db', blueprint: 'bp-postgres', application: 'site-postgres', mode: 'existing' as const },
      ],
    };
    const lonely = { ...siteApplication, name: 'lonely', dependencies: [] };
    const { nodes, edges } = topologyOf('site', [siteApplication, blog, postgresApplication, lonely], {
      'site-postgres': view('site-postgres', 'Degraded', { blueprint: 'bp-postgres', version: '1.6.0' }),
    });
    expect(nodes).toEqual([
      { id: 'blog', blueprint: 'bp-static-site', version: '1.1.0', current: false },
      { id: 'site', blueprint: 'bp-static-site', version: '1.2.0', current: true },
      { id: 'site-postgres', blueprint: 'bp-postgres', version: '1.6.0', status: 'Degraded', current: false },
    ]);
    expect(edges).toEqual([
      { from: 'blog', to: 'site-postgres' },
      { from: 'site', to: 'site-postgres' },
    ]);
  });

  it('uses the read model’s dependsOn for Applications Git no longer lists', () => {
    const { edges, nodes } = topologyOf('a', [], { a: view('a', 'Running', { dependsOn: ['b'] }) });
    expect(edges).toEqual([{ from: 'a', to: 'b' }]);
    expect(nodes.map(n => n.id)).toEqual(['a', 'b']);
  });

  it('is the Application alone when nothing connects to it', () => {
    expect(topologyOf('x', [], {})).toEqual({ nodes: [{ id: 'x', current: true }], edges: [] });
  });
});
