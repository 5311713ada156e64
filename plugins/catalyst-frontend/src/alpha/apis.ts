import {
  ApiBlueprint,
  configApiRef,
  discoveryApiRef,
  fetchApiRef,
  microsoftAuthApiRef,
  oauthRequestApiRef,
} from '@backstage/frontend-plugin-api';
import { catalystApiRef, CatalystClient } from '../api';
import { catalystLiveApiRef } from '../api/CatalystLiveApi';
import { CatalystLiveClient } from '../api/CatalystLiveClient';
import { catalystAuthApiRef, CatalystAuthClient } from '../signIn';

/** `api:catalyst`: the REST client of `/api/catalyst`. */
export const catalystApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: catalystApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalystClient({ discoveryApi, fetchApi }),
    }),
});

/** `api:catalyst/live`: one instance per app, so one live connection per browser tab. */
export const catalystLiveApi = ApiBlueprint.make({
  name: 'live',
  params: defineParams =>
    defineParams({
      api: catalystLiveApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalystLiveClient({ discoveryApi, fetchApi }),
    }),
});

/** `api:catalyst/auth`: the sign-in providers' clients, for an app that uses `CatalystSignInPage`. */
export const catalystAuthApi = ApiBlueprint.make({
  name: 'auth',
  params: defineParams =>
    defineParams({
      api: catalystAuthApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        microsoftAuthApi: microsoftAuthApiRef,
      },
      factory: deps => CatalystAuthClient.create(deps),
    }),
});
