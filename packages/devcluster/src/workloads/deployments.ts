import { JsonObject, KubeObject } from '../types';
import { cloneJson, getRecord, isRecord } from '../util/json';
import { Condition, readConditions, setCondition } from '../util/conditions';
import { controllerRef, controllerUid, intOrPercent, numberOr, omitZeros, templateHash } from './common';
import { ControllerContext } from './context';

const REVISION = 'deployment.kubernetes.io/revision';

function revisionOf(rs: KubeObject): number {
  return Number(rs.metadata.annotations?.[REVISION] ?? 0) || 0;
}

function specReplicas(rs: KubeObject): number {
  return numberOr(getRecord(rs, ['spec'])?.replicas, 0);
}

function statusCount(object: KubeObject, field: string): number {
  return numberOr(getRecord(object, ['status'])?.[field], 0);
}

function setReplicas(rs: KubeObject, replicas: number) {
  (rs.spec as JsonObject).replicas = replicas;
}

/**
 * The Deployment controller: one ReplicaSet per pod template (named
 * `<deployment>-<template hash>`), scaled by the RollingUpdate or Recreate
 * strategy, and the Deployment's status and conditions as the real controller
 * reports them. Tracks when each rollout last progressed to detect
 * progressDeadlineSeconds.
 */
export class DeploymentController {
  private readonly lastProgress = new Map<string, number>();

  sync(ctx: ControllerContext) {
    const seen = new Set<string>();
    for (const deployment of ctx.store.list('apps', 'Deployment')) {
      seen.add(deployment.metadata.uid ?? '');
      this.syncOne(ctx, deployment);
    }
    for (const uid of this.lastProgress.keys()) {
      if (!seen.has(uid)) this.lastProgress.delete(uid);
    }
  }

  private syncOne(ctx: ControllerContext, deployment: KubeObject) {
    const { store } = ctx;
    const ns = deployment.metadata.namespace;
    const uid = deployment.metadata.uid ?? '';
    const spec = getRecord(deployment, ['spec']) ?? {};
    const desired = numberOr(spec.replicas, 1);
    const template = getRecord(spec, ['template']) ?? {};
    const hash = templateHash(template);

    const owned = store
      .list('apps', 'ReplicaSet', ns)
      .filter(rs => controllerUid(rs) === uid)
      .sort((a, b) => revisionOf(a) - revisionOf(b));
    const maxRevision = owned.reduce((max, rs) => Math.max(max, revisionOf(rs)), 0);
    let newRs = owned.find(rs => rs.metadata.labels?.['pod-template-hash'] === hash);
    const oldRs = owned.filter(rs => rs !== newRs);
    let createdNew = false;

    if (!newRs) {
      const selector = cloneJson(getRecord(spec, ['selector']) ?? {});
      selector.matchLabels = {
        ...(isRecord(selector.matchLabels) ? selector.matchLabels : {}),
        'pod-template-hash': hash,
      };
      const templateMeta = getRecord(template, ['metadata']) ?? {};
      const labels = {
        ...(isRecord(templateMeta.labels) ? (templateMeta.labels as Record<string, string>) : {}),
        'pod-template-hash': hash,
      };
      const written = store.write({
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: {
          name: `${deployment.metadata.name}-${hash}`,
          namespace: ns,
          labels,
          annotations: {
            [REVISION]: String(maxRevision + 1),
            'deployment.kubernetes.io/desired-replicas': String(desired),
            'deployment.kubernetes.io/max-replicas': String(
              desired + intOrPercent(getRecord(spec, ['strategy', 'rollingUpdate'])?.maxSurge, desired, '25%', true),
            ),
          },
          ownerReferences: [controllerRef(deployment)],
        },
        spec: {
          replicas: 0,
          minReadySeconds: numberOr(spec.minReadySeconds, 0),
          selector,
          template: { ...cloneJson(template), metadata: { ...cloneJson(templateMeta), labels } },
        },
      });
      newRs = written.object;
      createdNew = true;
    } else if (revisionOf(newRs) < maxRevision) {
      // Rolling back to an older template makes its ReplicaSet the newest revision again.
      newRs.metadata.annotations = { ...newRs.metadata.annotations, [REVISION]: String(maxRevision + 1) };
    }

    if (!spec.paused) {
      this.scale(deployment, desired, newRs, oldRs);
    }
    for (const rs of [newRs, ...oldRs]) {
      const annotations = rs.metadata.annotations ?? {};
      if (rs === newRs || annotations['deployment.kubernetes.io/desired-replicas'] !== undefined) {
        rs.metadata.annotations = { ...annotations, 'deployment.kubernetes.io/desired-replicas': String(desired) };
      }
      store.write(rs);
    }
    this.pruneHistory(ctx, oldRs, numberOr(spec.revisionHistoryLimit, 10));
    this.writeStatus(ctx, deployment, desired, newRs, oldRs, createdNew);
  }

  private scale(deployment: KubeObject, desired: number, newRs: KubeObject, oldRs: KubeObject[]) {
    const strategy = getRecord(deployment, ['spec', 'strategy']) ?? {};
    const active = oldRs.filter(rs => specReplicas(rs) > 0);
    if (active.length === 0) {
      setReplicas(newRs, desired);
      return;
    }
    if (strategy.type === 'Recreate') {
      for (const rs of active) setReplicas(rs, 0);
      const oldPodsLeft = oldRs.some(rs => statusCount(rs, 'replicas') > 0);
      setReplicas(newRs, oldPodsLeft ? 0 : desired);
      return;
    }
    const rolling = getRecord(strategy, ['rollingUpdate']) ?? {};
    const maxSurge = intOrPercent(rolling.maxSurge, desired, '25%', true);
    let maxUnavailable = intOrPercent(rolling.maxUnavailable, desired, '25%', false);
    if (maxSurge === 0 && maxUnavailable === 0) maxUnavailable = 1;

    // Scale the new ReplicaSet up within the surge allowance.
    const total = [newRs, ...oldRs].reduce((sum, rs) => sum + specReplicas(rs), 0);
    const current = specReplicas(newRs);
    if (current > desired) {
      setReplicas(newRs, desired);
    } else if (current < desired) {
      const room = Math.max(0, desired + maxSurge - total);
      setReplicas(newRs, Math.min(desired, current + room));
    }

    // Scale old ReplicaSets down while keeping the minimum available.
    const minAvailable = desired - maxUnavailable;
    const allPods = [newRs, ...oldRs].reduce((sum, rs) => sum + specReplicas(rs), 0);
    const newUnavailable = Math.max(0, specReplicas(newRs) - statusCount(newRs, 'availableReplicas'));
    let budget = allPods - minAvailable - newUnavailable;
    // Unhealthy old replicas go first: they do not count toward availability.
    for (const rs of active) {
      if (budget <= 0) break;
      const unhealthy = specReplicas(rs) - statusCount(rs, 'availableReplicas');
      const down = Math.min(Math.max(unhealthy, 0), budget);
      if (down > 0) {
        setReplicas(rs, specReplicas(rs) - down);
        budget -= down;
      }
    }
    const available = [newRs, ...oldRs].reduce((sum, rs) => sum + statusCount(rs, 'availableReplicas'), 0);
    let canScaleDown = available - minAvailable;
    for (const rs of active) {
      if (canScaleDown <= 0) break;
      const down = Math.min(specReplicas(rs), canScaleDown);
      setReplicas(rs, specReplicas(rs) - down);
      canScaleDown -= down;
    }
  }

  private pruneHistory(ctx: ControllerContext, oldRs: KubeObject[], limit: number) {
    const idle = oldRs.filter(rs => specReplicas(rs) === 0 && statusCount(rs, 'replicas') === 0);
    const excess = idle.length - limit;
    for (const rs of idle.slice(0, Math.max(0, excess))) {
      ctx.store.delete({ group: 'apps', kind: 'ReplicaSet', namespace: rs.metadata.namespace, name: rs.metadata.name });
    }
  }

  private writeStatus(
    ctx: ControllerContext,
    deployment: KubeObject,
    desired: number,
    newRs: KubeObject,
    oldRs: KubeObject[],
    createdNew: boolean,
  ) {
    const uid = deployment.metadata.uid ?? '';
    const all = [newRs, ...oldRs];
    const sum = (field: string) => all.reduce((s, rs) => s + statusCount(rs, field), 0);
    const replicas = sum('replicas');
    const updated = statusCount(newRs, 'replicas');
    const ready = sum('readyReplicas');
    const available = sum('availableReplicas');
    const previous = (getRecord(deployment, ['status']) ?? {}) as JsonObject;
    const spec = getRecord(deployment, ['spec']) ?? {};
    const maxUnavailable = intOrPercent(
      getRecord(spec, ['strategy', 'rollingUpdate'])?.maxUnavailable,
      desired,
      '25%',
      false,
    );

    let conditions: Condition[] = readConditions(previous);
    const minimumAvailable = getRecord(spec, ['strategy'])?.type === 'Recreate' ? desired : desired - maxUnavailable;
    conditions = setCondition(
      conditions,
      available >= minimumAvailable
        ? {
            type: 'Available',
            status: 'True',
            reason: 'MinimumReplicasAvailable',
            message: 'Deployment has minimum availability.',
          }
        : {
            type: 'Available',
            status: 'False',
            reason: 'MinimumReplicasUnavailable',
            message: 'Deployment does not have minimum availability.',
          },
      ctx.nowIso,
      { withUpdateTime: true },
    );

    const rsName = newRs.metadata.name;
    const complete =
      updated === desired &&
      replicas === desired &&
      available === desired &&
      specReplicas(newRs) === desired &&
      oldRs.every(rs => statusCount(rs, 'replicas') === 0);
    const progressed =
      updated !== numberOr(previous.updatedReplicas, 0) ||
      ready !== numberOr(previous.readyReplicas, 0) ||
      available !== numberOr(previous.availableReplicas, 0) ||
      replicas !== numberOr(previous.replicas, 0);
    const deadlineMs = numberOr(spec.progressDeadlineSeconds, 600) * 1000;
    if (!this.lastProgress.has(uid) || createdNew || progressed || complete) {
      this.lastProgress.set(uid, ctx.now);
    }
    const previousProgressing = conditions.find(c => c.type === 'Progressing');
    if (complete) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetAvailable',
          message: `ReplicaSet "${rsName}" has successfully progressed.`,
        },
        ctx.nowIso,
        { withUpdateTime: true },
      );
    } else if (createdNew) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'NewReplicaSetCreated',
          message: `Created new replica set "${rsName}"`,
        },
        ctx.nowIso,
        { withUpdateTime: true },
      );
    } else if (progressed || !previousProgressing) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'True',
          reason: 'ReplicaSetUpdated',
          message: `ReplicaSet "${rsName}" is progressing.`,
        },
        ctx.nowIso,
        { withUpdateTime: true },
      );
    } else if (ctx.now - (this.lastProgress.get(uid) ?? ctx.now) >= deadlineMs) {
      conditions = setCondition(
        conditions,
        {
          type: 'Progressing',
          status: 'False',
          reason: 'ProgressDeadlineExceeded',
          message: `ReplicaSet "${rsName}" has timed out progressing.`,
        },
        ctx.nowIso,
        { withUpdateTime: true },
      );
    } else {
      ctx.wakeAt((this.lastProgress.get(uid) ?? ctx.now) + deadlineMs);
    }

    const revision = newRs.metadata.annotations?.[REVISION];
    if (revision !== undefined) {
      deployment.metadata.annotations = { ...deployment.metadata.annotations, [REVISION]: revision };
    }
    const status = {
      observedGeneration: deployment.metadata.generation,
      ...omitZeros({
        replicas,
        updatedReplicas: updated,
        readyReplicas: ready,
        availableReplicas: available,
        unavailableReplicas: Math.max(0, desired - available),
      }),
      conditions,
    };
    ctx.store.write({ ...deployment, status });
  }
}
