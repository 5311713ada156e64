import { createFrontendPlugin } from '@backstage/frontend-plugin-api';
import {
  changeRequestRouteRef,
  changeRequestsRouteRef,
  environmentsRouteRef,
  gitAccessRouteRef,
  installTemplateRouteRef,
  marketplaceRouteRef,
  rootRouteRef,
} from '../routes';
import { catalystApi, catalystAuthApi, catalystLiveApi } from './apis';
import {
  applicationEventsContent,
  applicationHistoryContent,
  applicationManifestsContent,
  applicationOverviewCard,
  applicationPromotionContent,
  applicationSettingsContent,
  applicationTopologyContent,
  blueprintCompareContent,
  blueprintOverviewCard,
  environmentCard,
} from './entity';
import { formFields } from './formFields';
import { catalystPage, environmentsPage, gitAccessPage } from './pages';

/**
 * Catalyst for Backstage's new frontend system, found by feature discovery (`app.packages`). The
 * same components, APIs and routes as the legacy `catalystPlugin`; `installTemplate` is bound in
 * app config (`app.routes.bindings`) to `scaffolder.selectedTemplate`.
 */
export const catalystFrontendPlugin = createFrontendPlugin({
  pluginId: 'catalyst',
  // no plugin icon: each page's own icon is its nav item's
  title: 'Catalyst',
  routes: {
    root: rootRouteRef,
    marketplace: marketplaceRouteRef,
    environments: environmentsRouteRef,
    changeRequests: changeRequestsRouteRef,
    changeRequest: changeRequestRouteRef,
    gitAccess: gitAccessRouteRef,
  },
  externalRoutes: { installTemplate: installTemplateRouteRef },
  extensions: [
    catalystApi,
    catalystLiveApi,
    catalystAuthApi,
    catalystPage,
    environmentsPage,
    gitAccessPage,
    blueprintOverviewCard,
    blueprintCompareContent,
    environmentCard,
    applicationOverviewCard,
    applicationSettingsContent,
    applicationTopologyContent,
    applicationPromotionContent,
    applicationHistoryContent,
    applicationManifestsContent,
    applicationEventsContent,
    ...formFields,
  ],
});
