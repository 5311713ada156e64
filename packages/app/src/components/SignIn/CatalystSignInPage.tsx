import { SignInPage, SignInProviderConfig } from '@backstage/core-components';
import { configApiRef, microsoftAuthApiRef, SignInPageProps, useApi } from '@backstage/core-plugin-api';
import { oidcAuthApiRef } from '../../apis';

const PROVIDERS: Record<string, 'guest' | SignInProviderConfig> = {
  guest: 'guest',
  oidc: {
    id: 'oidc-auth-provider',
    title: 'Keycloak',
    message: 'Sign in with your organization account',
    apiRef: oidcAuthApiRef,
  },
  microsoft: {
    id: 'microsoft-auth-provider',
    title: 'Microsoft',
    message: 'Sign in with Azure AD',
    apiRef: microsoftAuthApiRef,
  },
};

/**
 * The sign-in page offers exactly the providers of `catalyst.signIn.providers`: guest for the
 * embedded default, Keycloak and/or Azure AD in production.
 */
export function CatalystSignInPage(props: SignInPageProps) {
  const config = useApi(configApiRef);
  const names = config.getOptionalStringArray('catalyst.signIn.providers') ?? ['guest'];
  const providers = names.flatMap(n => (PROVIDERS[n] ? [PROVIDERS[n]] : []));
  return <SignInPage {...props} auto providers={providers} />;
}
