import { DevClusterLogger, KubeObject } from '../types';
import { ObjectStore, refOf } from '../store/ObjectStore';
import { admit, ServiceIpAllocator } from '../store/admission';
import { groupOf, isNamespacedKind } from '../store/resources';
import { cloneJson, getRecord, getString } from '../util/json';
import { applyOrder, InventoryEntry, readInventory, refFromInventoryId } from './inventory';
import { describeRef, isSuspended, KS_GROUP, ksKey, NAME_LABEL, NAMESPACE_LABEL } from './kustomizationSpec';
import { FLUX_NAMESPACE } from './sources';

/** Applying a build to the store and pruning what left it: the API-server half of a reconcile. */

const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
/** Marks a target Namespace the devcluster created, so it is removed with its Kustomization. */
export const CREATED_FOR_ANNOTATION = 'devcluster.catalyst.openova.io/created-for';
// Metadata written by controllers, not by manifests: an apply keeps it.
const CONTROLLER_OWNED_PREFIXES = ['deployment.kubernetes.io/'];

/**
 * Server-side apply, simplified: the manifest's fields replace the stored
 * ones, while status and controller-owned metadata are kept.
 */
export function mergeForApply(existing: KubeObject | undefined, desired: KubeObject): KubeObject {
  const result = cloneJson(desired);
  if (!existing) return result;
  const keep = (from: Record<string, string> | undefined) =>
    Object.fromEntries(
      Object.entries(from ?? {}).filter(([k]) => CONTROLLER_OWNED_PREFIXES.some(p => k.startsWith(p))),
    );
  const annotations = { ...keep(existing.metadata.annotations), ...result.metadata.annotations };
  result.metadata = {
    ...result.metadata,
    ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    ...(existing.metadata.ownerReferences && !result.metadata.ownerReferences
      ? { ownerReferences: existing.metadata.ownerReferences }
      : {}),
  };
  if (existing.status !== undefined) result.status = existing.status;
  return result;
}

export type AdmitResult = { ok: true; objects: KubeObject[] } | { ok: false; message: string };

/**
 * Labels the build with its Kustomization and runs every object through admission, in apply order,
 * without writing anything: the first rejection is the Kustomization's ReconciliationFailed message,
 * so a bad object applies nothing.
 */
export function admitBuild(
  store: ObjectStore,
  serviceIps: ServiceIpAllocator,
  ks: KubeObject,
  objects: KubeObject[],
  targetNamespace: string | undefined,
): AdmitResult {
  const labelled = objects.map(object => {
    const copy = cloneJson(object);
    copy.metadata.labels = {
      ...copy.metadata.labels,
      [NAME_LABEL]: ks.metadata.name,
      [NAMESPACE_LABEL]: ks.metadata.namespace ?? FLUX_NAMESPACE,
    };
    return copy;
  });
  const namespacesInBuild = new Set(labelled.filter(o => o.kind === 'Namespace').map(o => o.metadata.name));
  const admitted: KubeObject[] = [];
  for (const object of [...labelled].sort(applyOrder)) {
    const where = describeRef({ kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name });
    if (isNamespacedKind(object.kind)) {
      const ns = object.metadata.namespace;
      if (!ns) {
        return {
          ok: false,
          message: `${where} namespace not specified: the server could not find the requested resource`,
        };
      }
      if (
        !namespacesInBuild.has(ns) &&
        ns !== targetNamespace &&
        !store.get({ group: '', kind: 'Namespace', name: ns })
      ) {
        return { ok: false, message: `${where} namespace not found: namespaces "${ns}" not found` };
      }
    }
    const existing = store.get(refOf(object));
    const result = admit(mergeForApply(existing, object), existing, serviceIps);
    if (!result.ok) return { ok: false, message: `${where} dry-run failed (Invalid): ${result.message}` };
    admitted.push(result.object);
  }
  return { ok: true, objects: admitted };
}

/** Creates the `targetNamespace` when neither the build nor the cluster has it, marked as ours to remove. */
export function ensureTargetNamespace(
  store: ObjectStore,
  serviceIps: ServiceIpAllocator,
  ks: KubeObject,
  targetNamespace: string | undefined,
  admitted: KubeObject[],
): void {
  if (!targetNamespace) return;
  if (admitted.some(o => o.kind === 'Namespace' && o.metadata.name === targetNamespace)) return;
  if (store.get({ group: '', kind: 'Namespace', name: targetNamespace })) return;
  const created = admit(
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: targetNamespace, annotations: { [CREATED_FOR_ANNOTATION]: ksKey(ks) } },
    },
    undefined,
    serviceIps,
  );
  if (created.ok) store.write(created.object);
}

/**
 * Deletes inventory entries the owner still owns; a deleted Kustomization's own inventory and the
 * target Namespace created for it go with it (Flux's finalizer). `onFinalized` hears the key of
 * every Kustomization finalized that way, so the reconciler can forget its timers.
 */
export function pruneEntries(
  store: ObjectStore,
  logger: DevClusterLogger,
  entries: InventoryEntry[],
  owner: KubeObject,
  onFinalized: (key: string) => void,
): void {
  const finalize = (ks: KubeObject) => {
    onFinalized(ksKey(ks));
    if (getRecord(ks, ['spec'])?.prune === true && !isSuspended(ks)) {
      pruneEntries(store, logger, readInventory(ks.status), ks, onFinalized);
    }
    const target = getString(ks, ['spec', 'targetNamespace']);
    if (target) {
      const ns = store.get({ group: '', kind: 'Namespace', name: target });
      if (ns?.metadata.annotations?.[CREATED_FOR_ANNOTATION] === ksKey(ks)) {
        store.delete({ group: '', kind: 'Namespace', name: target });
      }
    }
  };
  for (const entry of entries) {
    const ref = refFromInventoryId(entry.id);
    if (!ref) continue;
    const live = store.get(ref);
    if (!live) continue;
    if (live.metadata.annotations?.[PRUNE_ANNOTATION] === 'disabled') continue;
    // Only delete what this Kustomization still owns (another may have taken it over).
    if (live.metadata.labels?.[NAME_LABEL] !== owner.metadata.name) continue;
    if (live.kind === 'Kustomization' && groupOf(live.apiVersion) === KS_GROUP) finalize(live);
    store.delete(ref);
    logger.debug('devcluster: pruned', { object: entry.id, kustomization: ksKey(owner) });
  }
}
