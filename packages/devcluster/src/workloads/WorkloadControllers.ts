import { Clock } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { ControllerContext } from './context';
import { DaemonSetController } from './daemonsets';
import { DeploymentController } from './deployments';
import { collectGarbage } from './garbageCollector';
import { Kubelet } from './kubelet';
import { ReplicaSetController } from './replicasets';
import { StatefulSetController } from './statefulsets';

export interface WorkloadControllersOptions {
  store: ObjectStore;
  clock: Clock;
  podReadyDelayMs: number;
  crashLoopRestartMs: number;
}

/**
 * The workload half of the control plane (Deployment, ReplicaSet,
 * StatefulSet, DaemonSet controllers, a one-node kubelet, garbage
 * collection), run as level-triggered passes over the store until nothing
 * changes. Jobs, CronJobs, HorizontalPodAutoscalers and Ingresses are only
 * stored.
 */
export class WorkloadControllers {
  private readonly deployments = new DeploymentController();
  private readonly replicaSets = new ReplicaSetController();
  private readonly statefulSets = new StatefulSetController();
  private readonly daemonSets = new DaemonSetController();
  private readonly kubelet: Kubelet;

  static create(options: WorkloadControllersOptions): WorkloadControllers {
    return new WorkloadControllers(options);
  }

  private constructor(private readonly options: WorkloadControllersOptions) {
    this.kubelet = new Kubelet({
      podReadyDelayMs: options.podReadyDelayMs,
      crashLoopRestartMs: options.crashLoopRestartMs,
    });
  }

  /**
   * Runs passes until the store stops changing; returns when the next
   * time-based transition is due (a pod becoming Ready, a crash-loop restart).
   */
  sync(): { nextWakeAt?: number } {
    const { store, clock } = this.options;
    let ctx = new ControllerContext(store, clock.now());
    // Bounded so a controller bug cannot spin forever; 20 passes settle any rollout step.
    for (let pass = 0; pass < 20; pass++) {
      ctx = new ControllerContext(store, clock.now());
      const before = store.currentResourceVersion();
      collectGarbage(ctx);
      this.deployments.sync(ctx);
      this.replicaSets.sync(ctx);
      this.statefulSets.sync(ctx);
      this.daemonSets.sync(ctx);
      this.kubelet.sync(ctx);
      if (store.currentResourceVersion() === before) break;
    }
    return { nextWakeAt: ctx.nextWakeAt };
  }
}
