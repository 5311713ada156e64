import { createApp } from '@backstage/frontend-defaults';
import { createFrontendModule } from '@backstage/frontend-plugin-api';
import { SignInPageBlueprint } from '@backstage/plugin-app-react';

/**
 * Catalyst's sign-in page in place of the app plugin's default (guest only): the providers of
 * `catalyst.signIn.providers` — the local identity provider, Keycloak, Azure AD, the guest — with
 * sign-out ending the identity provider's session. Its provider clients are catalyst-frontend's
 * `api:catalyst/auth`, installed with the rest of the plugin by feature discovery. The sign-in page
 * is an input only the app plugin may fill, hence a module of `app` replacing `sign-in-page:app`.
 */
const catalystSignIn = createFrontendModule({
  pluginId: 'app',
  extensions: [
    SignInPageBlueprint.make({
      params: {
        loader: async () => {
          const { CatalystSignInPage } = await import('@internal/plugin-catalyst-frontend');
          return props => <CatalystSignInPage {...props} />;
        },
      },
    }),
  ],
});

/**
 * The Catalyst portal on Backstage's new frontend system. No plugin is listed here: the CLI finds
 * every frontend plugin this package depends on that exports `/alpha` (catalyst-frontend among
 * them) and the app installs them because `app.packages` is `all` (app-config.yaml beside this).
 */
export default createApp({ features: [catalystSignIn] });
