import { createApiRef } from '@backstage/core-plugin-api';
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

/**
 * The catalyst backend's REST API as the frontend uses it. Every call carries the user's identity;
 * the backend authorizes each one.
 *
 * @public
 */
export interface CatalystApi {
  listBlueprints(query?: { q?: string; category?: string; organization?: string }): Promise<BlueprintSummary[]>;
  getBlueprint(name: string, options?: { organization?: string }): Promise<BlueprintDetail>;
  getBlueprintFiles(name: string, version: string): Promise<Record<string, string>>;
  /** Every Application built from the Blueprint in the caller's Environments, with live status (one request). */
  getBlueprintUsage(name: string, options?: { organization?: string }): Promise<BlueprintUsageResponse>;
  listInvalidReleases(): Promise<InvalidBlueprintRelease[]>;
  listOrganizations(): Promise<OrganizationSummary[]>;
  listEnvironments(options?: { organization?: string }): Promise<EnvironmentOverview[]>;
  getEnvironment(environment: string): Promise<EnvironmentOverview>;
  createEnvironment(body: CreateEnvironmentBody): Promise<EnvironmentOverview>;
  listApplications(environment: string): Promise<ApplicationSummary[]>;
  getApplication(environment: string, application: string): Promise<ApplicationDetail>;
  planInstall(environment: string, body: InstallBody): Promise<PlanResponse>;
  install(environment: string, body: InstallBody): Promise<ChangeResponse>;
  planUpdate(environment: string, application: string, body: UpdateBody): Promise<PlanResponse>;
  updateApplication(environment: string, application: string, body: UpdateBody): Promise<ChangeResponse>;
  uninstall(environment: string, application: string): Promise<ChangeResponse>;
  rollback(environment: string, body: RollbackBody): Promise<ChangeResponse>;
  history(environment: string, application: string, options?: { limit?: number }): Promise<HistoryEntry[]>;
  getCommit(environment: string, sha: string, options?: { application?: string }): Promise<HistoryEntry>;
}

/** @public */
export const catalystApiRef = createApiRef<CatalystApi>({ id: 'plugin.catalyst.service' });
