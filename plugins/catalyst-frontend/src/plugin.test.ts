import { catalystLiveApiRef } from './api/CatalystLiveApi';
import { catalystApiRef } from './api';
import { catalystPlugin } from './plugin';

describe('catalystPlugin', () => {
  it('provides the REST client and the one live client of the tab, and the install route to bind', () => {
    expect(catalystPlugin.getId()).toBe('catalyst');
    const apis = [...catalystPlugin.getApis()].map(f => f.api.id);
    expect(apis).toEqual([catalystApiRef.id, catalystLiveApiRef.id]);
    expect(Object.keys(catalystPlugin.externalRoutes)).toEqual(['installTemplate']);
  });
});
