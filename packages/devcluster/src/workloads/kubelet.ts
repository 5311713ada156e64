import { JsonObject, KubeObject } from '../types';
import { getRecord } from '../util/json';
import { Condition, readConditions, setCondition } from '../util/conditions';
import { rfc3339 } from '../util/time';
import { containersOf, failureHookOf, FailureHook, NODE_IP, NODE_NAME, READY_DELAY_ANNOTATION } from './common';
import { ControllerContext } from './context';

export interface KubeletOptions {
  /** Time from pod creation to Ready (the pod is Running from a third of it). */
  podReadyDelayMs: number;
  /** Time between restarts of a `-crashloop` container. */
  crashLoopRestartMs: number;
}

interface PodTimeline {
  createdAt: number;
  startAt: number;
  readyAt: number;
  ip: string;
}

/**
 * Stands in for the scheduler and the kubelet of a single node: every pod is
 * placed on `devcluster-node`, goes Pending (ContainerCreating) → Running →
 * Ready on a fixed timeline, or fails in the deterministic way its image tag
 * asks for (`-crashloop`, `-imagepullbackoff`). Nothing is executed.
 */
export class Kubelet {
  private readonly timelines = new Map<string, PodTimeline>();
  private nextIp = 2;

  constructor(private readonly options: KubeletOptions) {}

  sync(ctx: ControllerContext) {
    const seen = new Set<string>();
    for (const pod of ctx.store.list('', 'Pod')) {
      const uid = pod.metadata.uid ?? '';
      seen.add(uid);
      const timeline = this.timelineOf(pod, uid, ctx.now);
      const status = this.statusAt(pod, timeline, ctx);
      const spec = { ...(pod.spec as JsonObject), nodeName: (pod.spec as JsonObject)?.nodeName ?? NODE_NAME };
      ctx.store.write({ ...pod, spec, status });
    }
    for (const uid of this.timelines.keys()) if (!seen.has(uid)) this.timelines.delete(uid);
  }

  private timelineOf(pod: KubeObject, uid: string, now: number): PodTimeline {
    let timeline = this.timelines.get(uid);
    if (!timeline) {
      const override = Number(pod.metadata.annotations?.[READY_DELAY_ANNOTATION]);
      const delay = Number.isFinite(override) && override >= 0 ? override : this.options.podReadyDelayMs;
      const n = this.nextIp++;
      timeline = {
        createdAt: now,
        startAt: now + Math.floor(delay / 3),
        readyAt: now + delay,
        ip: `10.244.${Math.floor(n / 250)}.${n % 250}`,
      };
      this.timelines.set(uid, timeline);
    }
    return timeline;
  }

  private statusAt(pod: KubeObject, t: PodTimeline, ctx: ControllerContext): JsonObject {
    const { now } = ctx;
    const podSpec = getRecord(pod, ['spec']) ?? {};
    const containers = containersOf(podSpec);
    const initContainers = containersOf(podSpec, 'initContainers');
    const started = now >= t.startAt;
    const startedAt = rfc3339(t.startAt);
    if (!started) ctx.wakeAt(t.startAt);

    const statuses = containers.map(c =>
      this.containerStatus(pod, c.name, c.image ?? '', failureHookOf(c.image), t, ctx),
    );
    const ready = statuses.length > 0 && statuses.every(s => s.ready === true);
    const pulling = statuses.some(s => getRecord(s, ['state', 'waiting'])?.reason === 'ImagePullBackOff');
    const phase = !started || pulling ? 'Pending' : 'Running';
    const unready = statuses.filter(s => s.ready !== true).map(s => s.name);

    const transitionAt = (ms: number) => rfc3339(Math.min(ms, now));
    let conditions: Condition[] = readConditions(pod.status);
    const set = (next: Omit<Condition, 'lastTransitionTime'>, at: number) => {
      conditions = setCondition(conditions, next, transitionAt(at), { withProbeTime: true });
    };
    set({ type: 'PodReadyToStartContainers', status: started ? 'True' : 'False' }, started ? t.startAt : t.createdAt);
    set({ type: 'Initialized', status: 'True' }, t.createdAt);
    const notReady = {
      reason: 'ContainersNotReady',
      message: `containers with unready status: [${unready.join(' ')}]`,
    };
    set(
      ready ? { type: 'Ready', status: 'True' } : { type: 'Ready', status: 'False', ...notReady },
      ready ? t.readyAt : t.createdAt,
    );
    set(
      ready ? { type: 'ContainersReady', status: 'True' } : { type: 'ContainersReady', status: 'False', ...notReady },
      ready ? t.readyAt : t.createdAt,
    );
    set({ type: 'PodScheduled', status: 'True' }, t.createdAt);
    // Kubelet's order: PodReadyToStartContainers, Initialized, Ready, ContainersReady, PodScheduled.
    const order = ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'];
    conditions.sort((a, b) => order.indexOf(a.type) - order.indexOf(b.type));

    return {
      phase,
      conditions,
      hostIP: NODE_IP,
      hostIPs: [{ ip: NODE_IP }],
      ...(started ? { podIP: t.ip, podIPs: [{ ip: t.ip }] } : {}),
      startTime: rfc3339(t.createdAt),
      ...(initContainers.length > 0
        ? {
            initContainerStatuses: initContainers.map(c => ({
              name: c.name,
              image: c.image,
              imageID: '',
              ready: true,
              restartCount: 0,
              started: false,
              state: {
                terminated: {
                  exitCode: 0,
                  reason: 'Completed',
                  startedAt: rfc3339(t.createdAt),
                  finishedAt: startedAt,
                },
              },
            })),
          }
        : {}),
      containerStatuses: statuses,
      qosClass: 'BestEffort',
    };
  }

  private containerStatus(
    pod: KubeObject,
    name: string,
    image: string,
    hook: FailureHook,
    t: PodTimeline,
    ctx: ControllerContext,
  ): JsonObject {
    const { now } = ctx;
    const base = { name, image, imageID: '', containerID: '' };
    if (now < t.startAt) {
      return {
        ...base,
        ready: false,
        restartCount: 0,
        started: false,
        state: { waiting: { reason: 'ContainerCreating' } },
      };
    }
    if (hook === 'imagepullbackoff') {
      return {
        ...base,
        ready: false,
        restartCount: 0,
        started: false,
        state: {
          waiting: {
            reason: 'ImagePullBackOff',
            message: `Back-off pulling image "${image}" (devcluster failure hook: image tag ends in -imagepullbackoff)`,
          },
        },
      };
    }
    const containerID = `devcluster://${pod.metadata.uid}/${name}`;
    if (hook === 'crashloop') {
      // Each crash is one restart; the container never becomes ready.
      const period = Math.max(1, this.options.crashLoopRestartMs);
      const restarts = 1 + Math.floor((now - t.startAt) / period);
      const lastCrash = t.startAt + (restarts - 1) * period;
      ctx.wakeAt(t.startAt + restarts * period);
      return {
        ...base,
        containerID,
        ready: false,
        restartCount: restarts,
        started: false,
        state: {
          waiting: {
            reason: 'CrashLoopBackOff',
            message: `back-off restarting failed container=${name} pod=${pod.metadata.name}_${pod.metadata.namespace}(${pod.metadata.uid}) (devcluster failure hook: image tag ends in -crashloop)`,
          },
        },
        lastState: {
          terminated: {
            exitCode: 1,
            reason: 'Error',
            startedAt: rfc3339(lastCrash),
            finishedAt: rfc3339(lastCrash),
            containerID,
          },
        },
      };
    }
    const ready = now >= t.readyAt;
    if (!ready) ctx.wakeAt(t.readyAt);
    return {
      ...base,
      containerID,
      ready,
      restartCount: 0,
      started: true,
      state: { running: { startedAt: rfc3339(t.startAt) } },
    };
  }
}
