import { OAuthRequestManager } from '@backstage/core-app-api';
import { mockApis } from '@backstage/test-utils';
import { CatalystAuthClient, CatalystSignInAuthApi } from './CatalystAuthApi';

describe('CatalystAuthClient', () => {
  const microsoftAuthApi = {} as CatalystSignInAuthApi;
  const create = () =>
    CatalystAuthClient.create({
      configApi: mockApis.config({ data: { auth: { environment: 'development' } } }),
      discoveryApi: mockApis.discovery({ baseUrl: 'http://localhost:7007' }),
      oauthRequestApi: new OAuthRequestManager(),
      microsoftAuthApi,
    });
  let opened: string[];
  beforeEach(() => {
    opened = [];
    // jsdom has no popups: record where the sign-in would open one, and say it was blocked
    jest.spyOn(window, 'open').mockImplementation(url => {
      opened.push(String(url));
      return null;
    });
  });
  afterEach(() => jest.restoreAllMocks());

  it("hands out the app's Microsoft client for `microsoft`", () => {
    expect(create().forProvider('microsoft')).toBe(microsoftAuthApi);
  });

  it('keeps one client per provider, so a tab refreshes each session in one place', () => {
    const clients = create();
    expect(clients.forProvider('oidc')).toBe(clients.forProvider('oidc'));
    expect(clients.forProvider('oidc-acme')).not.toBe(clients.forProvider('oidc'));
  });

  it.each([
    ['oidc', 'the Sovereign’s issuer'],
    ['oidc-acme', 'acme’s own issuer'],
  ])('signs in with %s (%s) at its own backend route, asking for the groups', async providerId => {
    const failure = await create()
      .forProvider(providerId)
      .getBackstageIdentity({ instantPopup: true })
      .catch((e: Error) => e);
    expect((failure as Error).name).toBe('PopupRejectedError');
    expect(opened).toHaveLength(1);
    const url = new URL(opened[0]);
    expect(`${url.origin}${url.pathname}`).toBe(`http://localhost:7007/api/auth/${providerId}/start`);
    expect(url.searchParams.get('env')).toBe('development');
    expect(url.searchParams.get('scope')?.split(' ').sort()).toEqual(['email', 'groups', 'openid', 'profile']);
  });
});
