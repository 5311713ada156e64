import { KubeObject } from '../types';
import { getRecord } from '../util/json';
import { controllerUid, numberOr, omitZeros, templateHash } from './common';
import { ControllerContext } from './context';
import { isPodReady, podFromTemplate } from './pods';

const REVISION_LABEL = 'controller-revision-hash';

/**
 * A small StatefulSet controller: pods `<name>-0 … <name>-(n-1)`, created in
 * order (OrderedReady waits for the previous pod to be Ready; Parallel does
 * not), rolled one pod at a time from the highest ordinal when the template
 * changes. No PersistentVolumeClaims or ControllerRevision objects are created.
 */
export class StatefulSetController {
  sync(ctx: ControllerContext) {
    for (const sts of ctx.store.list('apps', 'StatefulSet')) this.syncOne(ctx, sts);
  }

  private syncOne(ctx: ControllerContext, sts: KubeObject) {
    const { store } = ctx;
    const ns = sts.metadata.namespace;
    const name = sts.metadata.name;
    const spec = getRecord(sts, ['spec']) ?? {};
    const desired = numberOr(spec.replicas, 1);
    const template = getRecord(spec, ['template']) ?? {};
    const updateRevision = `${name}-${templateHash(template)}`;
    const ordered = spec.podManagementPolicy !== 'Parallel';
    const ordinal = (pod: KubeObject) => Number(pod.metadata.name.slice(name.length + 1));

    let pods = store
      .list('', 'Pod', ns)
      .filter(p => controllerUid(p) === sts.metadata.uid)
      .sort((a, b) => ordinal(a) - ordinal(b));

    // Scale down from the highest ordinal.
    for (const pod of pods.filter(p => ordinal(p) >= desired).reverse()) {
      store.delete({ group: '', kind: 'Pod', namespace: ns, name: pod.metadata.name });
      if (ordered) break;
    }
    pods = pods.filter(p => store.get({ group: '', kind: 'Pod', namespace: ns, name: p.metadata.name }));

    // Create missing ordinals.
    for (let i = 0; i < desired; i++) {
      if (pods.some(p => ordinal(p) === i)) continue;
      if (ordered && pods.filter(p => ordinal(p) < i).some(p => !isPodReady(p))) break;
      const podName = `${name}-${i}`;
      const pod = podFromTemplate(sts, podName, template, {
        [REVISION_LABEL]: updateRevision,
        'statefulset.kubernetes.io/pod-name': podName,
        'apps.kubernetes.io/pod-index': String(i),
      });
      pods.push(store.write(pod).object);
      pods.sort((a, b) => ordinal(a) - ordinal(b));
      if (ordered) break;
    }

    // Roll outdated pods one at a time, highest ordinal first, once all are Ready.
    const outdated = pods.filter(p => p.metadata.labels?.[REVISION_LABEL] !== updateRevision);
    if (outdated.length > 0 && pods.length === desired && pods.every(isPodReady)) {
      const victim = outdated[outdated.length - 1];
      store.delete({ group: '', kind: 'Pod', namespace: ns, name: victim.metadata.name });
      pods = pods.filter(p => p !== victim);
    }

    const updated = pods.filter(p => p.metadata.labels?.[REVISION_LABEL] === updateRevision).length;
    const previous = getRecord(sts, ['status']) ?? {};
    const currentRevision =
      updated === desired && pods.length === desired
        ? updateRevision
        : (previous.currentRevision as string | undefined) ?? updateRevision;
    const ready = pods.filter(isPodReady).length;
    store.write({
      ...sts,
      status: {
        observedGeneration: sts.metadata.generation,
        replicas: pods.length,
        ...omitZeros({
          readyReplicas: ready,
          currentReplicas: pods.filter(p => p.metadata.labels?.[REVISION_LABEL] === currentRevision).length,
          updatedReplicas: updated,
          availableReplicas: ready,
        }),
        currentRevision,
        updateRevision,
        collisionCount: 0,
      },
    });
  }
}
