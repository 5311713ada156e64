import { createExternalRouteRef, createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The plugin's page (`/catalyst` in the app); the marketplace and Environments are its sub-pages. */
export const rootRouteRef = createRouteRef({ id: 'catalyst' });

export const marketplaceRouteRef = createSubRouteRef({
  id: 'catalyst-marketplace',
  parent: rootRouteRef,
  path: '/marketplace',
});

/**
 * `/catalyst/change-requests/:id`: one change request (diff, verdicts, approvals, decisions). The
 * backend's notifications link here, so the path is part of the contract with catalyst-backend.
 */
export const changeRequestRouteRef = createSubRouteRef({
  id: 'catalyst-change-request',
  parent: rootRouteRef,
  path: '/change-requests/:id',
});

/** `/catalyst/change-requests`: the change requests of every readable Environment. */
export const changeRequestsRouteRef = createSubRouteRef({
  id: 'catalyst-change-requests',
  parent: rootRouteRef,
  path: '/change-requests',
});

/**
 * `/catalyst/git-access`: the person's personal Git tokens (create, revoke). Like the Environments
 * list, a page of its own in the new frontend system (its nav item); the legacy app reaches it
 * through `CatalystPage`, so links are built from the root (`GIT_ACCESS_PATH`), which both systems mount.
 */
export const gitAccessRouteRef = createRouteRef({ id: 'catalyst-git-access' });

/** The Git access page's path under the root (`/catalyst`). */
export const GIT_ACCESS_PATH = '/git-access';

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
