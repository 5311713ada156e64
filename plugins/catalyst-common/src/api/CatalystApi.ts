import type { z } from 'zod';
import type { applicationStatusSchema, catalogEntitiesSchema, environmentStatusSchema } from './responseSchemas';
import type {
  CreateEnvironmentBody,
  CreateOrganizationBody,
  IdentityRecordBody,
  InstallBody,
  RollbackBody,
  UpdateBody,
} from './requests';
import type {
  ApplicationDetail,
  ApplicationSummary,
  BlueprintDetail,
  BlueprintSummary,
  BlueprintUsageResponse,
  ChangeResponse,
  EnvironmentOverview,
  HistoryEntry,
  InvalidBlueprintRelease,
  OrganizationSummary,
  PlanResponse,
} from './responses';
import type {
  ApproveBody,
  ChangeRequest,
  ChangeRequestsQuery,
  ChangeRequestSummaryItem,
  EnvironmentFreezeState,
  FreezeBody,
  MergeBody,
  PolicyBody,
  PromotionBody,
  RejectBody,
} from './changeRequests';
import type { CreatedGitToken, CreateGitTokenBody, GitToken } from './gitTokens';

/** @public */
export type EnvironmentStatusSnapshot = z.infer<typeof environmentStatusSchema>;
/** @public */
export type ApplicationStatusSnapshot = z.infer<typeof applicationStatusSchema>;
/** @public */
export type CatalogEntitiesResponse = z.infer<typeof catalogEntitiesSchema>;

/**
 * Per call: the caller's token (backend callers, who act for a user or as themselves) and an abort
 * signal. The browser passes neither: its FetchApi adds the signed-in user's token.
 *
 * @public
 */
export interface CatalystRequestOptions {
  token?: string;
  signal?: AbortSignal;
}

/** @public */
export interface BlueprintListQuery {
  q?: string;
  category?: string;
  organization?: string;
}

/**
 * The catalyst REST API (`/api/catalyst`) for every caller: the browser, the scaffolder actions, the
 * catalog's entity provider, integrations. Failed calls reject with a `ResponseError` (status, the
 * server's error JSON as `body`) that also carries Catalyst's {@link CatalystErrorDetails} — read
 * them with `catalystErrorDetails(error)`. Answers are validated against the operation's schema; a
 * body missing a field the type promises rejects with an Error naming the field.
 *
 * @public
 */
export interface CatalystApi {
  listBlueprints(query?: BlueprintListQuery, options?: CatalystRequestOptions): Promise<BlueprintSummary[]>;
  /** With `organization`, that Organization's private Blueprint of the name wins over a public one. */
  getBlueprint(
    name: string,
    query?: { organization?: string },
    options?: CatalystRequestOptions,
  ): Promise<BlueprintDetail>;
  getBlueprintFiles(name: string, version: string, options?: CatalystRequestOptions): Promise<Record<string, string>>;
  /** Every Application built from the Blueprint in the caller's Environments, with live status (one request). */
  getBlueprintUsage(
    name: string,
    query?: { organization?: string },
    options?: CatalystRequestOptions,
  ): Promise<BlueprintUsageResponse>;
  listInvalidReleases(options?: CatalystRequestOptions): Promise<InvalidBlueprintRelease[]>;

  listOrganizations(options?: CatalystRequestOptions): Promise<OrganizationSummary[]>;
  /** sovereign-admin only. */
  createOrganization(body: CreateOrganizationBody, options?: CatalystRequestOptions): Promise<OrganizationSummary>;

  listEnvironments(query?: { organization?: string }, options?: CatalystRequestOptions): Promise<EnvironmentOverview[]>;
  getEnvironment(environment: string, options?: CatalystRequestOptions): Promise<EnvironmentOverview>;
  /** Needs manage-environment in the Organization. */
  createEnvironment(body: CreateEnvironmentBody, options?: CatalystRequestOptions): Promise<EnvironmentOverview>;

  listApplications(environment: string, options?: CatalystRequestOptions): Promise<ApplicationSummary[]>;
  getApplication(
    environment: string,
    application: string,
    options?: CatalystRequestOptions,
  ): Promise<ApplicationDetail>;
  /** Dry run of an install: the plan and the rendered files; nothing is written. */
  planInstall(environment: string, body: InstallBody, options?: CatalystRequestOptions): Promise<PlanResponse>;
  /** One commit; with `idempotencyKey`, a retry returns the first commit (`replayed: true`). */
  install(environment: string, body: InstallBody, options?: CatalystRequestOptions): Promise<ChangeResponse>;
  /** Dry run of configure/upgrade. */
  planUpdate(
    environment: string,
    application: string,
    body: UpdateBody,
    options?: CatalystRequestOptions,
  ): Promise<PlanResponse>;
  updateApplication(
    environment: string,
    application: string,
    body: UpdateBody,
    options?: CatalystRequestOptions,
  ): Promise<ChangeResponse>;
  uninstall(
    environment: string,
    application: string,
    query?: { idempotencyKey?: string },
    options?: CatalystRequestOptions,
  ): Promise<ChangeResponse>;
  rollback(environment: string, body: RollbackBody, options?: CatalystRequestOptions): Promise<ChangeResponse>;
  history(
    environment: string,
    application: string,
    query?: { limit?: number },
    options?: CatalystRequestOptions,
  ): Promise<HistoryEntry[]>;
  getCommit(
    environment: string,
    sha: string,
    query?: { application?: string },
    options?: CatalystRequestOptions,
  ): Promise<HistoryEntry>;

  /** The auth plugin's sign-in resolver records what it issued (calling as the auth plugin). */
  recordIdentity(
    body: IdentityRecordBody,
    options?: CatalystRequestOptions,
  ): Promise<{ userRef: string; updatedAt: string }>;

  /** Every Catalyst catalog entity: for the catalog module's provider, calling as a backend plugin. */
  getCatalogEntities(options?: CatalystRequestOptions): Promise<CatalogEntitiesResponse>;

  /** An Environment's live read model as a snapshot (the live stream is `GET /events`). */
  getEnvironmentStatus(environment: string, options?: CatalystRequestOptions): Promise<EnvironmentStatusSnapshot>;
  /** One Application's live view and recent activity. */
  getApplicationStatus(
    environment: string,
    application: string,
    options?: CatalystRequestOptions,
  ): Promise<ApplicationStatusSnapshot>;

  /**
   * Copy an Application to another Environment of its Organization: a commit, or (answered 202) a
   * change request where the destination is governed (`changeRequest` in the answer).
   */
  promote(body: PromotionBody, options?: CatalystRequestOptions): Promise<ChangeResponse>;
  listChangeRequests(
    query?: ChangeRequestsQuery,
    options?: CatalystRequestOptions,
  ): Promise<ChangeRequestSummaryItem[]>;
  getChangeRequest(id: string, options?: CatalystRequestOptions): Promise<ChangeRequest>;
  approveChangeRequest(id: string, body?: ApproveBody, options?: CatalystRequestOptions): Promise<ChangeRequest>;
  rejectChangeRequest(id: string, body: RejectBody, options?: CatalystRequestOptions): Promise<ChangeRequest>;
  mergeChangeRequest(id: string, body?: MergeBody, options?: CatalystRequestOptions): Promise<ChangeRequest>;
  rebaseChangeRequest(id: string, options?: CatalystRequestOptions): Promise<ChangeRequest>;
  getFreeze(environment: string, options?: CatalystRequestOptions): Promise<EnvironmentFreezeState>;
  freezeEnvironment(
    environment: string,
    body: FreezeBody,
    options?: CatalystRequestOptions,
  ): Promise<EnvironmentFreezeState>;
  liftFreeze(environment: string, options?: CatalystRequestOptions): Promise<EnvironmentFreezeState>;
  /** Replace the EnvironmentPolicy's rules: a commit or a change request (see the operation). */
  updatePolicy(environment: string, body: PolicyBody, options?: CatalystRequestOptions): Promise<ChangeResponse>;

  /** The caller's personal Git tokens (no secrets). */
  listGitTokens(options?: CatalystRequestOptions): Promise<GitToken[]>;
  /** A new personal Git token; its secret is in this answer only. */
  createGitToken(body: CreateGitTokenBody, options?: CatalystRequestOptions): Promise<CreatedGitToken>;
  revokeGitToken(id: string, options?: CatalystRequestOptions): Promise<GitToken>;
}
