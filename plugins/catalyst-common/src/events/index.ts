export {
  CATALYST_EVENT_TYPES,
  applicationEventDataSchema,
  catalystEventDataSchemas,
  catalystEventSchema,
  changeRequestApprovedDataSchema,
  changeRequestClosedDataSchema,
  changeRequestMergedDataSchema,
  changeRequestOpenedDataSchema,
  createCatalystEvent,
  deploymentObjectSchema,
  environmentCreatedDataSchema,
  gitCommitEventDataSchema,
  gitRepositoryObjectSchema,
  helmReleaseObjectSchema,
  k8sConditionSchema,
  k8sObjectEventDataSchema,
  k8sObjectSchema,
  kustomizationObjectSchema,
  namespaceObjectSchema,
  podObjectSchema,
  replicaSetObjectSchema,
  serviceObjectSchema,
  validateEvent,
} from './catalystEvent';
export type {
  CatalystEvent,
  CatalystEventDataMap,
  CatalystEventType,
  EventValidation,
  KnownCatalystEvent,
} from './catalystEvent';
export { natsSubjectForEvent } from './eventSubject';
export {
  FLUX_OBJECT_KINDS,
  K8S_OBJECT_KINDS,
  catalystSubject,
  decodeSubjectToken,
  encodeSubjectToken,
  environmentSubjectFilter,
  fluxSubject,
  gitSubject,
  k8sSubject,
} from './subjects';
export type { FluxObjectKind, K8sObjectKind, SubjectResult } from './subjects';
export { formatInstant, parseInstant } from './instant';
export { CATALYST_TRAILERS, parseTrailers, withTrailers } from './trailers';
