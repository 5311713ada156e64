import { screen, within } from '@testing-library/react';
import { Entity } from '@backstage/catalog-model';
import { OAuthRequestManager } from '@backstage/core-app-api';
import { ApiBlueprint, coreExtensionData, ExtensionDefinition } from '@backstage/frontend-plugin-api';
import { createExtensionTester, mockApis, renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint, EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { FormFieldBlueprint } from '@backstage/plugin-scaffolder-react/alpha';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CATALYST_FIELDS } from '@internal/plugin-catalyst-common';
import catalystFrontendPlugin from '../alpha';
import { catalystApiRef, CatalystClient } from '../api';
import { CatalystLiveClient } from '../api/CatalystLiveClient';
import { catalystLiveApiRef } from '../api/CatalystLiveApi';
import { CatalystAuthApi, catalystAuthApiRef, CatalystAuthClient } from '../signIn';
import { fakeCatalystApi, FakeLiveApi } from '../__testUtils__/fakes';
import {
  applicationEntity,
  blueprintEntity,
  devEnvironment,
  environmentEntity,
  postgresSummary,
  siteChangeRequest,
  staticSiteSummary,
} from '../__testUtils__/fixtures';
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
import { catalystApi, catalystAuthApi, catalystLiveApi } from './apis';
import { formFields } from './formFields';

const component: Entity = { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'web' } };
const entities = {
  Blueprint: blueprintEntity,
  Environment: environmentEntity,
  Application: applicationEntity,
  component,
};

/** The kinds of the given entities an extension's filter function lets through. */
function kindsShown(filter: unknown): string[] {
  expect(typeof filter).toBe('function');
  return Object.entries(entities)
    .filter(([, entity]) => (filter as (e: Entity) => boolean)(entity))
    .map(([kind]) => kind);
}

const PLUGIN_EXTENSIONS = [
  'api:catalyst',
  'api:catalyst/live',
  'api:catalyst/auth',
  'page:catalyst',
  'page:catalyst/environments',
  'page:catalyst/git-access',
  'entity-card:catalyst/blueprint-overview',
  'entity-content:catalyst/blueprint-compare',
  'entity-card:catalyst/environment',
  'entity-card:catalyst/application-overview',
  'entity-content:catalyst/application-settings',
  'entity-content:catalyst/application-topology',
  'entity-content:catalyst/application-promotion',
  'entity-content:catalyst/application-history',
  'entity-content:catalyst/application-manifests',
  'entity-content:catalyst/application-events',
  'scaffolder-form-field:catalyst/environment-picker',
  'scaffolder-form-field:catalyst/application-ref-picker',
  'scaffolder-form-field:catalyst/domain-picker',
  'scaffolder-form-field:catalyst/password',
  'scaffolder-form-field:catalyst/dependency-choice',
  'scaffolder-form-field:catalyst/environment-name-preview',
];

/** Renders an app with the plugin (its own APIs replaced by fakes) at a path. */
function renderAppAt(path: string) {
  const api = fakeCatalystApi({
    listBlueprints: async () => [staticSiteSummary, postgresSummary],
    listEnvironments: async () => [devEnvironment],
    getChangeRequest: async () => siteChangeRequest,
    listGitTokens: async () => [],
    listOrganizations: async () => [],
  });
  const live = new FakeLiveApi();
  live.set('acme-dev', {});
  renderTestApp({
    features: [catalystFrontendPlugin],
    initialRouteEntries: [path],
    // the catalog plugin mounts entity pages in an app; the cards link to them
    mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    apis: [
      [catalystApiRef, api],
      [catalystLiveApiRef, live],
      [permissionApiRef, mockApis.permission({ authorize: AuthorizeResult.ALLOW })],
    ],
  });
  return { api };
}

describe('catalyst /alpha (new frontend system)', () => {
  it('is the catalyst plugin with its APIs, pages, entity parts and scaffolder fields', () => {
    expect(catalystFrontendPlugin.pluginId).toBe('catalyst');
    for (const id of PLUGIN_EXTENSIONS) expect(() => catalystFrontendPlugin.getExtension(id as never)).not.toThrow();
    expect(Object.keys(catalystFrontendPlugin.routes)).toEqual([
      'root',
      'marketplace',
      'environments',
      'changeRequests',
      'changeRequest',
      'gitAccess',
    ]);
    expect(Object.keys(catalystFrontendPlugin.externalRoutes)).toEqual(['installTemplate']);
  });

  it('provides the REST client and the live client as APIs of the app', () => {
    const deps = {
      discoveryApi: { getBaseUrl: async () => 'http://localhost:7007/api/catalyst' },
      fetchApi: { fetch: globalThis.fetch },
    };
    const rest = createExtensionTester(catalystApi).get(ApiBlueprint.dataRefs.factory);
    expect(rest.api.id).toBe(catalystApiRef.id);
    expect(rest.factory(deps)).toBeInstanceOf(CatalystClient);
    const live = createExtensionTester(catalystLiveApi).get(ApiBlueprint.dataRefs.factory);
    expect(live.api.id).toBe(catalystLiveApiRef.id);
    expect(live.factory(deps)).toBeInstanceOf(CatalystLiveClient);
    // the sign-in providers' clients, for an app that uses CatalystSignInPage
    const auth = createExtensionTester(catalystAuthApi).get(ApiBlueprint.dataRefs.factory);
    expect(auth.api.id).toBe(catalystAuthApiRef.id);
    const microsoftAuthApi = {};
    const clients = auth.factory({
      configApi: mockApis.config(),
      discoveryApi: deps.discoveryApi,
      oauthRequestApi: new OAuthRequestManager(),
      microsoftAuthApi,
    }) as CatalystAuthApi;
    expect(clients).toBeInstanceOf(CatalystAuthClient);
    expect(clients.forProvider('microsoft')).toBe(microsoftAuthApi);
  });

  it('serves the marketplace under /catalyst, with its nav item', async () => {
    const { api } = renderAppAt('/catalyst');
    const grid = await screen.findByTestId('blueprint-grid');
    expect(within(grid).getByTestId('blueprint-card-bp-static-site')).toBeInTheDocument();
    expect(within(grid).getByTestId('blueprint-card-bp-postgres')).toBeInTheDocument();
    expect(api.listBlueprints).toHaveBeenCalled();
    const nav = screen.getByRole('navigation');
    expect(within(nav).getByRole('link', { name: 'Marketplace' })).toHaveAttribute('href', '/catalyst');
    expect(within(nav).getByRole('link', { name: 'Environments' })).toHaveAttribute('href', '/catalyst/environments');
    expect(within(nav).getByRole('link', { name: 'Git access' })).toHaveAttribute('href', '/catalyst/git-access');
  });

  it('serves the Environments list at /catalyst/environments', async () => {
    renderAppAt('/catalyst/environments');
    expect(await screen.findByRole('link', { name: 'acme-dev' })).toBeInTheDocument();
  });

  it('serves Git access (personal Git tokens) at /catalyst/git-access', async () => {
    const { api } = renderAppAt('/catalyst/git-access');
    expect(await screen.findByText('No Git tokens yet')).toBeInTheDocument();
    expect(api.listGitTokens).toHaveBeenCalled();
  });

  it('serves a change request at /catalyst/change-requests/<id>, where the notifications link', async () => {
    const { api } = renderAppAt('/catalyst/change-requests/cr-7');
    expect(await screen.findByText(siteChangeRequest.title)).toBeInTheDocument();
    expect(api.getChangeRequest).toHaveBeenCalledWith('cr-7');
  });

  it.each([
    ['Blueprint', blueprintOverviewCard],
    ['Environment', environmentCard],
    ['Application', applicationOverviewCard],
  ] as const)('adds its card to the Overview of %s entities only', (kind, card) => {
    const filter = createExtensionTester(card as ExtensionDefinition<any>).get(
      EntityCardBlueprint.dataRefs.filterFunction,
    );
    expect(kindsShown(filter)).toEqual([kind]);
  });

  it.each([
    ['Blueprint', 'Compare versions', '/compare', blueprintCompareContent],
    ['Application', 'Settings', '/settings', applicationSettingsContent],
    ['Application', 'Topology', '/topology', applicationTopologyContent],
    ['Application', 'Promotion', '/promotion', applicationPromotionContent],
    ['Application', 'History', '/history', applicationHistoryContent],
    ['Application', 'Manifests', '/manifests', applicationManifestsContent],
    ['Application', 'Events', '/events', applicationEventsContent],
  ] as const)('adds to %s entities only the tab %s at %s', (kind, title, path, content) => {
    const tester = createExtensionTester(content as ExtensionDefinition<any>);
    expect(tester.get(coreExtensionData.routePath)).toBe(path);
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe(title);
    expect(kindsShown(tester.get(EntityContentBlueprint.dataRefs.filterFunction))).toEqual([kind]);
  });

  it('registers every field the generated Templates use, each with its validator', async () => {
    const fields = await Promise.all(
      formFields.map(field => {
        // scaffolder-react 1.20's blueprint is typed with an older frontend-plugin-api
        const loader = createExtensionTester(field as ExtensionDefinition<any>).get(
          FormFieldBlueprint.dataRefs.formFieldLoader as any,
        ) as () => Promise<unknown>;
        return loader();
      }),
    );
    // a FormField carries the definition it was made from
    const registered = fields.map(f => f as unknown as { name: string; validation?: unknown });
    expect(registered.map(f => f.name)).toEqual(Object.values(CATALYST_FIELDS));
    expect(registered.every(f => typeof f.validation === 'function')).toBe(true);
  });
});
