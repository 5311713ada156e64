import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import {
  BackstageIdentityResponse,
  configApiRef,
  discoveryApiRef,
  IdentityApi,
  ProfileInfo,
} from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { fireEvent, waitFor, within } from '@testing-library/react';
import { CatalystAuthApi, catalystAuthApiRef, CatalystSignInAuthApi } from './CatalystAuthApi';
import { CatalystSignInPage } from './CatalystSignInPage';
import { LAST_PROVIDER_KEY } from './CatalystSignedInIdentity';

/** A Backstage token that expires in an hour (the sign-in reads only `exp`). */
const token = (sub: string) =>
  [
    Buffer.from('{"alg":"ES256"}').toString('base64url'),
    Buffer.from(JSON.stringify({ sub, exp: Math.floor(Date.now() / 1000) + 3600 })).toString('base64url'),
    'signature',
  ].join('.');

const identityOf = (userEntityRef: string): BackstageIdentityResponse => ({
  token: token(userEntityRef),
  identity: { type: 'user', userEntityRef, ownershipEntityRefs: [userEntityRef] },
});

/**
 * One provider's OAuth client as the page sees it: `signIn` is what the popup ends with (an identity,
 * or the error the popup or backend gives), `session` what a refresh cookie would restore.
 */
class ProviderClient {
  readonly calls: string[] = [];
  signIn: () => Promise<BackstageIdentityResponse> = () => Promise.reject(new Error('no popup expected'));
  session: BackstageIdentityResponse | undefined;
  constructor(private readonly profile: ProfileInfo) {}

  async getBackstageIdentity(options: { optional?: boolean; instantPopup?: boolean } = {}) {
    this.calls.push(options.instantPopup ? 'popup' : 'restore');
    return options.instantPopup ? this.signIn() : this.session;
  }
  async getProfile() {
    return this.profile;
  }
  async getIdToken() {
    return undefined;
  }
  async signOut() {
    this.calls.push('sign-out');
  }
}

/** The catalyst auth API with one client per provider id; which ids the page asked for is recorded. */
class ProviderClients implements CatalystAuthApi {
  readonly asked: string[] = [];
  readonly clients = new Map<string, ProviderClient>();
  client(providerId: string): ProviderClient {
    let client = this.clients.get(providerId);
    if (!client) {
      client = new ProviderClient({ displayName: `someone at ${providerId}` });
      this.clients.set(providerId, client);
    }
    return client;
  }
  forProvider(providerId: string): CatalystSignInAuthApi {
    this.asked.push(providerId);
    return this.client(providerId) as unknown as CatalystSignInAuthApi;
  }
}

/** The `catalyst` config key's value (JSON, as a config file holds it). */
type CatalystConfig = NonNullable<NonNullable<Parameters<typeof mockApis.config>[0]>['data']>;

async function renderPage(
  catalyst: CatalystConfig | undefined,
  clients = new ProviderClients(),
  authBaseUrl = 'http://127.0.0.1:1',
) {
  const signedIn: IdentityApi[] = [];
  const config = mockApis.config({
    data: {
      app: { title: 'Catalyst', baseUrl: 'http://localhost:7007' },
      ...(catalyst ? { catalyst } : {}),
    },
  });
  const rendered = await renderInTestApp(
    <TestApiProvider
      apis={[
        [configApiRef, config],
        [catalystAuthApiRef, clients],
        [discoveryApiRef, mockApis.discovery({ baseUrl: authBaseUrl })],
      ]}
    >
      <CatalystSignInPage onSignInSuccess={identity => signedIn.push(identity)} />
    </TestApiProvider>,
  );
  return { ...rendered, signedIn, clients };
}

describe('CatalystSignInPage', () => {
  beforeEach(() => localStorage.clear());

  it('offers the configured providers, in order', async () => {
    const { findByTestId, getAllByRole } = await renderPage({ signIn: { providers: ['oidc', 'microsoft', 'guest'] } });
    await findByTestId('sign-in-option-oidc');
    const cards = getAllByRole('listitem').map(li => li.getAttribute('data-testid'));
    expect(cards).toEqual(['sign-in-option-oidc', 'sign-in-option-microsoft', 'sign-in-option-guest']);
    expect(within(await findByTestId('sign-in-option-guest')).getByRole('button', { name: 'Enter' })).toBeEnabled();
  });

  it('says so when no provider is configured', async () => {
    const { findByRole } = await renderPage({ signIn: { providers: [] } });
    expect(await findByRole('alert')).toHaveTextContent(
      'No sign-in provider is configured (catalyst.signIn.providers)',
    );
  });

  it('signs in through the popup, remembers the provider, and signs out of it', async () => {
    const clients = new ProviderClients();
    clients.client('oidc').signIn = async () => identityOf('user:acme/ada');
    const { findByTestId, signedIn } = await renderPage(
      { signIn: { providers: ['oidc', 'guest'], endIdentityProviderSession: false } },
      clients,
    );
    fireEvent.click(within(await findByTestId('sign-in-option-oidc')).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(signedIn).toHaveLength(1));
    expect((await signedIn[0].getBackstageIdentity()).userEntityRef).toBe('user:acme/ada');
    expect((await signedIn[0].getProfileInfo()).displayName).toBe('someone at oidc');
    expect(clients.client('oidc').calls).toEqual(['popup']);
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBe('oidc');

    // sign-out ends the provider's session (without a trip to the identity provider, as configured)
    await signedIn[0].signOut();
    expect(clients.client('oidc').calls).toEqual(['popup', 'sign-out']);
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBeNull();
  });

  it('per Organization: the person picks their Organization, then signs in with its provider', async () => {
    const clients = new ProviderClients();
    clients.client('oidc-globex').signIn = async () => identityOf('user:globex/gina');
    const { findByTestId, getByRole, findByRole, signedIn } = await renderPage(
      { keycloakTopology: 'per-organization', signIn: { providers: ['oidc-acme', 'oidc-globex'] } },
      clients,
    );
    const card = await findByTestId('sign-in-option-organizations');
    expect(within(card).getByRole('button', { name: 'Sign in' })).toBeDisabled();
    fireEvent.mouseDown(within(card).getByRole('button', { name: /Organization/ }));
    fireEvent.click(await findByRole('option', { name: 'globex' }));
    fireEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(signedIn).toHaveLength(1));
    expect((await signedIn[0].getBackstageIdentity()).userEntityRef).toBe('user:globex/gina');
    expect(clients.asked).toEqual(['oidc-globex']);
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBe('oidc-globex');
    expect(getByRole('button', { name: /globex/ })).toBeInTheDocument();
  });

  it('says nothing when the person closes the popup, and they can try again', async () => {
    const clients = new ProviderClients();
    clients.client('oidc').signIn = () =>
      Promise.reject(Object.assign(new Error('Login failed, popup was closed'), { name: 'PopupClosedError' }));
    const { findByTestId, queryByRole, signedIn } = await renderPage({ signIn: { providers: ['oidc'] } }, clients);
    const card = await findByTestId('sign-in-option-oidc');
    fireEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(within(card).getByRole('button', { name: 'Sign in' })).toBeEnabled());
    expect(clients.client('oidc').calls).toEqual(['popup']);
    expect(queryByRole('alert')).toBeNull();
    expect(signedIn).toEqual([]);
  });

  it.each([
    ['the backend refused the person', new Error('Request failed with 401 Unauthorized'), 'Request failed with 401'],
    [
      'the browser blocked the popup',
      Object.assign(new Error('Failed to open auth popup.'), { name: 'PopupRejectedError' }),
      'Failed to open auth popup.',
    ],
  ])('shows why the sign-in failed when %s, on its card', async (_name, error, shown) => {
    const clients = new ProviderClients();
    clients.client('microsoft').signIn = () => Promise.reject(error);
    const { findByTestId, signedIn } = await renderPage({ signIn: { providers: ['oidc', 'microsoft'] } }, clients);
    const card = await findByTestId('sign-in-option-microsoft');
    fireEvent.click(within(card).getByRole('button', { name: 'Sign in' }));
    expect(await within(card).findByRole('alert')).toHaveTextContent(`Sign-in failed: ${shown}`);
    expect(within(await findByTestId('sign-in-option-oidc')).queryByRole('alert')).toBeNull();
    expect(signedIn).toEqual([]);
  });

  it('restores the session of the provider last used without a popup', async () => {
    localStorage.setItem(LAST_PROVIDER_KEY, 'oidc');
    const clients = new ProviderClients();
    clients.client('oidc').session = identityOf('user:acme/ada');
    const { signedIn, queryByTestId } = await renderPage({ signIn: { providers: ['oidc', 'guest'] } }, clients);
    await waitFor(() => expect(signedIn).toHaveLength(1));
    expect((await signedIn[0].getBackstageIdentity()).userEntityRef).toBe('user:acme/ada');
    expect(clients.client('oidc').calls).toEqual(['restore']);
    expect(queryByTestId('sign-in-option-oidc')).toBeNull();
  });

  it.each([
    ['its session has ended', 'oidc', ['oidc', 'guest']],
    ['the provider is no longer offered', 'microsoft', ['oidc', 'guest']],
  ])('offers the choice when the provider last used cannot restore: %s', async (_name, remembered, providers) => {
    localStorage.setItem(LAST_PROVIDER_KEY, remembered);
    const { findByTestId, signedIn, clients } = await renderPage({ signIn: { providers } });
    await findByTestId('sign-in-option-oidc');
    expect(signedIn).toEqual([]);
    expect(clients.client('oidc').calls).toEqual(remembered === 'oidc' ? ['restore'] : []);
    expect(clients.asked).not.toContain('microsoft');
  });

  describe('the guest', () => {
    // the backend's guest provider, on loopback: the guest's session comes from its refresh route
    let server: Server;
    let origin: string;
    const refreshed: string[] = [];
    let guestAnswer = { status: 200, body: {} as unknown };

    beforeAll(async () => {
      server = createServer((req, res) => {
        refreshed.push(`${req.url} ${req.headers['x-requested-with']}`);
        res
          .writeHead(guestAnswer.status, {
            'content-type': 'application/json',
            'access-control-allow-origin': req.headers.origin ?? '*',
            'access-control-allow-credentials': 'true',
          })
          .end(JSON.stringify(guestAnswer.body));
      });
      await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>(resolve => server.close(() => resolve())));
    beforeEach(() => {
      refreshed.length = 0;
      guestAnswer = {
        status: 200,
        body: { profile: { displayName: 'Guest' }, backstageIdentity: identityOf('user:default/guest') },
      };
    });

    it('enters as the guest and is remembered', async () => {
      const { findByTestId, signedIn } = await renderPage(
        { signIn: { providers: ['oidc', 'guest'] } },
        new ProviderClients(),
        origin,
      );
      fireEvent.click(within(await findByTestId('sign-in-option-guest')).getByRole('button', { name: 'Enter' }));
      await waitFor(() => expect(signedIn).toHaveLength(1));
      expect((await signedIn[0].getBackstageIdentity()).userEntityRef).toBe('user:default/guest');
      expect(refreshed).toEqual(['/api/auth/guest/refresh XMLHttpRequest']);
      expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBe('guest');
    });

    it('says why when the guest may not enter, and goes back to the choice', async () => {
      guestAnswer = { status: 404, body: { error: { name: 'NotFoundError', message: 'Unknown auth provider' } } };
      localStorage.setItem(LAST_PROVIDER_KEY, 'guest');
      const { findByRole, findByTestId, getByRole } = await renderPage(
        { signIn: { providers: ['oidc', 'guest'] } },
        new ProviderClients(),
        origin,
      );
      expect(await findByRole('alert')).toHaveTextContent('Guest sign-in failed');
      fireEvent.click(getByRole('button', { name: 'Back to sign-in' }));
      expect(await findByTestId('sign-in-option-oidc')).toBeInTheDocument();
      expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBeNull();
    });
  });
});
