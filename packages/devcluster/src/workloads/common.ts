import { JsonObject, KubeObject, OwnerReference } from '../types';
import { canonicalJson, isRecord } from '../util/json';
import { safeSuffix } from '../util/hash';

/** The single node every devcluster pod is "scheduled" on. */
export const NODE_NAME = 'devcluster-node';
export const NODE_IP = '10.0.0.10';

/** Pod (template) annotation overriding how long a pod takes to become Ready. */
export const READY_DELAY_ANNOTATION = 'devcluster.catalyst.openova.io/ready-delay-ms';

export function controllerRef(owner: KubeObject): OwnerReference {
  return {
    apiVersion: owner.apiVersion,
    kind: owner.kind,
    name: owner.metadata.name,
    uid: owner.metadata.uid ?? '',
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function controllerUid(object: KubeObject): string | undefined {
  return object.metadata.ownerReferences?.find(r => r.controller)?.uid;
}

/** Hash of a pod template, used in ReplicaSet names and `pod-template-hash` labels. */
export function templateHash(template: unknown): string {
  return safeSuffix(canonicalJson(template ?? {}), 10);
}

/** Resolves an int-or-percent field (`maxSurge: 25%`) against `total`. */
export function intOrPercent(value: unknown, total: number, fallback: string, roundUp: boolean): number {
  const raw = value ?? fallback;
  if (typeof raw === 'number') return raw;
  const match = /^(\d+)%$/.exec(String(raw));
  if (!match) return Number(raw) || 0;
  const exact = (Number(match[1]) * total) / 100;
  return roundUp ? Math.ceil(exact) : Math.floor(exact);
}

/** Drops zero and empty counters, as the API omits them (`readyReplicas` is absent when 0). */
export function omitZeros(status: JsonObject): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(status)) {
    if (value === 0 || value === undefined) continue;
    result[key] = value;
  }
  return result;
}

export function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

export type FailureHook = 'none' | 'crashloop' | 'imagepullbackoff';

/** The image tag, or '' (a digest-only or untagged image). */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const lastColon = withoutDigest.lastIndexOf(':');
  return lastColon > lastSlash ? withoutDigest.slice(lastColon + 1) : '';
}

/** The deterministic failure a container image asks for (see the README's failure hooks). */
export function failureHookOf(image: unknown): FailureHook {
  if (typeof image !== 'string') return 'none';
  const tag = imageTag(image);
  if (tag.endsWith('-crashloop')) return 'crashloop';
  if (tag.endsWith('-imagepullbackoff')) return 'imagepullbackoff';
  return 'none';
}

export interface ContainerSpec {
  name: string;
  image?: string;
}

export function containersOf(podSpec: unknown, field: 'containers' | 'initContainers' = 'containers'): ContainerSpec[] {
  if (!isRecord(podSpec) || !Array.isArray(podSpec[field])) return [];
  return (podSpec[field] as unknown[]).filter((c): c is ContainerSpec => isRecord(c) && typeof c.name === 'string');
}
