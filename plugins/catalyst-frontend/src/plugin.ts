import {
  configApiRef,
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
  microsoftAuthApiRef,
  oauthRequestApiRef,
} from '@backstage/core-plugin-api';
import { catalystApiRef, CatalystClient } from './api';
import { catalystLiveApiRef } from './api/CatalystLiveApi';
import { CatalystLiveClient } from './api/CatalystLiveClient';
import { changeRequestRouteRef, installTemplateRouteRef, rootRouteRef } from './routes';
import { catalystAuthApiRef, CatalystAuthClient } from './signIn';

export const catalystPlugin = createPlugin({
  id: 'catalyst',
  apis: [
    createApiFactory({
      api: catalystApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalystClient({ discoveryApi, fetchApi }),
    }),
    // one instance per app, so one live connection per browser tab
    createApiFactory({
      api: catalystLiveApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalystLiveClient({ discoveryApi, fetchApi }),
    }),
    // the sign-in providers' clients, for CatalystSignInPage (one per provider per app)
    createApiFactory({
      api: catalystAuthApiRef,
      deps: {
        configApi: configApiRef,
        discoveryApi: discoveryApiRef,
        oauthRequestApi: oauthRequestApiRef,
        microsoftAuthApi: microsoftAuthApiRef,
      },
      factory: deps => CatalystAuthClient.create(deps),
    }),
  ],
  routes: {
    root: rootRouteRef,
    changeRequest: changeRequestRouteRef,
  },
  externalRoutes: {
    installTemplate: installTemplateRouteRef,
  },
});

/**
 * `/catalyst`: the marketplace (`/catalyst/marketplace`), the Environments list
 * (`/catalyst/environments`), change requests (`/catalyst/change-requests[/<id>]`) and Git access
 * (`/catalyst/git-access`: personal Git tokens).
 */
export const CatalystPage = catalystPlugin.provide(
  createRoutableExtension({
    name: 'CatalystPage',
    component: () => import('./components/CatalystPage').then(m => m.CatalystPage),
    mountPoint: rootRouteRef,
  }),
);

/** Entity-page contents: lazily loaded, each shows its own loading, error and empty states. */
const entityContent = (name: string, lazy: () => Promise<() => JSX.Element>) =>
  catalystPlugin.provide(createComponentExtension({ name, component: { lazy } }));

/** Blueprint entity page: header, Applications using it, README. */
export const EntityCatalystBlueprintOverviewContent = entityContent('EntityCatalystBlueprintOverviewContent', () =>
  import('./components/BlueprintPages').then(m => m.BlueprintOverviewContent),
);
/** Blueprint entity page: Compare versions. */
export const EntityCatalystBlueprintCompareContent = entityContent('EntityCatalystBlueprintCompareContent', () =>
  import('./components/BlueprintPages').then(m => m.BlueprintCompareContent),
);
/** Environment entity page: policy, Applications by live status, Backing services. */
export const EntityCatalystEnvironmentContent = entityContent('EntityCatalystEnvironmentContent', () =>
  import('./components/EnvironmentPage').then(m => m.EnvironmentContent),
);
export const EntityCatalystApplicationOverviewContent = entityContent('EntityCatalystApplicationOverviewContent', () =>
  import('./components/ApplicationPages').then(m => m.ApplicationOverviewContent),
);
export const EntityCatalystApplicationSettingsContent = entityContent('EntityCatalystApplicationSettingsContent', () =>
  import('./components/ApplicationPages').then(m => m.ApplicationSettingsContent),
);
export const EntityCatalystApplicationTopologyContent = entityContent('EntityCatalystApplicationTopologyContent', () =>
  import('./components/ApplicationPages').then(m => m.ApplicationTopologyContent),
);
/** Application entity page: the Application in every Environment of its Organization, "Copy to …". */
export const EntityCatalystApplicationPromotionContent = entityContent(
  'EntityCatalystApplicationPromotionContent',
  () => import('./components/ApplicationPages').then(m => m.ApplicationPromotionContent),
);
export const EntityCatalystApplicationHistoryContent = entityContent('EntityCatalystApplicationHistoryContent', () =>
  import('./components/ApplicationPages').then(m => m.ApplicationHistoryContent),
);
export const EntityCatalystApplicationManifestsContent = entityContent(
  'EntityCatalystApplicationManifestsContent',
  () => import('./components/ApplicationPages').then(m => m.ApplicationManifestsContent),
);
export const EntityCatalystApplicationEventsContent = entityContent('EntityCatalystApplicationEventsContent', () =>
  import('./components/ApplicationPages').then(m => m.ApplicationEventsContent),
);
