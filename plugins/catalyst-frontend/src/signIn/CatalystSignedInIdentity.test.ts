import type { BackstageUserIdentity, IdentityApi, ProfileInfo } from '@backstage/core-plugin-api';
import { waitFor } from '@testing-library/react';
import { CatalystSignedInIdentity, LAST_PROVIDER_KEY } from './CatalystSignedInIdentity';

/** The identity Backstage's sign-in hands over (UserIdentity), recording what sign-out did, in order. */
class RecordingIdentity implements IdentityApi {
  constructor(private readonly calls: string[]) {}
  async getProfileInfo(): Promise<ProfileInfo> {
    return { displayName: 'Ada Okafor', email: 'ada@acme.example' };
  }
  async getBackstageIdentity(): Promise<BackstageUserIdentity> {
    return { type: 'user', userEntityRef: 'user:acme/ada', ownershipEntityRefs: ['user:acme/ada'] };
  }
  async getCredentials(): Promise<{ token?: string }> {
    return { token: 'backstage-token' };
  }
  async signOut(): Promise<void> {
    this.calls.push('backstage sign-out');
  }
}

describe('CatalystSignedInIdentity', () => {
  beforeEach(() => localStorage.setItem(LAST_PROVIDER_KEY, 'oidc'));

  it('is the identity Backstage signed in', async () => {
    const identity = new CatalystSignedInIdentity(new RecordingIdentity([]));
    expect((await identity.getBackstageIdentity()).userEntityRef).toBe('user:acme/ada');
    expect(await identity.getCredentials()).toEqual({ token: 'backstage-token' });
    expect((await identity.getProfileInfo()).email).toBe('ada@acme.example');
    // no ID token from an identity without one (the guest's)
    expect(await identity.getIdToken()).toBeUndefined();
  });

  it('signs out at the identity provider too: finds where before Backstage drops the ID token, then goes there', async () => {
    const calls: string[] = [];
    const navigated: string[] = [];
    const identity = new CatalystSignedInIdentity(
      new RecordingIdentity(calls),
      async () => {
        calls.push('end session found');
        return 'http://localhost:7009/realms/catalyst/protocol/openid-connect/logout?id_token_hint=t';
      },
      url => navigated.push(url),
    );
    let settled = false;
    identity.signOut().finally(() => {
      settled = true;
    });
    await waitFor(() => expect(navigated).toHaveLength(1));
    expect(calls).toEqual(['end session found', 'backstage sign-out']);
    expect(navigated[0]).toBe('http://localhost:7009/realms/catalyst/protocol/openid-connect/logout?id_token_hint=t');
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBeNull();
    // the page is leaving for the identity provider: the app must not go on to its start page
    await Promise.resolve();
    expect(settled).toBe(false);
  });

  it('ends the Backstage session only when the identity provider has no end-session endpoint', async () => {
    const calls: string[] = [];
    const navigated: string[] = [];
    const identity = new CatalystSignedInIdentity(
      new RecordingIdentity(calls),
      async () => undefined,
      url => navigated.push(url),
    );
    await identity.signOut();
    expect(calls).toEqual(['backstage sign-out']);
    expect(navigated).toEqual([]);
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBeNull();
  });

  it('still signs out of Backstage when finding the end-session endpoint fails', async () => {
    const calls: string[] = [];
    const navigated: string[] = [];
    const identity = new CatalystSignedInIdentity(
      new RecordingIdentity(calls),
      () => Promise.reject(new Error('the identity provider is down')),
      url => navigated.push(url),
    );
    await identity.signOut();
    expect(calls).toEqual(['backstage sign-out']);
    expect(navigated).toEqual([]);
  });

  it('ends the Backstage session only for a provider without RP-initiated logout (the guest)', async () => {
    const calls: string[] = [];
    await new CatalystSignedInIdentity(new RecordingIdentity(calls)).signOut();
    expect(calls).toEqual(['backstage sign-out']);
    expect(localStorage.getItem(LAST_PROVIDER_KEY)).toBeNull();
  });
});
