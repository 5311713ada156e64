import { KubeObject } from '../types';
import { getRecord } from '../util/json';
import { requirementsFromLabelSelector, matchesLabels } from '../store/selectors';
import { controllerUid, numberOr, omitZeros } from './common';
import { ControllerContext } from './context';
import { generatePodName, isPodAvailable, isPodReady, podFromTemplate } from './pods';

/**
 * The ReplicaSet controller: keeps `spec.replicas` pods named
 * `<replicaset>-<5 chars>` and reports replicas / ready / available counts.
 * Scale-down removes not-ready pods first, then the newest.
 */
export class ReplicaSetController {
  // Per ReplicaSet uid: how many pods it has created, the seed of the next name.
  private readonly created = new Map<string, number>();

  sync(ctx: ControllerContext) {
    const seen = new Set<string>();
    for (const rs of ctx.store.list('apps', 'ReplicaSet')) {
      seen.add(rs.metadata.uid ?? '');
      this.syncOne(ctx, rs);
    }
    for (const uid of this.created.keys()) if (!seen.has(uid)) this.created.delete(uid);
  }

  private syncOne(ctx: ControllerContext, rs: KubeObject) {
    const { store } = ctx;
    const ns = rs.metadata.namespace;
    const uid = rs.metadata.uid ?? '';
    const spec = getRecord(rs, ['spec']) ?? {};
    const desired = numberOr(spec.replicas, 1);
    const selector = requirementsFromLabelSelector(spec.selector);
    const pods = store
      .list('', 'Pod', ns)
      .filter(p => controllerUid(p) === uid && matchesLabels(p.metadata.labels, selector));

    if (pods.length < desired) {
      const taken = new Set(store.list('', 'Pod', ns).map(p => p.metadata.name));
      for (let i = pods.length; i < desired; i++) {
        const seq = this.created.get(uid) ?? 0;
        this.created.set(uid, seq + 1);
        const name = generatePodName(`${rs.metadata.name}-`, `${uid}/${seq}`, taken);
        taken.add(name);
        const template = getRecord(spec, ['template']) ?? {};
        pods.push(store.write(podFromTemplate(rs, name, template, {}, `${rs.metadata.name}-`)).object);
      }
    } else if (pods.length > desired) {
      const doomed = [...pods]
        .sort(
          (a, b) =>
            deletionRank(a) - deletionRank(b) ||
            (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') ||
            (a.metadata.name < b.metadata.name ? 1 : -1),
        )
        .slice(0, pods.length - desired);
      for (const pod of doomed) {
        store.delete({ group: '', kind: 'Pod', namespace: ns, name: pod.metadata.name });
      }
      const gone = new Set(doomed.map(p => p.metadata.name));
      pods.splice(0, pods.length, ...pods.filter(p => !gone.has(p.metadata.name)));
    }

    const minReadySeconds = numberOr(spec.minReadySeconds, 0);
    const ready = pods.filter(isPodReady).length;
    const available = pods.filter(p => isPodAvailable(p, minReadySeconds, ctx.now)).length;
    if (ready > available) ctx.wakeAt(ctx.now + 1000);
    store.write({
      ...rs,
      status: {
        ...omitZeros({
          replicas: pods.length,
          fullyLabeledReplicas: pods.length,
          readyReplicas: ready,
          availableReplicas: available,
        }),
        ...(pods.length === 0 ? { replicas: 0 } : {}),
        observedGeneration: rs.metadata.generation,
      },
    });
  }
}

// Lower ranks are deleted first: not running, then not ready, then ready.
function deletionRank(pod: KubeObject): number {
  const phase = getRecord(pod, ['status'])?.phase;
  if (phase !== 'Running') return 0;
  return isPodReady(pod) ? 2 : 1;
}
