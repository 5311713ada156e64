import { createExternalRouteRef, createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The plugin's page (`/catalyst` in the app); the marketplace and Environments are its sub-pages. */
export const rootRouteRef = createRouteRef({ id: 'catalyst' });

export const marketplaceRouteRef = createSubRouteRef({
  id: 'catalyst-marketplace',
  parent: rootRouteRef,
  path: '/marketplace',
});

/**
 * `/catalyst/environments`. A page of its own in the new frontend system (`/alpha`), where a page's
 * route ref is what gives it a nav item; the legacy app reaches it through `CatalystPage`.
 */
export const environmentsRouteRef = createRouteRef({ id: 'catalyst-environments' });

/**
 * The scaffolder's page of one Template (`scaffolderPlugin.routes.selectedTemplate`): Install goes
 * to the Blueprint's generated Template. Optional: without it, Install links to `/create/templates/…`.
 */
export const installTemplateRouteRef = createExternalRouteRef({
  id: 'catalyst-install-template',
  params: ['namespace', 'templateName'],
  optional: true,
});
