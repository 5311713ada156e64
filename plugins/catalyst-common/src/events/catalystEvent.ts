import { z } from 'zod';
import { CatalystIssue, jsonPath } from '../issues';
import { parseInstant } from './instant';
import { K8S_OBJECT_KINDS } from './subjects';

/**
 * CloudEvents `type` of every event the read side handles (docs/contracts.md §4:
 * `io.catalyst.<area>.<what>`).
 *
 * @public
 */
export const CATALYST_EVENT_TYPES = {
  k8sObjectUpserted: 'io.catalyst.k8s.object.upserted',
  k8sObjectDeleted: 'io.catalyst.k8s.object.deleted',
  fluxKustomizationStatus: 'io.catalyst.flux.kustomization.status',
  fluxKustomizationDeleted: 'io.catalyst.flux.kustomization.deleted',
  fluxHelmReleaseStatus: 'io.catalyst.flux.helmrelease.status',
  fluxHelmReleaseDeleted: 'io.catalyst.flux.helmrelease.deleted',
  fluxGitRepositoryStatus: 'io.catalyst.flux.gitrepository.status',
  fluxGitRepositoryDeleted: 'io.catalyst.flux.gitrepository.deleted',
  gitCommit: 'io.catalyst.git.commit',
  applicationInstalled: 'io.catalyst.application.installed',
  applicationConfigured: 'io.catalyst.application.configured',
  applicationUpgraded: 'io.catalyst.application.upgraded',
  applicationUninstalled: 'io.catalyst.application.uninstalled',
  applicationRolledBack: 'io.catalyst.application.rolled-back',
  changeRequestOpened: 'io.catalyst.change-request.opened',
  changeRequestApproved: 'io.catalyst.change-request.approved',
  changeRequestMerged: 'io.catalyst.change-request.merged',
  changeRequestClosed: 'io.catalyst.change-request.closed',
  changeRequestUpdated: 'io.catalyst.change-request.updated',
  environmentCreated: 'io.catalyst.environment.created',
} as const;

/** @public */
export type CatalystEventType = (typeof CATALYST_EVENT_TYPES)[keyof typeof CATALYST_EVENT_TYPES];

const rfc3339 = z.string().refine(v => parseInstant(v) !== null, 'must be an RFC 3339 time with an offset');
const stringMap = z.record(z.string(), z.string());

/** @public */
export const k8sConditionSchema = z.looseObject({
  type: z.string(),
  status: z.enum(['True', 'False', 'Unknown']),
  reason: z.string().optional(),
  message: z.string().optional(),
  lastTransitionTime: z.string().optional(),
});

/** The object metadata every summary needs; everything else passes through untouched. */
const objectMetaSchema = z.looseObject({
  name: z.string().min(1),
  namespace: z.string().min(1).optional(),
  uid: z.string().optional(),
  resourceVersion: z.string().min(1),
  generation: z.number().int().optional(),
  labels: stringMap.optional(),
  annotations: stringMap.optional(),
  deletionTimestamp: z.string().optional(),
  ownerReferences: z.array(z.looseObject({ kind: z.string(), name: z.string() })).optional(),
});

const looseRecord = z.looseObject({});
const count = z.number().int().min(0);
const conditions = z.array(k8sConditionSchema).optional();

/** @public */
export const k8sObjectSchema = z.looseObject({
  apiVersion: z.string().optional(),
  kind: z.string().optional(),
  metadata: objectMetaSchema,
  spec: looseRecord.optional(),
  status: looseRecord.optional(),
});

/** @public */
export const deploymentObjectSchema = k8sObjectSchema.extend({
  spec: z.looseObject({ replicas: count.optional() }).optional(),
  status: z
    .looseObject({
      observedGeneration: z.number().int().optional(),
      replicas: count.optional(),
      readyReplicas: count.optional(),
      updatedReplicas: count.optional(),
      availableReplicas: count.optional(),
      conditions,
    })
    .optional(),
});

/** @public */
export const replicaSetObjectSchema = k8sObjectSchema.extend({
  spec: z.looseObject({ replicas: count.optional() }).optional(),
  status: z.looseObject({ replicas: count.optional(), readyReplicas: count.optional() }).optional(),
});

const containerStatusSchema = z.looseObject({
  name: z.string(),
  ready: z.boolean().optional(),
  restartCount: count.optional(),
  state: z
    .looseObject({
      waiting: z.looseObject({ reason: z.string().optional(), message: z.string().optional() }).optional(),
      terminated: z.looseObject({ reason: z.string().optional() }).optional(),
    })
    .optional(),
});

/** @public */
export const podObjectSchema = k8sObjectSchema.extend({
  status: z
    .looseObject({
      phase: z.string().optional(),
      conditions,
      containerStatuses: z.array(containerStatusSchema).optional(),
      initContainerStatuses: z.array(containerStatusSchema).optional(),
    })
    .optional(),
});

/** @public */
export const serviceObjectSchema = k8sObjectSchema.extend({
  spec: z
    .looseObject({
      type: z.string().optional(),
      clusterIP: z.string().optional(),
      ports: z
        .array(
          z.looseObject({
            name: z.string().optional(),
            port: z.number().int(),
            protocol: z.string().optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

/** @public */
export const namespaceObjectSchema = k8sObjectSchema.extend({
  status: z.looseObject({ phase: z.string().optional() }).optional(),
});

/** @public */
export const kustomizationObjectSchema = k8sObjectSchema.extend({
  spec: z
    .looseObject({
      suspend: z.boolean().optional(),
      dependsOn: z.array(z.looseObject({ name: z.string(), namespace: z.string().optional() })).optional(),
    })
    .optional(),
  status: z
    .looseObject({
      observedGeneration: z.number().int().optional(),
      lastAppliedRevision: z.string().optional(),
      lastAttemptedRevision: z.string().optional(),
      conditions,
    })
    .optional(),
});

/** @public */
export const helmReleaseObjectSchema = k8sObjectSchema.extend({
  spec: z.looseObject({ suspend: z.boolean().optional() }).optional(),
  status: z
    .looseObject({
      observedGeneration: z.number().int().optional(),
      lastAttemptedRevision: z.string().optional(),
      conditions,
    })
    .optional(),
});

/** @public */
export const gitRepositoryObjectSchema = k8sObjectSchema.extend({
  status: z
    .looseObject({
      artifact: z.looseObject({ revision: z.string().optional() }).optional(),
      conditions,
    })
    .optional(),
});

/** @public */
export const k8sObjectEventDataSchema = z.object({
  kind: z.enum(K8S_OBJECT_KINDS),
  object: k8sObjectSchema,
});

const fluxObjectData = <T extends z.ZodType>(object: T) => z.object({ object });

const userSchema = z.object({
  name: z.string().min(1),
  email: z.string().optional(),
  /** Backstage user ref when the commit came from Catalyst. */
  user: z.string().optional(),
});

/** @public */
export const gitCommitEventDataSchema = z.object({
  sha: z.string().regex(/^[0-9a-f]{7,64}$/, 'must be a lower-case hex sha'),
  parents: z.array(z.string()).optional(),
  branch: z.string().optional(),
  author: userSchema,
  message: z.string(),
  time: rfc3339,
  /** The Application folders the commit changed, with the Application's pin as the commit leaves it. */
  applications: z.array(
    z.object({
      name: z.string().min(1),
      change: z.enum(['added', 'modified', 'removed']),
      blueprint: z.string().optional(),
      version: z.string().optional(),
      /** `catalog` or `shared-blueprints` (the Application's `spec.blueprintRef.source`). */
      source: z.string().optional(),
      /** `spec.overlay`; absent beside a `blueprint` means the Application has none. */
      overlay: z.string().optional(),
      valuesDigest: z.string().optional(),
      paused: z.boolean().optional(),
    }),
  ),
  touchesPolicies: z.boolean().optional(),
});

/** @public */
export const applicationEventDataSchema = z.object({
  application: z.string().min(1),
  blueprint: z.string().optional(),
  version: z.string().optional(),
  previousVersion: z.string().optional(),
  commit: z.string().optional(),
  actor: z.string().optional(),
  changeRequest: z.string().optional(),
});

/** @public */
export const changeRequestOpenedDataSchema = z.object({
  id: z.string().min(1),
  application: z.string().min(1).optional(),
  destinationEnvironment: z.string().min(1),
  sourceEnvironment: z.string().optional(),
  author: z.string().min(1),
  title: z.string().optional(),
  blueprint: z.string().optional(),
  version: z.string().optional(),
  valuesDigest: z.string().optional(),
  touchesPolicies: z.boolean().optional(),
});

/** @public */
export const changeRequestApprovedDataSchema = z.object({
  id: z.string().min(1),
  approver: z.string().min(1),
  teams: z.array(z.string()).optional(),
});

/** @public */
export const changeRequestMergedDataSchema = z.object({
  id: z.string().min(1),
  commit: z.string().optional(),
  by: z.string().optional(),
});

/** @public */
export const changeRequestClosedDataSchema = z.object({
  id: z.string().min(1),
  by: z.string().optional(),
  reason: z.string().optional(),
  /** Why it closed without merging. */
  outcome: z.enum(['rejected', 'superseded']).optional(),
});

/**
 * A change request changed without opening, approving or closing: the destination moved under it
 * (`conflicted`), or it was recomputed (`revisedAt`: approvals given before then no longer count).
 *
 * @public
 */
export const changeRequestUpdatedDataSchema = z.object({
  id: z.string().min(1),
  conflicted: z.boolean(),
  revisedAt: z.string().optional(),
  /** Whether every rule passes now (sent when an evaluation changed a verdict or this). */
  mergeable: z.boolean().optional(),
  by: z.string().optional(),
});

/** @public */
export const environmentCreatedDataSchema = z.object({
  environment: z.string().min(1),
  organization: z.string().min(1),
  envType: z.string().min(1),
});

/**
 * The `data` schema of each known event type.
 *
 * @public
 */
export const catalystEventDataSchemas = {
  [CATALYST_EVENT_TYPES.k8sObjectUpserted]: k8sObjectEventDataSchema,
  [CATALYST_EVENT_TYPES.k8sObjectDeleted]: k8sObjectEventDataSchema,
  [CATALYST_EVENT_TYPES.fluxKustomizationStatus]: fluxObjectData(kustomizationObjectSchema),
  [CATALYST_EVENT_TYPES.fluxKustomizationDeleted]: fluxObjectData(kustomizationObjectSchema),
  [CATALYST_EVENT_TYPES.fluxHelmReleaseStatus]: fluxObjectData(helmReleaseObjectSchema),
  [CATALYST_EVENT_TYPES.fluxHelmReleaseDeleted]: fluxObjectData(helmReleaseObjectSchema),
  [CATALYST_EVENT_TYPES.fluxGitRepositoryStatus]: fluxObjectData(gitRepositoryObjectSchema),
  [CATALYST_EVENT_TYPES.fluxGitRepositoryDeleted]: fluxObjectData(gitRepositoryObjectSchema),
  [CATALYST_EVENT_TYPES.gitCommit]: gitCommitEventDataSchema,
  [CATALYST_EVENT_TYPES.applicationInstalled]: applicationEventDataSchema,
  [CATALYST_EVENT_TYPES.applicationConfigured]: applicationEventDataSchema,
  [CATALYST_EVENT_TYPES.applicationUpgraded]: applicationEventDataSchema,
  [CATALYST_EVENT_TYPES.applicationUninstalled]: applicationEventDataSchema,
  [CATALYST_EVENT_TYPES.applicationRolledBack]: applicationEventDataSchema,
  [CATALYST_EVENT_TYPES.changeRequestOpened]: changeRequestOpenedDataSchema,
  [CATALYST_EVENT_TYPES.changeRequestApproved]: changeRequestApprovedDataSchema,
  [CATALYST_EVENT_TYPES.changeRequestMerged]: changeRequestMergedDataSchema,
  [CATALYST_EVENT_TYPES.changeRequestClosed]: changeRequestClosedDataSchema,
  [CATALYST_EVENT_TYPES.changeRequestUpdated]: changeRequestUpdatedDataSchema,
  [CATALYST_EVENT_TYPES.environmentCreated]: environmentCreatedDataSchema,
} as const;

/** @public */
export type CatalystEventDataMap = {
  [T in CatalystEventType]: z.infer<(typeof catalystEventDataSchemas)[T]>;
};

/**
 * The CloudEvents 1.0 envelope of every read-side event (docs/contracts.md §4). `subject` is the
 * CloudEvents subject (`<kind>/<name>`), not the NATS subject.
 *
 * @public
 */
export interface CatalystEvent<TType extends string = string, TData = unknown> {
  specversion: '1.0';
  /** Unique; also the `Nats-Msg-Id` used for publish de-duplication. */
  id: string;
  /** `catalyst/<component>`, e.g. `catalyst/informer`. */
  source: string;
  type: TType;
  subject: string;
  time: string;
  datacontenttype?: 'application/json';
  catalystorg: string;
  catalystenv: string;
  data: TData;
}

/**
 * An event whose `type` is one of {@link CATALYST_EVENT_TYPES}, with its `data` typed.
 *
 * @public
 */
export type KnownCatalystEvent = {
  [T in CatalystEventType]: CatalystEvent<T, CatalystEventDataMap[T]>;
}[CatalystEventType];

/** @public */
export const catalystEventSchema = z.object({
  specversion: z.literal('1.0'),
  id: z.string().min(1),
  source: z.string().min(1),
  type: z.string().regex(/^[a-z0-9]+(?:[.-][a-z0-9]+)*$/, 'must be a dotted lower-case type'),
  subject: z.string().min(1),
  time: rfc3339,
  datacontenttype: z.literal('application/json').optional(),
  catalystorg: z.string().min(1),
  catalystenv: z.string().min(1),
  data: z.unknown(),
});

/** @public */
export type EventValidation =
  | { ok: true; known: true; event: KnownCatalystEvent }
  | { ok: true; known: false; event: CatalystEvent }
  | { ok: false; issues: CatalystIssue[] };

function toIssues(error: z.ZodError, prefix: string[]): CatalystIssue[] {
  return error.issues.map(issue => ({
    code: 'invalid-event',
    path: jsonPath(
      ...prefix,
      ...issue.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number'),
    ),
    message: issue.message,
  }));
}

function isKnownType(type: string): type is CatalystEventType {
  return Object.prototype.hasOwnProperty.call(catalystEventDataSchemas, type);
}

/**
 * Validates an envelope and, for known types, its `data`. Unknown types are valid envelopes the
 * projector skips (newer publishers, older projector).
 *
 * @public
 */
export function validateEvent(input: unknown): EventValidation {
  const envelope = catalystEventSchema.safeParse(input);
  if (!envelope.success) return { ok: false, issues: toIssues(envelope.error, []) };
  const event = envelope.data as CatalystEvent;
  if (!isKnownType(event.type)) return { ok: true, known: false, event };
  const data = catalystEventDataSchemas[event.type].safeParse(event.data);
  if (!data.success) return { ok: false, issues: toIssues(data.error, ['data']) };
  return { ok: true, known: true, event: { ...event, data: data.data } as KnownCatalystEvent };
}

/**
 * Fills the constant envelope fields. `time` is passed in like every clock reading in this package.
 *
 * @public
 */
export function createCatalystEvent<T extends CatalystEventType>(fields: {
  id: string;
  source: string;
  type: T;
  subject: string;
  time: string;
  organization: string;
  environment: string;
  data: CatalystEventDataMap[T];
}): CatalystEvent<T, CatalystEventDataMap[T]> {
  return {
    specversion: '1.0',
    id: fields.id,
    source: fields.source,
    type: fields.type,
    subject: fields.subject,
    time: fields.time,
    datacontenttype: 'application/json',
    catalystorg: fields.organization,
    catalystenv: fields.environment,
    data: fields.data,
  };
}
