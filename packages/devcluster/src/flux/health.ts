import { KubeObject } from '../types';
import { getNumber, getRecord } from '../util/json';
import { findCondition } from '../util/conditions';

export type HealthStatus = 'Current' | 'InProgress' | 'Failed' | 'NotFound';

const FLUX_KINDS = new Set([
  'Kustomization',
  'HelmRelease',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
  'HelmChart',
  'Bucket',
]);

/**
 * kstatus-style health of one object, as Flux's `wait`/`healthChecks` use it.
 * Kinds the devcluster runs no controller for (Jobs, CronJobs, HPAs,
 * Ingresses, …) have no status to wait for and count as Current.
 */
export function healthOf(object: KubeObject | undefined): HealthStatus {
  if (!object) return 'NotFound';
  const generation = object.metadata.generation;
  const status = getRecord(object, ['status']) ?? {};
  const observed = getNumber(status, ['observedGeneration']);
  const stale = generation !== undefined && (observed === undefined || observed < generation);
  const count = (field: string) => getNumber(status, [field]) ?? 0;
  const specReplicas = getNumber(object, ['spec', 'replicas']) ?? 1;

  switch (object.kind) {
    case 'Deployment': {
      if (stale) return 'InProgress';
      const progressing = findCondition(status, 'Progressing');
      if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') return 'Failed';
      if (count('updatedReplicas') < specReplicas) return 'InProgress';
      if (count('replicas') > count('updatedReplicas')) return 'InProgress';
      if (count('availableReplicas') < specReplicas) return 'InProgress';
      if (count('readyReplicas') < specReplicas) return 'InProgress';
      return 'Current';
    }
    case 'ReplicaSet':
      if (stale) return 'InProgress';
      return count('availableReplicas') < specReplicas || count('readyReplicas') < specReplicas
        ? 'InProgress'
        : 'Current';
    case 'StatefulSet':
      if (stale) return 'InProgress';
      if (count('readyReplicas') < specReplicas || count('updatedReplicas') < specReplicas) return 'InProgress';
      return status.currentRevision === status.updateRevision ? 'Current' : 'InProgress';
    case 'DaemonSet':
      if (stale) return 'InProgress';
      return count('numberReady') < count('desiredNumberScheduled') || count('desiredNumberScheduled') === 0
        ? 'InProgress'
        : 'Current';
    case 'Pod': {
      if (status.phase === 'Succeeded') return 'Current';
      if (status.phase === 'Failed') return 'Failed';
      return status.phase === 'Running' && findCondition(status, 'Ready')?.status === 'True' ? 'Current' : 'InProgress';
    }
    default:
      break;
  }

  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  if (FLUX_KINDS.has(object.kind) || conditions.length > 0) {
    if (findCondition(status, 'Stalled')?.status === 'True') return 'Failed';
    const ready = findCondition(status, 'Ready');
    if (!ready) return FLUX_KINDS.has(object.kind) ? 'InProgress' : 'Current';
    if (stale) return 'InProgress';
    return ready.status === 'True' ? 'Current' : 'InProgress';
  }
  return 'Current';
}
