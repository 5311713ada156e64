import { ReactNode } from 'react';
import { Entity } from '@backstage/catalog-model';
import { entityRouteRef, EntityProvider } from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { discoveryApiRef } from '@backstage/core-plugin-api';
import { mockApis, renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { CatalystApi, catalystApiRef } from '../api';
import { CatalystLiveApi, catalystLiveApiRef, LiveConnectionState } from '../api/CatalystLiveApi';
import { applyLiveEntries, emptyLiveEnvironment, LiveEnvironment } from '../live/liveEnvironment';
import { installTemplateRouteRef, rootRouteRef } from '../routes';
import type { ApplicationView, ActivityEntry, ChangeRequestSummary } from '@internal/plugin-catalyst-common';

/** A CatalystApi whose unfaked methods fail loudly, so a test notices calls it did not expect. */
export function fakeCatalystApi(methods: Partial<CatalystApi> = {}): jest.Mocked<CatalystApi> {
  const names: Array<keyof CatalystApi> = [
    'listBlueprints',
    'getBlueprint',
    'getBlueprintFiles',
    'getBlueprintUsage',
    'listInvalidReleases',
    'listOrganizations',
    'listEnvironments',
    'getEnvironment',
    'createEnvironment',
    'listApplications',
    'getApplication',
    'planInstall',
    'install',
    'planUpdate',
    'updateApplication',
    'uninstall',
    'rollback',
    'history',
    'getCommit',
    'promote',
    'listChangeRequests',
    'getChangeRequest',
    'approveChangeRequest',
    'rejectChangeRequest',
    'mergeChangeRequest',
    'rebaseChangeRequest',
    'getFreeze',
    'freezeEnvironment',
    'liftFreeze',
    'updatePolicy',
    'listGitTokens',
    'createGitToken',
    'revokeGitToken',
  ];
  const api: Record<string, jest.Mock> = {};
  for (const name of names) {
    const impl = (methods[name] ?? (() => Promise.reject(new Error(`${name} was not expected in this test`)))) as (
      ...args: unknown[]
    ) => Promise<unknown>;
    api[name] = jest.fn(impl);
  }
  return api as unknown as jest.Mocked<CatalystApi>;
}

/** Never settles: the loading state stays on screen. */
export const pending = <T,>() => new Promise<T>(() => {});

/** An in-memory live API: tests set each Environment's read model and the connection state. */
export class FakeLiveApi implements CatalystLiveApi {
  private states = new Map<string, LiveEnvironment>();
  private listeners = new Map<string, Set<() => void>>();
  private connectionListeners = new Set<(s: LiveConnectionState) => void>();
  readonly subscriptions: string[] = [];
  constructor(private connection: LiveConnectionState = 'live') {}

  /** Sets an Environment's Applications (and activity) as a snapshot would. */
  set(
    environment: string,
    data: {
      applications?: ApplicationView[];
      activity?: Record<string, ActivityEntry[]>;
      changeRequests?: ChangeRequestSummary[];
      lastCommit?: string;
    } = {},
  ): void {
    const put: Record<string, unknown> = {};
    if (data.lastCommit) {
      put['environment.summary'] = {
        environment,
        lastCommit: {
          sha: data.lastCommit,
          author: 'layla',
          message: 'a commit',
          time: '2026-11-23T10:00:00Z',
          applications: [],
          touchesPolicies: false,
        },
      };
    }
    for (const a of data.applications ?? []) put[`application.${a.name}`] = a;
    for (const [app, entries] of Object.entries(data.activity ?? {})) put[`activity.${app}`] = entries;
    for (const cr of data.changeRequests ?? []) put[`changerequest.${cr.id}`] = cr;
    this.states.set(environment, applyLiveEntries(emptyLiveEnvironment(environment), { put, delete: [] }, true));
    this.listeners.get(environment)?.forEach(l => l());
  }

  setConnection(state: LiveConnectionState): void {
    this.connection = state;
    this.connectionListeners.forEach(l => l(state));
  }

  subscribe(environment: string, onChange: () => void): () => void {
    this.subscriptions.push(environment);
    const set = this.listeners.get(environment) ?? new Set();
    set.add(onChange);
    this.listeners.set(environment, set);
    return () => set.delete(onChange);
  }
  getEnvironment(environment: string): LiveEnvironment | undefined {
    return this.states.get(environment);
  }
  getConnectionState(): LiveConnectionState {
    return this.connection;
  }
  onConnectionStateChange(listener: (state: LiveConnectionState) => void): () => void {
    this.connectionListeners.add(listener);
    return () => this.connectionListeners.delete(listener);
  }
}

export interface RenderOptions {
  api?: CatalystApi;
  live?: CatalystLiveApi;
  entity?: Entity;
  /** Whether Catalyst permissions are granted (default: yes). */
  allow?: boolean;
  /** The URL the test app starts at. */
  routeEntries?: string[];
}

/** Renders inside a test app with the Catalyst APIs, permissions, an entity and the routes the pages link to. */
export function renderCatalyst(ui: ReactNode, options: RenderOptions = {}) {
  const api = options.api ?? fakeCatalystApi();
  const live = options.live ?? new FakeLiveApi();
  const permission = mockApis.permission({
    authorize: options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
  });
  const content = options.entity ? <EntityProvider entity={options.entity}>{ui}</EntityProvider> : ui;
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalystApiRef, api],
        [catalystLiveApiRef, live],
        [permissionApiRef, permission],
        // `http://example.com/api/<plugin>`: where the backend is, for URLs the page shows (clone URLs)
        [discoveryApiRef, mockApis.discovery()],
      ]}
    >
      {content}
    </TestApiProvider>,
    {
      ...(options.routeEntries ? { routeEntries: options.routeEntries } : {}),
      mountedRoutes: {
        '/catalog/:namespace/:kind/:name': entityRouteRef,
        '/catalyst': rootRouteRef,
        '/create/templates/:namespace/:templateName': installTemplateRouteRef,
      },
    },
  );
}

/**
 * A refusal as the REST client throws it (`ResponseError`): the server's error JSON, with
 * Catalyst's code, Environment and issues, in `body.error` and `cause`.
 */
export function catalystError(
  statusCode: number,
  message: string,
  catalyst: { code: string; environment?: string; issues?: Array<{ code: string; path: string; message: string }> },
) {
  const name = { 403: 'NotAllowedError', 404: 'NotFoundError', 409: 'ConflictError' }[statusCode] ?? 'InputError';
  const error = { name, message, ...catalyst };
  return Object.assign(new Error(`Request failed with ${statusCode}`), {
    name: 'ResponseError',
    statusCode,
    body: { error, response: { statusCode } },
    cause: error,
  });
}
