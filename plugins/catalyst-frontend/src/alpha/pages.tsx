import { PageBlueprint } from '@backstage/frontend-plugin-api';
import StorefrontIcon from '@material-ui/icons/Storefront';
import LayersIcon from '@material-ui/icons/Layers';
import VpnKeyIcon from '@material-ui/icons/VpnKey';
import { environmentsRouteRef, GIT_ACCESS_PATH, gitAccessRouteRef, rootRouteRef } from '../routes';

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

/**
 * `page:catalyst/git-access` at `/catalyst/git-access`: the person's personal Git tokens; nav item
 * "Git access". Environment pages link here to make a token for their repo.
 */
export const gitAccessPage = PageBlueprint.make({
  name: 'git-access',
  params: {
    path: `/catalyst${GIT_ACCESS_PATH}`,
    routeRef: gitAccessRouteRef,
    title: 'Git access',
    icon: <VpnKeyIcon fontSize="inherit" />,
    noHeader: true,
    loader: () => import('../components/GitTokens').then(m => <m.GitAccessPage />),
  },
});
