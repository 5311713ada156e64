import type { BackstageCredentials } from '@backstage/backend-plugin-api';
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

/**
 * Who a call is made as. Writes must carry a user's credentials (the scaffolder's
 * `ctx.getInitiatorCredentials()`): the catalyst backend authorizes the call and authors the commit
 * as that user. Service credentials may only read Blueprints.
 *
 * @public
 */
export interface CatalystRequestOptions {
  credentials: BackstageCredentials;
  signal?: AbortSignal;
}

/** @public */
export interface BlueprintListQuery {
  q?: string;
  category?: string;
  organization?: string;
}

/**
 * The catalyst REST API (`/api/catalyst`, plugins/catalyst-backend/README.md) for backend callers:
 * the scaffolder actions and the Template provider. Errors come back as `@backstage/errors`
 * classes: InputError (400), AuthenticationError (401), NotAllowedError (403), NotFoundError (404),
 * ConflictError (409), with the server's message; `issues` holds the domain issues when the server
 * sent them.
 *
 * @public
 */
export interface CatalystApiClient {
  listBlueprints(options: CatalystRequestOptions & BlueprintListQuery): Promise<BlueprintSummary[]>;
  /** With `organization`, that Organization's private Blueprint of the name wins over a public one. */
  getBlueprint(name: string, options: CatalystRequestOptions & { organization?: string }): Promise<BlueprintDetail>;

  listOrganizations(options: CatalystRequestOptions): Promise<OrganizationSummary[]>;
  /** sovereign-admin only. */
  createOrganization(body: CreateOrganizationBody, options: CatalystRequestOptions): Promise<OrganizationSummary>;

  listEnvironments(options: CatalystRequestOptions & { organization?: string }): Promise<EnvironmentOverview[]>;
  getEnvironment(environment: string, options: CatalystRequestOptions): Promise<EnvironmentOverview>;
  /** Needs manage-environment in the Organization. */
  createEnvironment(body: CreateEnvironmentBody, options: CatalystRequestOptions): Promise<EnvironmentOverview>;

  listApplications(environment: string, options: CatalystRequestOptions): Promise<ApplicationSummary[]>;
  getApplication(environment: string, application: string, options: CatalystRequestOptions): Promise<ApplicationDetail>;

  /** Dry run of an install: the plan and the rendered files; nothing is written. */
  planInstall(environment: string, body: InstallBody, options: CatalystRequestOptions): Promise<PlanResponse>;
  /** One commit; with `idempotencyKey`, a retry returns the first commit (`replayed: true`). */
  install(environment: string, body: InstallBody, options: CatalystRequestOptions): Promise<ChangeResponse>;
  /** Dry run of configure/upgrade. */
  planUpdate(
    environment: string,
    application: string,
    body: UpdateBody,
    options: CatalystRequestOptions,
  ): Promise<PlanResponse>;
  updateApplication(
    environment: string,
    application: string,
    body: UpdateBody,
    options: CatalystRequestOptions,
  ): Promise<ChangeResponse>;
}
