import { catalystLiveApiRef } from './api/CatalystLiveApi';
import { catalystApiRef } from './api';
import { catalystPlugin } from './plugin';
import { catalystAuthApiRef } from './signIn';

describe('catalystPlugin', () => {
  it('provides the REST client, the one live client of the tab, the sign-in providers’ clients, and the install route to bind', () => {
    expect(catalystPlugin.getId()).toBe('catalyst');
    const apis = [...catalystPlugin.getApis()].map(f => f.api.id);
    expect(apis).toEqual([catalystApiRef.id, catalystLiveApiRef.id, catalystAuthApiRef.id]);
    expect(Object.keys(catalystPlugin.externalRoutes)).toEqual(['installTemplate']);
  });
});
