import { createDevApp } from '@backstage/dev-utils';
import { catalystPlugin, CatalystPage } from '../src/plugin';

createDevApp()
  .registerPlugin(catalystPlugin)
  .addPage({
    element: <CatalystPage />,
    title: 'Root Page',
    path: '/catalyst',
  })
  .render();
