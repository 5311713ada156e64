import { KubeObject } from '../types';
import { getRecord } from '../util/json';
import { controllerUid, omitZeros, templateHash } from './common';
import { ControllerContext } from './context';
import { generatePodName, isPodReady, podFromTemplate } from './pods';

/** A DaemonSet controller for the devcluster's single node: one pod, replaced when the template changes. */
export class DaemonSetController {
  sync(ctx: ControllerContext) {
    for (const ds of ctx.store.list('apps', 'DaemonSet')) this.syncOne(ctx, ds);
  }

  private syncOne(ctx: ControllerContext, ds: KubeObject) {
    const { store } = ctx;
    const ns = ds.metadata.namespace;
    const template = getRecord(ds, ['spec', 'template']) ?? {};
    const hash = templateHash(template);
    let pods = store.list('', 'Pod', ns).filter(p => controllerUid(p) === ds.metadata.uid);
    for (const pod of pods.filter(p => p.metadata.labels?.['controller-revision-hash'] !== hash)) {
      store.delete({ group: '', kind: 'Pod', namespace: ns, name: pod.metadata.name });
    }
    pods = pods.filter(p => p.metadata.labels?.['controller-revision-hash'] === hash);
    if (pods.length === 0) {
      const taken = new Set(store.list('', 'Pod', ns).map(p => p.metadata.name));
      const name = generatePodName(`${ds.metadata.name}-`, `${ds.metadata.uid}/${hash}`, taken);
      pods.push(
        store.write(
          podFromTemplate(
            ds,
            name,
            template,
            { 'controller-revision-hash': hash, 'pod-template-generation': String(ds.metadata.generation ?? 1) },
            `${ds.metadata.name}-`,
          ),
        ).object,
      );
    }
    const ready = pods.filter(isPodReady).length;
    store.write({
      ...ds,
      status: {
        currentNumberScheduled: pods.length,
        desiredNumberScheduled: 1,
        numberMisscheduled: 0,
        numberReady: ready,
        observedGeneration: ds.metadata.generation,
        ...omitZeros({
          updatedNumberScheduled: pods.length,
          numberAvailable: ready,
          numberUnavailable: 1 - ready,
        }),
      },
    });
  }
}
