import { z } from 'zod';
import { OVERLAY_SIZES, PLACEMENT_MODES, BLUEPRINT_SOURCES } from '../kinds/application';
import { environmentPolicyRuleSchema } from '../policy/rules';
import { APPLICATION_STATUSES } from '../status/deriveApplicationStatus';
import type {
  ApplicationDetail,
  ApplicationSummary,
  BlueprintDetail,
  BlueprintSummary,
  BlueprintUsageResponse,
  ChangeResponse,
  CommitRecord,
  EnvironmentOverview,
  FileChange,
  HistoryEntry,
  InvalidBlueprintRelease,
  OrganizationSummary,
  PlanResponse,
} from './responses';
import {
  CHANGE_REQUEST_ACTIONS,
  CHANGE_REQUEST_STATES,
  ChangeRequest,
  ChangeRequestRef,
  ChangeRequestSummaryItem,
  EnvironmentFreezeState,
} from './changeRequests';

/**
 * Runtime schemas of the catalyst REST API's responses, one per type of `responses.ts`. The client
 * validates every answer with them, the OpenAPI document describes responses with them, and the
 * agreement test checks the routers' real answers against them. Objects are loose: a newer server's
 * extra fields pass through to the caller untouched, while a missing or mistyped field fails with
 * its path. Each schema is declared as the type it checks, so the compiler refuses a schema that
 * lacks a field the type requires.
 */

const issue = z.object({ code: z.string(), path: z.string(), message: z.string() });

const person = z.looseObject({ name: z.string(), email: z.string(), time: z.string() });

/** @public */
export const commitRecordSchema: z.ZodType<CommitRecord> = z.looseObject({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  subject: z.string(),
  message: z.string(),
  author: person,
  committer: person,
  actor: z.string().optional(),
  action: z.string().optional(),
});

const card = z.looseObject({
  title: z.string().optional(),
  tagline: z.string().optional(),
  category: z.string().optional(),
  tags: z.array(z.string()).optional(),
  icon: z.string().optional(),
  license: z.string().optional(),
  documentation: z.string().optional(),
});

const blueprintSummaryShape = {
  name: z.string(),
  namespace: z.string(),
  source: z.enum(BLUEPRINT_SOURCES),
  organization: z.string().optional(),
  visibility: z.enum(['listed', 'unlisted', 'private']),
  latestVersion: z.string(),
  versions: z.array(z.string()),
  card,
  owner: z.looseObject({ team: z.string().optional(), contact: z.string().optional() }).optional(),
  composite: z.boolean(),
  depends: z.array(z.string()),
};

/** @public */
export const blueprintSummarySchema: z.ZodType<BlueprintSummary> = z.looseObject(blueprintSummaryShape);

/** @public */
export const blueprintDetailSchema: z.ZodType<BlueprintDetail> = z.looseObject({
  ...blueprintSummaryShape,
  versionDetails: z.array(
    z.looseObject({
      version: z.string(),
      commit: z.string().optional(),
      configSchema: z.record(z.string(), z.unknown()),
      placementSchema: z.record(z.string(), z.unknown()).optional(),
      depends: z.array(
        z.looseObject({
          blueprint: z.string(),
          version: z.string(),
          alias: z.string().optional(),
          when: z.string().optional(),
          values: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
      overlays: z.array(z.string()),
      overlayValues: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
      defaultOverlay: z.string().optional(),
      upgrades: z
        .looseObject({ from: z.array(z.string()).optional(), blocks: z.array(z.string()).optional() })
        .optional(),
      sourceKind: z.string().optional(),
      readme: z.string().optional(),
    }),
  ),
});

/** @public */
export const invalidBlueprintReleaseSchema: z.ZodType<InvalidBlueprintRelease> = z.looseObject({
  repository: z.string(),
  tag: z.string(),
  commit: z.string(),
  errors: z.array(issue),
});

/** @public */
export const blueprintFilesSchema = z.looseObject({
  name: z.string(),
  version: z.string(),
  files: z.record(z.string(), z.string()),
});

/** @public */
export const organizationSummarySchema: z.ZodType<OrganizationSummary> = z.looseObject({
  name: z.string(),
  displayName: z.string(),
  sovereign: z.string(),
  teams: z.array(z.string()),
  environments: z.array(z.string()),
});

/** @public */
export const environmentOverviewSchema: z.ZodType<EnvironmentOverview> = z.looseObject({
  name: z.string(),
  organization: z.string(),
  envType: z.string(),
  placement: z.looseObject({ preset: z.string(), regions: z.array(z.string()) }),
  policy: z
    .looseObject({ rules: z.array(environmentPolicyRuleSchema), merge: z.enum(['automatic', 'manual']).optional() })
    .nullable(),
  governed: z.boolean(),
  head: z.string().optional(),
  repository: z.string(),
  applicationCount: z.number().int().nonnegative(),
  canInstall: z.boolean().optional(),
  freeze: z.looseObject({ reason: z.string(), by: z.string().optional(), since: z.string().optional() }).optional(),
  openChangeRequests: z.number().int().nonnegative().optional(),
});

const placement = z.looseObject({ mode: z.enum(PLACEMENT_MODES), regions: z.array(z.string()) });

const plannedDependency = z.looseObject({
  alias: z.string(),
  blueprint: z.string(),
  application: z.string(),
  mode: z.enum(['embedded', 'existing']),
});

const applicationSummaryShape = {
  name: z.string(),
  environment: z.string(),
  organization: z.string(),
  blueprint: z.string(),
  version: z.string(),
  source: z.enum(BLUEPRINT_SOURCES),
  overlay: z.string().optional(),
  placement,
  dependencies: z.array(plannedDependency),
  dependents: z.array(z.string()),
  paused: z.boolean(),
  lastCommit: commitRecordSchema.optional(),
};

/** @public */
export const applicationSummarySchema: z.ZodType<ApplicationSummary> = z.looseObject(applicationSummaryShape);

/** @public */
export const applicationDetailSchema: z.ZodType<ApplicationDetail> = z.looseObject({
  ...applicationSummaryShape,
  values: z.record(z.string(), z.unknown()),
  files: z.record(z.string(), z.string()),
});

/** @public */
export const fileChangeSchema: z.ZodType<FileChange> = z.looseObject({
  path: z.string(),
  change: z.enum(['added', 'modified', 'removed']),
  before: z.string().optional(),
  after: z.string().optional(),
});

const installPlan = z.looseObject({
  environment: z.string(),
  organization: z.string(),
  root: z.string(),
  applications: z.array(
    z.looseObject({
      name: z.string(),
      blueprint: z.string(),
      version: z.string(),
      source: z.enum(BLUEPRINT_SOURCES),
      organization: z.string().optional(),
      overlay: z.enum(OVERLAY_SIZES).optional(),
      values: z.record(z.string(), z.unknown()),
      placement,
      dependencies: z.array(plannedDependency),
      isNew: z.boolean(),
      paused: z.boolean().optional(),
      requestedBy: z.array(z.string()),
    }),
  ),
  edges: z.array(z.looseObject({ from: z.string(), to: z.string() })),
  order: z.array(z.string()),
  skipped: z.array(z.looseObject({ path: z.string(), blueprint: z.string(), application: z.string() })),
});

/** @public */
export const planResponseSchema: z.ZodType<PlanResponse> = z.looseObject({
  plan: installPlan,
  files: z.record(z.string(), z.string()),
  changes: z.array(fileChangeSchema),
});

/** @public */
export const changeRequestRefSchema: z.ZodType<ChangeRequestRef> = z.looseObject({
  id: z.string(),
  number: z.number(),
  state: z.enum(CHANGE_REQUEST_STATES),
  merged: z.boolean(),
});

/** @public */
export const changeResponseSchema: z.ZodType<ChangeResponse> = z.looseObject({
  action: z.enum(['install', 'configure', 'upgrade', 'uninstall', 'rollback', 'promote', 'policy']),
  environment: z.string(),
  commit: commitRecordSchema,
  changeRequest: changeRequestRefSchema.optional(),
  applications: z.array(z.string()),
  replayed: z.boolean(),
  changed: z.boolean(),
  plan: installPlan.optional(),
});

/** @public */
export const historyEntrySchema: z.ZodType<HistoryEntry> = z.looseObject({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  subject: z.string(),
  message: z.string(),
  author: person,
  committer: person,
  actor: z.string().optional(),
  action: z.string().optional(),
  changes: z.array(fileChangeSchema).optional(),
});

const statusView = z.looseObject({
  status: z.enum(APPLICATION_STATUSES),
  reason: z.string(),
  pods: z.looseObject({ ready: z.number(), total: z.number() }),
  version: z.string().nullable(),
  targetVersion: z.string().nullable(),
});

/** @public */
export const blueprintUsageResponseSchema: z.ZodType<BlueprintUsageResponse> = z.looseObject({
  blueprint: z.string(),
  items: z.array(
    z.looseObject({
      application: z.looseObject({
        name: z.string(),
        environment: z.string(),
        organization: z.string(),
        version: z.string(),
        source: z.enum(BLUEPRINT_SOURCES),
        overlay: z.string().optional(),
      }),
      live: statusView.optional(),
    }),
  ),
});

/** `{items: T[]}`, the shape of every list answer. @public */
export function itemsSchema<T>(item: z.ZodType<T>): z.ZodType<{ items: T[] }> {
  return z.looseObject({ items: z.array(item) }) as unknown as z.ZodType<{ items: T[] }>;
}

/** The health report (`GET /health`). @public */
export const healthReportSchema = z.looseObject({
  status: z.enum(['healthy', 'unhealthy']),
  parts: z.record(z.string(), z.looseObject({ healthy: z.boolean(), detail: z.string() })),
});

/** The live read model of one Environment as a snapshot (`GET /environments/:env/status`). @public */
export const environmentStatusSchema = z.looseObject({
  environment: z.string(),
  revision: z.number(),
  summary: z.unknown(),
  applications: z.array(z.unknown()),
});

/** One Application's live view and recent activity (`GET …/applications/:app/status`). @public */
export const applicationStatusSchema = z.looseObject({
  environment: z.string(),
  revision: z.number(),
  application: z.unknown(),
  activity: z.unknown(),
});

/** Catalyst's catalog entities (`GET /catalog/entities`), for the catalog module. @public */
export const catalogEntitiesSchema = z.looseObject({
  entities: z.array(
    z.looseObject({
      apiVersion: z.string(),
      kind: z.string(),
      metadata: z.looseObject({ name: z.string(), namespace: z.string().optional() }),
    }),
  ),
});

/** Backstage's error JSON with Catalyst's details beside the name and message. @public */
export const errorResponseSchema = z.looseObject({
  error: z.looseObject({
    name: z.string(),
    message: z.string(),
    code: z.string().optional(),
    environment: z.string().optional(),
    issues: z.array(issue).optional(),
  }),
  response: z.looseObject({ statusCode: z.number() }).optional(),
});

const changeRequestCore = {
  id: z.string(),
  number: z.number(),
  environment: z.string(),
  organization: z.string(),
  application: z.string().optional(),
  action: z.enum(CHANGE_REQUEST_ACTIONS),
  title: z.string(),
  author: z.string(),
  state: z.enum(CHANGE_REQUEST_STATES),
  source: z.looseObject({ environment: z.string(), application: z.string() }).optional(),
  blueprint: z.string().optional(),
  version: z.string().optional(),
  valuesDigest: z.string().optional(),
  approvals: z.number(),
  mergeable: z.boolean(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** @public */
export const changeRequestSummarySchema: z.ZodType<ChangeRequestSummaryItem> = z.looseObject(changeRequestCore);

const verdict = z.looseObject({
  rule: z.looseObject({ kind: z.string(), index: z.number().nullable() }),
  status: z.enum(['pass', 'fail', 'pending']),
  code: z.string(),
  reason: z.string(),
  passesAt: z.string().optional(),
  details: z.record(z.string(), z.unknown()),
});

const permission = z.looseObject({ allowed: z.boolean(), reason: z.string().optional() });
const byAt = z.looseObject({ by: z.string(), at: z.string(), reason: z.string() });

/** @public */
export const changeRequestSchema: z.ZodType<ChangeRequest> = z.looseObject({
  ...changeRequestCore,
  branch: z.string(),
  baseCommit: z.string(),
  headCommit: z.string(),
  files: z.array(
    z.looseObject({
      path: z.string(),
      kind: z.enum(['values', 'application', 'flux', 'policy', 'manifest']),
      before: z.string().nullable(),
      after: z.string().nullable(),
    }),
  ),
  approvalsList: z.array(
    z.looseObject({
      user: z.string(),
      displayName: z.string().optional(),
      teams: z.array(z.string()),
      at: z.string(),
      comment: z.string().optional(),
      stale: z.boolean(),
    }),
  ),
  evaluation: z
    .looseObject({
      changeId: z.string(),
      environment: z.string(),
      evaluatedAt: z.string(),
      mergeable: z.boolean(),
      verdicts: z.array(verdict),
      blockedBy: z.array(z.looseObject({ kind: z.string(), index: z.number().nullable() })),
      nextEvaluationAt: z.string().nullable(),
    })
    .nullable() as z.ZodType<ChangeRequest['evaluation']>,
  mergeMode: z.enum(['automatic', 'manual']),
  revisedAt: z.string(),
  rejection: byAt.optional(),
  merge: z.looseObject({ commit: z.string(), at: z.string(), by: z.string().optional() }).optional(),
  breakGlass: byAt.optional(),
  supersededBy: z.string().optional(),
  conflict: z.looseObject({ at: z.string(), reason: z.string() }).optional(),
  timeline: z.array(
    z.looseObject({
      at: z.string(),
      actor: z.string().optional(),
      type: z.enum([
        'opened',
        'approved',
        'rejected',
        'revised',
        'conflicted',
        'rebased',
        'merged',
        'superseded',
        'break-glass',
        'evaluated',
      ]),
      message: z.string(),
    }),
  ),
  can: z.looseObject({
    approve: permission,
    reject: permission,
    merge: permission,
    rebase: permission,
    breakGlass: permission,
  }),
});

/** @public */
export const environmentFreezeSchema: z.ZodType<EnvironmentFreezeState> = z.looseObject({
  environment: z.string(),
  frozen: z.boolean(),
  reason: z.string().optional(),
  by: z.string().optional(),
  since: z.string().optional(),
});
