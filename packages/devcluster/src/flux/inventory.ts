import { KubeObject } from '../types';
import { ObjectRef } from '../store/ObjectStore';
import { groupOf } from '../store/resources';
import { isRecord } from '../util/json';

/** A Flux inventory entry: id `<namespace>_<name>_<group>_<Kind>`, version `v`. */
export interface InventoryEntry {
  id: string;
  v: string;
}

export function inventoryEntry(object: KubeObject): InventoryEntry {
  const version = object.apiVersion.split('/').pop() ?? 'v1';
  return {
    id: `${object.metadata.namespace ?? ''}_${object.metadata.name}_${groupOf(object.apiVersion)}_${object.kind}`,
    v: version,
  };
}

export function refFromInventoryId(id: string): ObjectRef | undefined {
  // Names and namespaces cannot contain '_', groups cannot either; split from both ends.
  const parts = id.split('_');
  if (parts.length !== 4) return undefined;
  const [namespace, name, group, kind] = parts;
  return { namespace: namespace || undefined, name, group, kind };
}

export function readInventory(status: unknown): InventoryEntry[] {
  if (!isRecord(status) || !isRecord(status.inventory) || !Array.isArray(status.inventory.entries)) return [];
  return status.inventory.entries.filter(
    (e): e is InventoryEntry => isRecord(e) && typeof e.id === 'string' && typeof e.v === 'string',
  );
}

// Apply order: what others depend on first (Flux applies CRDs and
// Namespaces in a first stage, class-like objects in a second).
const KIND_ORDER = [
  'CustomResourceDefinition',
  'Namespace',
  'ResourceQuota',
  'LimitRange',
  'StorageClass',
  'ServiceAccount',
  'ClusterRole',
  'Role',
  'ClusterRoleBinding',
  'RoleBinding',
  'ConfigMap',
  'Secret',
  'Service',
  'PersistentVolumeClaim',
  'GitRepository',
  'OCIRepository',
  'HelmRepository',
];

export function applyOrder(a: KubeObject, b: KubeObject): number {
  const rank = (o: KubeObject) => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return rank(a) - rank(b);
}
