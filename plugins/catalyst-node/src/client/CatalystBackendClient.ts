import type { AuthService, BackstageCredentials, DiscoveryService } from '@backstage/backend-plugin-api';
import {
  CATALYST_PLUGIN_ID,
  CatalystApi,
  CatalystClient,
  CatalystRequestOptions,
} from '@internal/plugin-catalyst-common';
import { typedError } from './errors';

/**
 * The catalyst REST client for backend callers (scaffolder actions, the Template and entity
 * providers, the kubernetes cluster supplier): catalyst-common's `CatalystClient` — the same one
 * the browser uses — with tokens minted for the credentials a call is made as, and failures turned
 * into `@backstage/errors` classes carrying the server's message and Catalyst's details.
 *
 * @public
 */
export interface CatalystBackendClient {
  /** The typed REST API; give every call the options of {@link CatalystBackendClient.as}. */
  readonly api: CatalystApi;
  /**
   * Request options that call as these credentials: a user's (the scaffolder's initiator, so the
   * backend authorizes the user and authors commits as them) or the calling plugin's own.
   */
  as(credentials: BackstageCredentials, signal?: AbortSignal): Promise<CatalystRequestOptions>;
}

/** Per request, unless the caller's signal ends it first; an install is one commit, well under this. */
const DEFAULT_TIMEOUT_MS = 60_000;

/** @public */
export function createCatalystBackendClient(options: {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getPluginRequestToken'>;
  timeoutMs?: number;
}): CatalystBackendClient {
  const api = new CatalystClient({
    discoveryApi: { getBaseUrl: pluginId => options.discovery.getBaseUrl(pluginId) },
    mapError: typedError,
  });
  return {
    api,
    async as(credentials, signal) {
      const { token } = await options.auth.getPluginRequestToken({
        onBehalfOf: credentials,
        targetPluginId: CATALYST_PLUGIN_ID,
      });
      const timeout = AbortSignal.timeout(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return { token, signal: signal ? AbortSignal.any([signal, timeout]) : timeout };
    },
  };
}
