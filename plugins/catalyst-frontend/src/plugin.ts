import {
  createApiFactory,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { catalystApiRef, CatalystClient } from './api';
import { rootRouteRef } from './routes';

export const catalystPlugin = createPlugin({
  id: 'catalyst',
  apis: [
    createApiFactory({
      api: catalystApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) => new CatalystClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: {
    root: rootRouteRef,
  },
});

export const CatalystPage = catalystPlugin.provide(
  createRoutableExtension({
    name: 'CatalystPage',
    component: () => import('./components/CatalystPage').then(m => m.CatalystPage),
    mountPoint: rootRouteRef,
  }),
);
