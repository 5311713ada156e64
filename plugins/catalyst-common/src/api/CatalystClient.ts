import { ResponseError } from '@backstage/errors';
import type { z } from 'zod';
import type { BlueprintListQuery, CatalystApi, CatalystRequestOptions } from './CatalystApi';
import type {
  CreateEnvironmentBody,
  CreateOrganizationBody,
  IdentityRecordBody,
  InstallBody,
  RollbackBody,
  UpdateBody,
} from './requests';
import type {
  ApproveBody,
  ChangeRequestsQuery,
  FreezeBody,
  MergeBody,
  PolicyBody,
  PromotionBody,
  RejectBody,
} from './changeRequests';
import type { CreateGitTokenBody } from './gitTokens';
import { catalystErrorDetails, CatalystErrorDetails } from './errors';
import { CATALYST_OPERATIONS, CatalystOperation } from './operations';
/** How the client reaches the backend: Backstage's discovery and fetch, in the browser or in a backend. @public */
export interface CatalystClientOptions {
  discoveryApi: { getBaseUrl(pluginId: string): Promise<string> };
  fetchApi?: { fetch: typeof fetch };
  /**
   * Turns a failed answer into the error to throw (default: the `ResponseError` itself). Backend
   * callers map it to `@backstage/errors` classes, so a scaffolder task fails with the same kind of
   * error the REST API gave.
   */
  mapError?: (error: ResponseError & Partial<CatalystErrorDetails>) => Error;
}

/** The plugin id the catalyst backend is mounted under. @public */
export const CATALYST_PLUGIN_ID = 'catalyst';

const enc = encodeURIComponent;

/** Fills `:param`s of an operation's path, each segment encoded. */
function pathOf(operation: CatalystOperation, params: Record<string, string>): string {
  return operation.path.replace(/:([A-Za-z]+)/g, (_m, name: string) => {
    const value = params[name];
    if (value === undefined) throw new TypeError(`${operation.path}: missing path parameter ${name}`);
    return enc(value);
  });
}

function queryOf(query: Record<string, string | number | undefined> | undefined): string {
  const entries = Object.entries(query ?? {})
    .filter((e): e is [string, string | number] => e[1] !== undefined && e[1] !== '')
    .map(([k, v]): [string, string] => [k, String(v)]);
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/**
 * {@link CatalystApi} over fetch, isomorphic: the frontend builds it from its DiscoveryApi and
 * FetchApi, backend callers from the DiscoveryService with a token per call.
 *
 * @public
 */
export class CatalystClient implements CatalystApi {
  constructor(private readonly options: CatalystClientOptions) {}

  /** Calls one operation of the table and returns its validated answer. */
  private async call<R>(
    operation: CatalystOperation<unknown, unknown, R>,
    request: {
      params?: Record<string, string>;
      query?: Record<string, string | number | undefined>;
      body?: unknown;
    },
    options?: CatalystRequestOptions,
  ): Promise<R> {
    const path = pathOf(operation, request.params ?? {});
    const base = await this.options.discoveryApi.getBaseUrl(CATALYST_PLUGIN_ID);
    const fetchImpl = this.options.fetchApi?.fetch ?? fetch;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (options?.token) headers.Authorization = `Bearer ${options.token}`;
    if (request.body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetchImpl(`${base}${path}${queryOf(request.query)}`, {
      method: operation.method,
      headers,
      ...(request.body !== undefined ? { body: JSON.stringify(request.body) } : {}),
      ...(options?.signal ? { signal: options.signal } : {}),
    });
    if (!response.ok) {
      const error = await ResponseError.fromResponse(response);
      // Catalyst's details (code, environment, issues) on the error itself, for every caller.
      const details = catalystErrorDetails(error.body?.error);
      if (details) Object.assign(error, details);
      throw this.options.mapError ? this.options.mapError(error) : error;
    }
    // Parsed from text rather than by response.json(): the values then belong to this module's
    // realm, which matters where several exist (jest's sandbox; the scaffolder's templating).
    const json: unknown = JSON.parse(await response.text());
    const schema = operation.response as z.ZodType<R> | undefined;
    if (!schema) return json as R;
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `${operation.method} /api/catalyst${path} answered with an unexpected body: ${
          issue.path.join('.') || 'body'
        }: ${issue.message}`,
      );
    }
    // The raw JSON, not zod's copy: loose schemas keep extra fields either way, and the caller
    // gets exactly what the server said.
    return json as R;
  }

  async listBlueprints(query: BlueprintListQuery = {}, options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listBlueprints, { query: { ...query } }, options)).items;
  }

  getBlueprint(name: string, query: { organization?: string } = {}, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getBlueprint, { params: { name }, query }, options);
  }

  async getBlueprintFiles(name: string, version: string, options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.getBlueprintFiles, { params: { name, version } }, options)).files;
  }

  getBlueprintUsage(name: string, query: { organization?: string } = {}, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getBlueprintUsage, { params: { name }, query }, options);
  }

  async listInvalidReleases(options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listInvalidReleases, {}, options)).items;
  }

  async listOrganizations(options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listOrganizations, {}, options)).items;
  }

  createOrganization(body: CreateOrganizationBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.createOrganization, { body }, options);
  }

  async listEnvironments(query: { organization?: string } = {}, options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listEnvironments, { query }, options)).items;
  }

  getEnvironment(environment: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getEnvironment, { params: { environment } }, options);
  }

  createEnvironment(body: CreateEnvironmentBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.createEnvironment, { body }, options);
  }

  async listApplications(environment: string, options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listApplications, { params: { environment } }, options)).items;
  }

  getApplication(environment: string, application: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getApplication, { params: { environment, application } }, options);
  }

  planInstall(environment: string, body: InstallBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.planInstall, { params: { environment }, body }, options);
  }

  install(environment: string, body: InstallBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.install, { params: { environment }, body }, options);
  }

  planUpdate(environment: string, application: string, body: UpdateBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.planUpdate, { params: { environment, application }, body }, options);
  }

  updateApplication(environment: string, application: string, body: UpdateBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.updateApplication, { params: { environment, application }, body }, options);
  }

  uninstall(
    environment: string,
    application: string,
    query: { idempotencyKey?: string } = {},
    options?: CatalystRequestOptions,
  ) {
    return this.call(CATALYST_OPERATIONS.uninstall, { params: { environment, application }, query }, options);
  }

  rollback(environment: string, body: RollbackBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.rollback, { params: { environment }, body }, options);
  }

  async history(
    environment: string,
    application: string,
    query: { limit?: number } = {},
    options?: CatalystRequestOptions,
  ) {
    return (await this.call(CATALYST_OPERATIONS.history, { params: { environment, application }, query }, options))
      .items;
  }

  getCommit(environment: string, sha: string, query: { application?: string } = {}, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getCommit, { params: { environment, sha }, query }, options);
  }

  recordIdentity(body: IdentityRecordBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.recordIdentity, { body }, options);
  }

  getCatalogEntities(options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getCatalogEntities, {}, options);
  }

  getEnvironmentStatus(environment: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getEnvironmentStatus, { params: { environment } }, options);
  }

  getApplicationStatus(environment: string, application: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getApplicationStatus, { params: { environment, application } }, options);
  }

  promote(body: PromotionBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.promote, { body }, options);
  }

  async listChangeRequests(query: ChangeRequestsQuery = {}, options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listChangeRequests, { query: { ...query } }, options)).items;
  }

  getChangeRequest(id: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getChangeRequest, { params: { id } }, options);
  }

  approveChangeRequest(id: string, body: ApproveBody = {}, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.approveChangeRequest, { params: { id }, body }, options);
  }

  rejectChangeRequest(id: string, body: RejectBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.rejectChangeRequest, { params: { id }, body }, options);
  }

  mergeChangeRequest(id: string, body: MergeBody = {}, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.mergeChangeRequest, { params: { id }, body }, options);
  }

  rebaseChangeRequest(id: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.rebaseChangeRequest, { params: { id } }, options);
  }

  getFreeze(environment: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.getFreeze, { params: { environment } }, options);
  }

  freezeEnvironment(environment: string, body: FreezeBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.freezeEnvironment, { params: { environment }, body }, options);
  }

  liftFreeze(environment: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.liftFreeze, { params: { environment } }, options);
  }

  updatePolicy(environment: string, body: PolicyBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.updatePolicy, { params: { environment }, body }, options);
  }

  async listGitTokens(options?: CatalystRequestOptions) {
    return (await this.call(CATALYST_OPERATIONS.listGitTokens, {}, options)).items;
  }

  createGitToken(body: CreateGitTokenBody, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.createGitToken, { body }, options);
  }

  revokeGitToken(id: string, options?: CatalystRequestOptions) {
    return this.call(CATALYST_OPERATIONS.revokeGitToken, { params: { token: id } }, options);
  }
}
