import { PageBlueprint } from '@backstage/frontend-plugin-api';
import StorefrontIcon from '@material-ui/icons/Storefront';
import LayersIcon from '@material-ui/icons/Layers';
import { environmentsRouteRef, rootRouteRef } from '../routes';

// The pages draw their own Backstage header (as in the legacy app), so the app's page header is off.

/**
 * `page:catalyst` at `/catalyst`: the marketplace (`/catalyst/marketplace`, where `/catalyst` leads),
 * the Application page that works before the catalog has the entity
 * (`/catalyst/applications/:environment/:application`) and change requests
 * (`/catalyst/change-requests[/<id>]`, where the backend's notifications link). Its title and icon
 * make the nav item.
 */
export const catalystPage = PageBlueprint.make({
  params: {
    path: '/catalyst',
    routeRef: rootRouteRef,
    title: 'Marketplace',
    icon: <StorefrontIcon fontSize="inherit" />,
    noHeader: true,
    loader: () => import('../components/CatalystPage').then(m => <m.CatalystPage />),
  },
});

/** `page:catalyst/environments` at `/catalyst/environments`: every readable Environment, live. */
export const environmentsPage = PageBlueprint.make({
  name: 'environments',
  params: {
    path: '/catalyst/environments',
    routeRef: environmentsRouteRef,
    title: 'Environments',
    icon: <LayersIcon fontSize="inherit" />,
    noHeader: true,
    loader: () => import('../components/EnvironmentsPage').then(m => <m.EnvironmentsPage />),
  },
});
