import type { BackstageUserIdentity, IdentityApi, ProfileInfo } from '@backstage/core-plugin-api';

/** Where the sign-in page remembers the provider last used, to restore its session on the next visit. */
export const LAST_PROVIDER_KEY = '@internal/plugin-catalyst-frontend:signIn:provider';

/** The identity APIs of Backstage's sign-in still carry these for old plugins; they are passed on. */
type WithLegacy = IdentityApi & {
  getUserId?(): string;
  getIdToken?(): Promise<string | undefined>;
  getProfile?(): ProfileInfo;
};

/**
 * The signed-in person as the app sees them: Backstage's identity from the provider, plus what
 * sign-out must do beyond Backstage's own — forget the remembered provider, and, for OpenID Connect
 * providers, end the session at the identity provider (`endSession` finds where; it must run before
 * Backstage's sign-out, which drops the ID token it needs).
 */
export class CatalystSignedInIdentity implements IdentityApi {
  constructor(
    private readonly inner: WithLegacy,
    private readonly endSession?: () => Promise<string | undefined>,
    private readonly navigate: (url: string) => void = url => window.location.assign(url),
  ) {}

  getProfileInfo(): Promise<ProfileInfo> {
    return this.inner.getProfileInfo();
  }

  getBackstageIdentity(): Promise<BackstageUserIdentity> {
    return this.inner.getBackstageIdentity();
  }

  getCredentials(): Promise<{ token?: string }> {
    return this.inner.getCredentials();
  }

  getUserId(): string {
    if (!this.inner.getUserId) throw new Error('IdentityApi does not implement getUserId');
    return this.inner.getUserId();
  }

  getIdToken(): Promise<string | undefined> {
    return this.inner.getIdToken ? this.inner.getIdToken() : Promise.resolve(undefined);
  }

  getProfile(): ProfileInfo {
    if (!this.inner.getProfile) throw new Error('IdentityApi does not implement getProfile');
    return this.inner.getProfile();
  }

  async signOut(): Promise<void> {
    localStorage.removeItem(LAST_PROVIDER_KEY);
    const endSessionAt = this.endSession ? await this.endSession().catch(() => undefined) : undefined;
    await this.inner.signOut();
    if (!endSessionAt) return;
    this.navigate(endSessionAt);
    // The app goes to its start page once sign-out resolves, which would cancel the navigation to
    // the identity provider: the page is leaving, so this never resolves.
    await new Promise<never>(() => {});
  }
}
