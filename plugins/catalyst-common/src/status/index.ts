export { APPLICATION_STATUSES, deriveApplicationStatus } from './deriveApplicationStatus';
export type {
  ApplicationStatus,
  ApplicationStatusFacts,
  ApplicationStatusView,
  ConditionFacts,
  ContainerStatusFacts,
  DeploymentStatusFacts,
  DesiredApplicationFacts,
  HelmReleaseStatusFacts,
  KustomizationStatusFacts,
  PodStatusFacts,
} from './deriveApplicationStatus';
export { revisionIncludes, revisionSha, sameCommit, shortRevision } from './revisions';
