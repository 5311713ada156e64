export { foldEvent, project, projectWithChanges } from './project';
export type { FoldResult, ProjectionOutcome, ProjectionResult } from './project';
export { KV_KEYS, diffKvEntries, environmentSummary, fromKvEntries, kvKey, toKvEntries } from './kv';
export type { EnvironmentSummary, ProjectionChanges } from './kv';
export { PROJECTION_LIMITS, createEnvironmentState } from './state';
export type {
  ActivityEntry,
  ApplicationView,
  ChangeRequestStatus,
  ChangeRequestSummary,
  CommitSummary,
  ContainerSummary,
  DeploymentSummary,
  DesiredApplicationRecord,
  EnvironmentState,
  GitRepositorySummary,
  HelmReleaseSummary,
  KustomizationSummary,
  NamespaceWorkloads,
  PodSummary,
  ReplicaSetSummary,
  ServiceSummary,
} from './state';
export { CATALYST_LABELS } from './summaries';
export { soakObservationFor, soakObservationOfView } from './soak';
export {
  blueprintUsageEntries,
  blueprintUsageItems,
  blueprintUsageKey,
  diffBlueprintUsage,
  parseBlueprintUsageKey,
} from './usage';
export type { BlueprintUsageChanges, BlueprintUsageRecord } from './usage';
