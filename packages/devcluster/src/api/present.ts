import { KubeObject } from '../types';
import { apiVersionOf, ResourceType } from '../store/resources';
import { FieldRequirement, LabelRequirement, matchesFields, matchesLabels } from '../store/selectors';

/** A request's view of one resource type: which objects it sees and how they are shown. */
export interface ResourceQuery {
  resource: ResourceType;
  namespace?: string;
  labels: LabelRequirement[];
  fields: FieldRequirement[];
}

/**
 * Stored objects keep the apiVersion their manifest used (e.g. a Flux
 * `v1beta2` source); the API shows them in the served version, the way the
 * real API server converts between versions.
 */
export function present(object: Readonly<KubeObject>, resource: ResourceType): KubeObject {
  return { ...object, apiVersion: apiVersionOf(resource), kind: resource.kind };
}

export function matchesQuery(object: Readonly<KubeObject>, query: ResourceQuery): boolean {
  return (
    object.kind === query.resource.kind &&
    (query.namespace === undefined || object.metadata.namespace === query.namespace) &&
    matchesLabels(object.metadata.labels, query.labels) &&
    matchesFields(object as KubeObject, query.fields)
  );
}
