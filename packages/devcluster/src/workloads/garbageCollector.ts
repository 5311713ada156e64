import { refOf } from '../store/ObjectStore';
import { isNamespacedKind } from '../store/resources';
import { ControllerContext } from './context';

/**
 * Deletes dependents whose owners are all gone (ReplicaSets of a deleted
 * Deployment, their Pods) and everything inside a deleted Namespace, which
 * the real garbage collector and namespace controller do. Deletion is
 * immediate: there is no graceful termination.
 */
export function collectGarbage(ctx: ControllerContext) {
  const { store } = ctx;
  for (let round = 0; round < 5; round++) {
    const objects = store.all();
    const uids = new Set(objects.map(o => o.metadata.uid));
    const namespaces = new Set(objects.filter(o => o.kind === 'Namespace').map(o => o.metadata.name));
    let deleted = 0;
    for (const object of objects) {
      const owners = object.metadata.ownerReferences ?? [];
      const orphaned = owners.length > 0 && owners.every(o => !uids.has(o.uid));
      const namespaceGone =
        isNamespacedKind(object.kind) &&
        object.metadata.namespace !== undefined &&
        !namespaces.has(object.metadata.namespace);
      if (orphaned || namespaceGone) {
        store.delete(refOf(object));
        deleted++;
      }
    }
    if (deleted === 0) return;
  }
}
