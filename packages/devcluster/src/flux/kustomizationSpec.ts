import { JsonObject, KubeObject } from '../types';
import { refOf } from '../store/ObjectStore';
import { groupOf } from '../store/resources';
import { getRecord, getString, isRecord } from '../util/json';
import { parseGoDuration } from '../util/time';
import { BuildOverlay } from './kustomize/build';
import { FLUX_NAMESPACE } from './sources';

/** Reading a Kustomization's spec the way kustomize-controller does; no store writes here. */

export const KS_GROUP = 'kustomize.toolkit.fluxcd.io';
export const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
export const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
export const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';

// Flux's default `interval` when a Kustomization leaves it out.
const DEFAULT_INTERVAL_MS = 10 * 60_000;

export type HealthRef = { group: string; kind: string; namespace?: string; name: string };

export function ksKey(ks: KubeObject): string {
  return `${ks.metadata.namespace}/${ks.metadata.name}`;
}

/** `Kind/namespace/name`, or `Kind/name` for cluster-scoped objects, as Flux writes refs in messages. */
export function describeRef(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

export function isSuspended(ks: KubeObject): boolean {
  return getRecord(ks, ['spec'])?.suspend === true;
}

function durationOf(value: unknown, fallbackMs: number): number {
  return typeof value === 'string' ? parseGoDuration(value) ?? fallbackMs : fallbackMs;
}

/** `interval`, `retryInterval` (default interval) and `timeout` (default interval) in ms. */
export function scheduleOf(ks: KubeObject): { intervalMs: number; retryMs: number; timeoutMs: number } {
  const spec = getRecord(ks, ['spec']) ?? {};
  const intervalMs = durationOf(spec.interval, DEFAULT_INTERVAL_MS);
  return {
    intervalMs,
    retryMs: durationOf(spec.retryInterval, intervalMs),
    timeoutMs: durationOf(spec.timeout, intervalMs),
  };
}

export function dependsOnOf(ks: KubeObject): Array<{ namespace: string; name: string }> {
  const deps = getRecord(ks, ['spec'])?.dependsOn;
  if (!Array.isArray(deps)) return [];
  return deps
    .filter(isRecord)
    .filter(d => typeof d.name === 'string')
    .map(d => ({
      name: d.name as string,
      namespace: (d.namespace as string | undefined) ?? ks.metadata.namespace ?? FLUX_NAMESPACE,
    }));
}

/** Kustomizations sorted so that dependencies come before their dependents (then by key). */
export function inDependencyOrder(all: KubeObject[]): KubeObject[] {
  const byKey = new Map(all.map(ks => [ksKey(ks), ks]));
  const depth = new Map<string, number>();
  const depthOf = (ks: KubeObject, seen: Set<string>): number => {
    const key = ksKey(ks);
    if (depth.has(key)) return depth.get(key)!;
    if (seen.has(key)) return 0; // a cycle: Flux would wait forever too
    seen.add(key);
    let d = 0;
    for (const dep of dependsOnOf(ks)) {
      const target = byKey.get(`${dep.namespace}/${dep.name}`);
      if (target) d = Math.max(d, depthOf(target, seen) + 1);
    }
    depth.set(key, d);
    return d;
  };
  return all
    .map(ks => ({ ks, d: depthOf(ks, new Set()) }))
    .sort((a, b) => a.d - b.d || (ksKey(a.ks) < ksKey(b.ks) ? -1 : 1))
    .map(x => x.ks);
}

/** True when the Kustomization reads the given GitRepository in flux-system. */
export function usesGitRepository(ks: KubeObject, name: string): boolean {
  const sourceRef = getRecord(ks, ['spec', 'sourceRef']) ?? {};
  return (
    sourceRef.kind === 'GitRepository' &&
    sourceRef.name === name &&
    (getString(sourceRef, ['namespace']) ?? ks.metadata.namespace) === FLUX_NAMESPACE
  );
}

/**
 * `spec.sourceRef` with Flux's namespace default and its `Kind/ns/name` text. `kind` is as written
 * (undefined when left out, which matches no source); the text shows GitRepository then.
 */
export function sourceRefOf(ks: KubeObject): { kind?: string; namespace?: string; name: string; text: string } {
  const sourceRef = getRecord(ks, ['spec', 'sourceRef']) ?? {};
  const namespace = getString(sourceRef, ['namespace']) ?? ks.metadata.namespace;
  const name = getString(sourceRef, ['name']) ?? '';
  const kind = sourceRef.kind === undefined ? undefined : String(sourceRef.kind);
  return { kind, namespace, name, text: `${kind ?? 'GitRepository'}/${namespace}/${name}` };
}

/** `spec.path` relative to the repo root: `./apps/`, `/apps` and `apps` are the same; `.` is the root. */
export function buildPathOf(spec: JsonObject): string {
  return String(spec.path ?? '')
    .replace(/^\.?\/+/, '')
    .replace(/^\.$/, '')
    .replace(/\/+$/, '');
}

/** The fields of the Kustomization itself that kustomize-controller applies on top of the build. */
export function buildOverlayOf(spec: JsonObject): BuildOverlay {
  return {
    targetNamespace: getString(spec, ['targetNamespace']),
    namePrefix: getString(spec, ['namePrefix']),
    nameSuffix: getString(spec, ['nameSuffix']),
    commonMetadata: getRecord(spec, ['commonMetadata']) as BuildOverlay['commonMetadata'],
    patches: Array.isArray(spec.patches) ? (spec.patches as BuildOverlay['patches']) : undefined,
    images: Array.isArray(spec.images) ? (spec.images as BuildOverlay['images']) : undefined,
  };
}

/** `wait: true` checks everything applied; otherwise the listed `healthChecks`. */
export function healthCheckRefs(ks: KubeObject, applied: KubeObject[]): HealthRef[] {
  const spec = getRecord(ks, ['spec']) ?? {};
  if (spec.wait === true) return applied.map(o => ({ ...refOf(o) }));
  const checks = Array.isArray(spec.healthChecks) ? spec.healthChecks.filter(isRecord) : [];
  return checks.map(c => ({
    group: groupOf(String(c.apiVersion ?? '')),
    kind: String(c.kind),
    namespace: (c.namespace as string | undefined) ?? ks.metadata.namespace,
    name: String(c.name),
  }));
}
