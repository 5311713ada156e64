import type { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import type {
  ApplicationDetail,
  ApplicationSummary,
  BlueprintDetail,
  BlueprintSummary,
  ChangeResponse,
  CreateEnvironmentBody,
  CreateOrganizationBody,
  EnvironmentOverview,
  InstallBody,
  OrganizationSummary,
  PlanResponse,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import type { z } from 'zod';
import { BlueprintListQuery, CatalystApiClient, CatalystRequestOptions } from './CatalystApiClient';
import { errorFromResponse } from './errors';
import {
  applicationShape,
  blueprintDetailShape,
  blueprintSummaryShape,
  changeResponseShape,
  environmentShape,
  itemsOf,
  organizationShape,
  planResponseShape,
} from './responses';

/** The plugin id the catalyst backend is mounted under (`/api/catalyst`). */
const CATALYST_PLUGIN_ID = 'catalyst';
const DEFAULT_TIMEOUT_MS = 60_000;

const enc = encodeURIComponent;

function query(params: Record<string, string | undefined>): string {
  const entries = Object.entries(params).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  return entries.length ? `?${new URLSearchParams(entries).toString()}` : '';
}

/** @public */
export interface HttpCatalystApiClientOptions {
  discovery: DiscoveryService;
  auth: AuthService;
  /** Per request; default 60 s (an install is one commit, usually well under a second). */
  timeoutMs?: number;
}

/**
 * {@link CatalystApiClient} over HTTP: finds the catalyst backend through discovery and calls it
 * with a plugin request token made on behalf of the caller's credentials.
 *
 * @public
 */
export class HttpCatalystApiClient implements CatalystApiClient {
  private constructor(private readonly options: HttpCatalystApiClientOptions) {}

  static create(options: HttpCatalystApiClientOptions): HttpCatalystApiClient {
    return new HttpCatalystApiClient(options);
  }

  /** `shape` checks the fields callers rely on; `T` is the server's full typed body. */
  private async call<T>(
    shape: z.ZodType,
    method: string,
    path: string,
    options: CatalystRequestOptions,
    body?: unknown,
  ): Promise<T> {
    const what = `${method} /api/catalyst${path.split('?')[0]}`;
    const [base, { token }] = await Promise.all([
      this.options.discovery.getBaseUrl(CATALYST_PLUGIN_ID),
      this.options.auth.getPluginRequestToken({ onBehalfOf: options.credentials, targetPluginId: CATALYST_PLUGIN_ID }),
    ]);
    const timeout = AbortSignal.timeout(this.options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        Accept: 'application/json',
        ...(token ? { Authorization: `Bearer ${token}` } : {}),
        ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      signal: options.signal ? AbortSignal.any([options.signal, timeout]) : timeout,
    });
    if (!response.ok) throw await errorFromResponse(response, what);
    // Parsed here rather than by response.json(): values then belong to this module's realm, which
    // matters where several exist (jest's sandbox, whose scaffolder templating refuses foreign arrays).
    const json: unknown = JSON.parse(await response.text());
    const parsed = shape.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${what} answered with an unexpected body: ${issue.path.join('.') || 'body'}: ${issue.message}`);
    }
    return json as T;
  }

  async listBlueprints(options: CatalystRequestOptions & BlueprintListQuery): Promise<BlueprintSummary[]> {
    const { q, category, organization } = options;
    return (
      await this.call<{ items: BlueprintSummary[] }>(
        itemsOf(blueprintSummaryShape),
        'GET',
        `/blueprints${query({ q, category, organization })}`,
        options,
      )
    ).items;
  }

  async getBlueprint(
    name: string,
    options: CatalystRequestOptions & { organization?: string },
  ): Promise<BlueprintDetail> {
    const path = `/blueprints/${enc(name)}${query({ organization: options.organization })}`;
    return this.call<BlueprintDetail>(blueprintDetailShape, 'GET', path, options);
  }

  async listOrganizations(options: CatalystRequestOptions): Promise<OrganizationSummary[]> {
    return (
      await this.call<{ items: OrganizationSummary[] }>(itemsOf(organizationShape), 'GET', '/organizations', options)
    ).items;
  }

  async createOrganization(
    body: CreateOrganizationBody,
    options: CatalystRequestOptions,
  ): Promise<OrganizationSummary> {
    return this.call<OrganizationSummary>(organizationShape, 'POST', '/organizations', options, body);
  }

  async listEnvironments(options: CatalystRequestOptions & { organization?: string }): Promise<EnvironmentOverview[]> {
    return (
      await this.call<{ items: EnvironmentOverview[] }>(
        itemsOf(environmentShape),
        'GET',
        `/environments${query({ organization: options.organization })}`,
        options,
      )
    ).items;
  }

  async getEnvironment(environment: string, options: CatalystRequestOptions): Promise<EnvironmentOverview> {
    return this.call<EnvironmentOverview>(environmentShape, 'GET', `/environments/${enc(environment)}`, options);
  }

  async createEnvironment(body: CreateEnvironmentBody, options: CatalystRequestOptions): Promise<EnvironmentOverview> {
    return this.call<EnvironmentOverview>(environmentShape, 'POST', '/environments', options, body);
  }

  async listApplications(environment: string, options: CatalystRequestOptions): Promise<ApplicationSummary[]> {
    return (
      await this.call<{ items: ApplicationSummary[] }>(
        itemsOf(applicationShape),
        'GET',
        `/environments/${enc(environment)}/applications`,
        options,
      )
    ).items;
  }

  async getApplication(
    environment: string,
    application: string,
    options: CatalystRequestOptions,
  ): Promise<ApplicationDetail> {
    const path = `/environments/${enc(environment)}/applications/${enc(application)}`;
    return this.call<ApplicationDetail>(applicationShape, 'GET', path, options);
  }

  async planInstall(environment: string, body: InstallBody, options: CatalystRequestOptions): Promise<PlanResponse> {
    const path = `/environments/${enc(environment)}/plan`;
    return this.call<PlanResponse>(planResponseShape, 'POST', path, options, body);
  }

  async install(environment: string, body: InstallBody, options: CatalystRequestOptions): Promise<ChangeResponse> {
    const path = `/environments/${enc(environment)}/applications`;
    return this.call<ChangeResponse>(changeResponseShape, 'POST', path, options, body);
  }

  async planUpdate(
    environment: string,
    application: string,
    body: UpdateBody,
    options: CatalystRequestOptions,
  ): Promise<PlanResponse> {
    const path = `/environments/${enc(environment)}/applications/${enc(application)}/plan`;
    return this.call<PlanResponse>(planResponseShape, 'POST', path, options, body);
  }

  async updateApplication(
    environment: string,
    application: string,
    body: UpdateBody,
    options: CatalystRequestOptions,
  ): Promise<ChangeResponse> {
    const path = `/environments/${enc(environment)}/applications/${enc(application)}`;
    return this.call<ChangeResponse>(changeResponseShape, 'PATCH', path, options, body);
  }
}
