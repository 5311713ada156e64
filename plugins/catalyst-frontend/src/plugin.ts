import {
  createPlugin,
  createRoutableExtension,
} from '@backstage/core-plugin-api';

import { rootRouteRef } from './routes';

export const catalystPlugin = createPlugin({
  id: 'catalyst',
  routes: {
    root: rootRouteRef,
  },
});

export const CatalystPage = catalystPlugin.provide(
  createRoutableExtension({
    name: 'CatalystPage',
    component: () =>
      import('./components/ExampleComponent').then(m => m.ExampleComponent),
    mountPoint: rootRouteRef,
  }),
);
