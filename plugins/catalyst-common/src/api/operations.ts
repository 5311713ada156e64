import { z } from 'zod';
import {
  createEnvironmentBodySchema,
  createOrganizationBodySchema,
  installBodySchema,
  rollbackBodySchema,
  updateBodySchema,
} from './requests';
import {
  applicationDetailSchema,
  applicationStatusSchema,
  applicationSummarySchema,
  blueprintDetailSchema,
  blueprintFilesSchema,
  blueprintSummarySchema,
  blueprintUsageResponseSchema,
  changeResponseSchema,
  environmentOverviewSchema,
  environmentStatusSchema,
  healthReportSchema,
  historyEntrySchema,
  invalidBlueprintReleaseSchema,
  itemsSchema,
  organizationSummarySchema,
  planResponseSchema,
} from './responseSchemas';
import {
  blueprintListQuerySchema,
  commitQuerySchema,
  historyQuerySchema,
  liveEventsQuerySchema,
  organizationQuerySchema,
  uninstallQuerySchema,
} from './querySchemas';
import { governedOperations } from './governedOperations';
import { integrationOperations } from './integrationOperations';
import { op, READ } from './operationTable';

/**
 * The catalyst REST API (`/api/catalyst`) as one table: every operation's method, path, query,
 * body, answer and who may call it. The backend's routers mount their handlers by these entries,
 * the OpenAPI document is generated from them, and the client calls and validates through them —
 * so the three cannot disagree (the agreement test in the backend checks the routers' stack, the
 * client's calls and the document against this table).
 */

/** Path parameters, by name; the server validates each with the naming rules. @public */
export type CatalystPathParam = 'environment' | 'application' | 'name' | 'version' | 'sha' | 'id' | 'token';

/** @public */
export interface CatalystOperation<Query = unknown, Body = unknown, Response = unknown> {
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE';
  /** Express form: `/environments/:environment`. */
  path: string;
  summary: string;
  /** Who may call: the Catalyst permission checked, or the kind of caller. */
  permission: string;
  tags: string[];
  query?: z.ZodType<Query>;
  body?: z.ZodType<Body>;
  /** The success answer's body; absent for a stream. */
  response?: z.ZodType<Response>;
  /** Success statuses; the first is the usual one. */
  success: number[];
  /** Error statuses besides 401, and what each means here. */
  errors: Record<string, string>;
  /** No credentials needed. */
  public?: boolean;
  /** `text/event-stream` instead of JSON. */
  stream?: boolean;
}

const read = READ;

/**
 * Every operation, by the client method that calls it: the core ones here, the governed path
 * (`governedOperations.ts`) and the other ways in (`integrationOperations.ts`) beside it. @public
 */
export const CATALYST_OPERATIONS = {
  health: op({
    method: 'GET',
    path: '/health',
    summary: 'NATS, the Git store and the database',
    permission: 'none',
    tags: ['Service'],
    public: true,
    response: healthReportSchema,
    success: [200],
    errors: { '503': 'A part is unhealthy (named in the body)' },
  }),
  openApi: op({
    method: 'GET',
    path: '/openapi.json',
    summary: 'This document',
    permission: 'none',
    tags: ['Service'],
    public: true,
    response: z.record(z.string(), z.unknown()),
    success: [200],
    errors: {},
  }),
  listBlueprints: op({
    method: 'GET',
    path: '/blueprints',
    summary: 'Marketplace list: listed Blueprints, unlisted ones by exact name, private ones of readable Organizations',
    permission: read,
    tags: ['Blueprints'],
    query: blueprintListQuerySchema,
    response: itemsSchema(blueprintSummarySchema),
    success: [200],
    errors: { '400': 'Bad query' },
  }),
  getBlueprint: op({
    method: 'GET',
    path: '/blueprints/:name',
    summary: "One Blueprint with every version's configSchema, overlays, dependencies and README",
    permission: read,
    tags: ['Blueprints'],
    query: organizationQuerySchema,
    response: blueprintDetailSchema,
    success: [200],
    errors: { '404': 'No such Blueprint visible to the caller' },
  }),
  getBlueprintFiles: op({
    method: 'GET',
    path: '/blueprints/:name/versions/:version/files',
    summary: "A version's files (Compare versions)",
    permission: read,
    tags: ['Blueprints'],
    response: blueprintFilesSchema,
    success: [200],
    errors: { '404': 'No such version visible to the caller' },
  }),
  getBlueprintUsage: op({
    method: 'GET',
    path: '/blueprints/:name/applications',
    summary: 'Applications installed from the Blueprint across readable Environments, with live status',
    permission: read,
    tags: ['Blueprints'],
    query: organizationQuerySchema,
    response: blueprintUsageResponseSchema,
    success: [200],
    errors: { '400': 'Not a Blueprint name' },
  }),
  listInvalidReleases: op({
    method: 'GET',
    path: '/blueprint-releases/invalid',
    summary: 'Release tags that failed registration, with their errors',
    permission: read,
    tags: ['Blueprints'],
    response: itemsSchema(invalidBlueprintReleaseSchema),
    success: [200],
    errors: {},
  }),
  listOrganizations: op({
    method: 'GET',
    path: '/organizations',
    summary: 'Organizations the caller may read',
    permission: read,
    tags: ['Organizations'],
    response: itemsSchema(organizationSummarySchema),
    success: [200],
    errors: {},
  }),
  createOrganization: op({
    method: 'POST',
    path: '/organizations',
    summary: 'Create an Organization (idempotent by `idempotencyKey` for the same user)',
    permission: 'sovereign-admin',
    tags: ['Organizations'],
    body: createOrganizationBodySchema,
    response: organizationSummarySchema,
    success: [201, 200],
    errors: {
      '400': 'Invalid name or body (the field is named)',
      '403': 'Not a sovereign-admin',
      '409': 'The name is taken',
    },
  }),
  listEnvironments: op({
    method: 'GET',
    path: '/environments',
    summary: 'Environments the caller may read, with policy, `governed` and `canInstall`',
    permission: read,
    tags: ['Environments'],
    query: organizationQuerySchema,
    response: itemsSchema(environmentOverviewSchema),
    success: [200],
    errors: {},
  }),
  createEnvironment: op({
    method: 'POST',
    path: '/environments',
    summary:
      'Create an Environment; its repo exists when this answers (idempotent by `idempotencyKey` for the same user)',
    permission: 'catalyst.manage-environment in the Organization',
    tags: ['Environments'],
    body: createEnvironmentBodySchema,
    response: environmentOverviewSchema,
    success: [201, 200],
    errors: {
      '400': 'Invalid body (the field is named)',
      '403': 'Not allowed',
      '404': 'No such Organization',
      '409': 'The Organization already has this env type',
    },
  }),
  getEnvironment: op({
    method: 'GET',
    path: '/environments/:environment',
    summary: 'One Environment',
    permission: read,
    tags: ['Environments'],
    response: environmentOverviewSchema,
    success: [200],
    errors: { '404': 'Unknown or not readable' },
  }),
  listApplications: op({
    method: 'GET',
    path: '/environments/:environment/applications',
    summary: 'Applications at the repo head (desired state)',
    permission: read,
    tags: ['Applications'],
    response: itemsSchema(applicationSummarySchema),
    success: [200],
    errors: { '404': 'Unknown or not readable Environment' },
  }),
  planInstall: op({
    method: 'POST',
    path: '/environments/:environment/plan',
    summary: 'Dry run of an install: the plan, the rendered files and the changes; nothing is written',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    body: installBodySchema,
    response: planResponseSchema,
    success: [200],
    errors: {
      '400': 'Invalid values (the field is named)',
      '403': 'Not allowed',
      '404': 'Unknown Blueprint or version',
      '409': 'Unresolvable dependencies',
    },
  }),
  install: op({
    method: 'POST',
    path: '/environments/:environment/applications',
    summary: 'Install a Blueprint (with its dependencies) as one commit authored by the caller',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    body: installBodySchema,
    response: changeResponseSchema,
    success: [201, 200, 202],
    errors: {
      '400': 'Invalid values (the field is named); nothing written',
      '403': 'Not allowed',
      '404': 'Unknown Blueprint or version',
      '409': 'Name taken, cycle or unsatisfiable range',
    },
  }),
  getApplication: op({
    method: 'GET',
    path: '/environments/:environment/applications/:application',
    summary: 'application.yaml, values and files of one Application',
    permission: read,
    tags: ['Applications'],
    response: applicationDetailSchema,
    success: [200],
    errors: { '404': 'No such Application' },
  }),
  planUpdate: op({
    method: 'POST',
    path: '/environments/:environment/applications/:application/plan',
    summary: 'Dry run of a configure or upgrade',
    permission: 'catalyst.configure on the Environment',
    tags: ['Applications'],
    body: updateBodySchema,
    response: planResponseSchema,
    success: [200],
    errors: {
      '400': 'Invalid values (the field is named)',
      '403': 'Not allowed',
      '409': 'Upgrade blocked by the Blueprint',
    },
  }),
  updateApplication: op({
    method: 'PATCH',
    path: '/environments/:environment/applications/:application',
    summary: 'Configure (values, overlay), upgrade (version) and/or pause or resume (paused) as one commit',
    permission: 'catalyst.configure on the Environment',
    tags: ['Applications'],
    body: updateBodySchema,
    response: changeResponseSchema,
    success: [200, 202],
    errors: {
      '400': 'Invalid values (the field is named); nothing written',
      '403': 'Not allowed',
      '409': 'Upgrade blocked',
    },
  }),
  uninstall: op({
    method: 'DELETE',
    path: '/environments/:environment/applications/:application',
    summary: 'Uninstall as one commit',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    query: uninstallQuerySchema,
    response: changeResponseSchema,
    success: [200, 202],
    errors: {
      '403': 'Not allowed',
      '404': 'No such Application',
      '409': 'Other Applications depend on it (named)',
    },
  }),
  history: op({
    method: 'GET',
    path: '/environments/:environment/applications/:application/history',
    summary: 'Commits that touched the Application, newest first',
    permission: read,
    tags: ['Applications'],
    query: historyQuerySchema,
    response: itemsSchema(historyEntrySchema),
    success: [200],
    errors: { '400': 'Bad limit' },
  }),
  getCommit: op({
    method: 'GET',
    path: '/environments/:environment/commits/:sha',
    summary: 'One commit with before/after contents of the files it changed',
    permission: read,
    tags: ['Commits'],
    query: commitQuerySchema,
    response: historyEntrySchema,
    success: [200],
    errors: { '400': 'Not a full sha', '404': 'No such commit' },
  }),
  rollback: op({
    method: 'POST',
    path: '/environments/:environment/rollback',
    summary: 'Revert one commit as a new commit',
    permission: 'catalyst.configure on the Environment',
    tags: ['Commits'],
    body: rollbackBodySchema,
    response: changeResponseSchema,
    success: [200, 202],
    errors: {
      '403': 'Not allowed',
      '404': 'No such commit on main',
      '409': 'Later commits changed the same files (named)',
    },
  }),
  liveEvents: op({
    method: 'GET',
    path: '/events',
    summary:
      'Live status (SSE): snapshot, change, ready, overflow and end events multiplexed over the requested Environments',
    permission: read,
    tags: ['Live status'],
    stream: true,
    query: liveEventsQuerySchema,
    success: [200],
    errors: {
      '400': 'Bad query',
      '404': 'Unknown Environment, or one the caller may not read (`environment` names it)',
      '503': 'The read model is not available',
    },
  }),
  getEnvironmentStatus: op({
    method: 'GET',
    path: '/environments/:environment/status',
    summary: "An Environment's live status from the read model",
    permission: read,
    tags: ['Live status'],
    response: environmentStatusSchema,
    success: [200],
    errors: { '404': 'Unknown Environment', '503': 'The read model is not available' },
  }),
  getApplicationStatus: op({
    method: 'GET',
    path: '/environments/:environment/applications/:application/status',
    summary: "An Application's live status and recent events",
    permission: read,
    tags: ['Live status'],
    response: applicationStatusSchema,
    success: [200],
    errors: { '404': 'No such Application in the read model' },
  }),
  ...governedOperations,
  ...integrationOperations,
} as const;

/** @public */
export type CatalystOperationId = keyof typeof CATALYST_OPERATIONS;
