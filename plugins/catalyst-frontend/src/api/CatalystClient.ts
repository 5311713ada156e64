import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  ApplicationDetail,
  ApplicationSummary,
  BlueprintDetail,
  BlueprintSummary,
  BlueprintUsageResponse,
  ChangeResponse,
  CreateEnvironmentBody,
  EnvironmentOverview,
  HistoryEntry,
  InstallBody,
  InvalidBlueprintRelease,
  OrganizationSummary,
  PlanResponse,
  RollbackBody,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import { CatalystApi } from './CatalystApi';

const enc = encodeURIComponent;

function query(params: Record<string, string | number | undefined>): string {
  const entries = Object.entries(params).filter(
    (e): e is [string, string | number] => e[1] !== undefined && e[1] !== '',
  );
  return entries.length ? `?${new URLSearchParams(entries.map(([k, v]) => [k, String(v)])).toString()}` : '';
}

/** {@link CatalystApi} over fetch, with the user's token (FetchApi) and the backend's URL (DiscoveryApi). @public */
export class CatalystClient implements CatalystApi {
  constructor(private readonly deps: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {}

  private async call<T>(path: string, init?: { method?: string; body?: unknown }): Promise<T> {
    const base = await this.deps.discoveryApi.getBaseUrl('catalyst');
    const response = await this.deps.fetchApi.fetch(`${base}${path}`, {
      method: init?.method ?? 'GET',
      ...(init?.body !== undefined
        ? { body: JSON.stringify(init.body), headers: { 'Content-Type': 'application/json' } }
        : {}),
    });
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return (await response.json()) as T;
  }

  async listBlueprints(q: { q?: string; category?: string; organization?: string } = {}) {
    return (await this.call<{ items: BlueprintSummary[] }>(`/blueprints${query(q)}`)).items;
  }
  getBlueprint(name: string, options: { organization?: string } = {}) {
    return this.call<BlueprintDetail>(`/blueprints/${enc(name)}${query(options)}`);
  }
  async getBlueprintFiles(name: string, version: string) {
    return (
      await this.call<{ files: Record<string, string> }>(`/blueprints/${enc(name)}/versions/${enc(version)}/files`)
    ).files;
  }
  getBlueprintUsage(name: string, options: { organization?: string } = {}) {
    return this.call<BlueprintUsageResponse>(`/blueprints/${enc(name)}/applications${query(options)}`);
  }
  async listInvalidReleases() {
    return (await this.call<{ items: InvalidBlueprintRelease[] }>('/blueprint-releases/invalid')).items;
  }
  async listOrganizations() {
    return (await this.call<{ items: OrganizationSummary[] }>('/organizations')).items;
  }
  async listEnvironments(options: { organization?: string } = {}) {
    return (await this.call<{ items: EnvironmentOverview[] }>(`/environments${query(options)}`)).items;
  }
  getEnvironment(environment: string) {
    return this.call<EnvironmentOverview>(`/environments/${enc(environment)}`);
  }
  createEnvironment(body: CreateEnvironmentBody) {
    return this.call<EnvironmentOverview>('/environments', { method: 'POST', body });
  }
  async listApplications(environment: string) {
    return (await this.call<{ items: ApplicationSummary[] }>(`/environments/${enc(environment)}/applications`)).items;
  }
  getApplication(environment: string, application: string) {
    return this.call<ApplicationDetail>(`/environments/${enc(environment)}/applications/${enc(application)}`);
  }
  planInstall(environment: string, body: InstallBody) {
    return this.call<PlanResponse>(`/environments/${enc(environment)}/plan`, { method: 'POST', body });
  }
  install(environment: string, body: InstallBody) {
    return this.call<ChangeResponse>(`/environments/${enc(environment)}/applications`, { method: 'POST', body });
  }
  planUpdate(environment: string, application: string, body: UpdateBody) {
    return this.call<PlanResponse>(`/environments/${enc(environment)}/applications/${enc(application)}/plan`, {
      method: 'POST',
      body,
    });
  }
  updateApplication(environment: string, application: string, body: UpdateBody) {
    return this.call<ChangeResponse>(`/environments/${enc(environment)}/applications/${enc(application)}`, {
      method: 'PATCH',
      body,
    });
  }
  uninstall(environment: string, application: string) {
    return this.call<ChangeResponse>(`/environments/${enc(environment)}/applications/${enc(application)}`, {
      method: 'DELETE',
    });
  }
  rollback(environment: string, body: RollbackBody) {
    return this.call<ChangeResponse>(`/environments/${enc(environment)}/rollback`, { method: 'POST', body });
  }
  async history(environment: string, application: string, options: { limit?: number } = {}) {
    return (
      await this.call<{ items: HistoryEntry[] }>(
        `/environments/${enc(environment)}/applications/${enc(application)}/history${query(options)}`,
      )
    ).items;
  }
  getCommit(environment: string, sha: string, options: { application?: string } = {}) {
    return this.call<HistoryEntry>(`/environments/${enc(environment)}/commits/${enc(sha)}${query(options)}`);
  }
}
