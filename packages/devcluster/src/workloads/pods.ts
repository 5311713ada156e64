import { JsonObject, KubeObject } from '../types';
import { cloneJson, getRecord } from '../util/json';
import { safeSuffix } from '../util/hash';
import { findCondition } from '../util/conditions';
import { controllerRef } from './common';

/** Builds a Pod from a controller's template, as the ReplicaSet/StatefulSet/DaemonSet controllers do. */
export function podFromTemplate(
  owner: KubeObject,
  name: string,
  template: JsonObject,
  extraLabels: Record<string, string> = {},
  generateName?: string,
): KubeObject {
  const meta = getRecord(template, ['metadata']) ?? {};
  const spec = cloneJson(getRecord(template, ['spec']) ?? {});
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      ...(generateName ? { generateName } : {}),
      namespace: owner.metadata.namespace,
      labels: { ...((meta.labels as Record<string, string>) ?? {}), ...extraLabels },
      ...(meta.annotations ? { annotations: cloneJson(meta.annotations as Record<string, string>) } : {}),
      ownerReferences: [controllerRef(owner)],
    },
    spec: {
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      serviceAccountName: 'default',
      schedulerName: 'default-scheduler',
      ...spec,
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  };
}

/** A free `<prefix><5 chars>` pod name; the suffix is derived from a hash, never random. */
export function generatePodName(prefix: string, seed: string, taken: Set<string>): string {
  for (let attempt = 0; ; attempt++) {
    const name = `${prefix}${safeSuffix(`${seed}/${attempt}`, 5)}`;
    if (!taken.has(name)) return name;
  }
}

export function isPodReady(pod: KubeObject): boolean {
  return findCondition(pod.status, 'Ready')?.status === 'True';
}

/** Ready for at least `minReadySeconds` (by the Ready condition's transition time). */
export function isPodAvailable(pod: KubeObject, minReadySeconds: number, now: number): boolean {
  if (!isPodReady(pod)) return false;
  if (minReadySeconds <= 0) return true;
  const since = Date.parse(findCondition(pod.status, 'Ready')?.lastTransitionTime ?? '');
  return Number.isFinite(since) && now - since >= minReadySeconds * 1000;
}
