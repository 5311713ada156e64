import { JsonObject, KubeObject } from '../types';
import { ObjectStore, refOf } from '../store/ObjectStore';
import { getRecord } from '../util/json';
import { Condition, readConditions, removeCondition, setCondition } from '../util/conditions';
import { formatGoDuration, rfc3339 } from '../util/time';

/**
 * The conditions kustomize-controller writes, with its reasons and messages (the devcluster README
 * lists them), and the one place a Kustomization's status is written.
 */

type ConditionUpdate = (current: Condition[]) => Condition[];

function condition(ks: KubeObject, type: string, status: Condition['status'], reason: string, message: string) {
  return { type, status, reason, message, observedGeneration: ks.metadata.generation };
}

/** Ready False with the failure's reason; the Reconciling condition ends with the attempt. */
export function failed(ks: KubeObject, reason: string, message: string, now: number): ConditionUpdate {
  return conditions =>
    setCondition(
      removeCondition(conditions, 'Reconciling'),
      condition(ks, 'Ready', 'False', reason, message),
      rfc3339(now),
    );
}

/** Applied, health checks running: Reconciling True and Ready Unknown until they pass or time out. */
export function progressing(ks: KubeObject, revision: string, timeoutMs: number, now: number): ConditionUpdate {
  const reconciling = `Running health checks for revision ${revision} with a timeout of ${formatGoDuration(timeoutMs)}`;
  return conditions => {
    const next = setCondition(
      conditions,
      condition(ks, 'Reconciling', 'True', 'Progressing', reconciling),
      rfc3339(now),
    );
    return setCondition(
      next,
      condition(ks, 'Ready', 'Unknown', 'Progressing', 'Reconciliation in progress'),
      rfc3339(now),
    );
  };
}

/** Health checks failed: Healthy and Ready both False with reason HealthCheckFailed. */
export function unhealthy(ks: KubeObject, message: string, now: number): ConditionUpdate {
  return conditions => {
    const next = setCondition(
      removeCondition(conditions, 'Reconciling'),
      condition(ks, 'Healthy', 'False', 'HealthCheckFailed', message),
      rfc3339(now),
    );
    return setCondition(next, condition(ks, 'Ready', 'False', 'HealthCheckFailed', message), rfc3339(now));
  };
}

/** Ready True at the revision; Healthy True too when health checks ran. */
export function succeeded(ks: KubeObject, revision: string, now: number, healthMessage?: string): ConditionUpdate {
  return conditions => {
    let next = removeCondition(conditions, 'Reconciling');
    if (healthMessage) {
      next = setCondition(next, condition(ks, 'Healthy', 'True', 'Succeeded', healthMessage), rfc3339(now));
    }
    return setCondition(
      next,
      condition(ks, 'Ready', 'True', 'ReconciliationSucceeded', `Applied revision: ${revision}`),
      rfc3339(now),
    );
  };
}

/** Writes status fields and conditions onto the stored Kustomization, unless it was pruned meanwhile. */
export function writeKustomizationStatus(
  store: ObjectStore,
  ks: KubeObject,
  fields: JsonObject,
  conditions: ConditionUpdate,
): void {
  const current = store.get(refOf(ks));
  // Pruned while it was being reconciled: writing would bring it back.
  if (!current) return;
  const status = getRecord(current, ['status']) ?? {};
  store.write({
    ...current,
    status: {
      ...status,
      ...fields,
      // The generation that was reconciled; a newer spec is picked up next pass.
      observedGeneration: ks.metadata.generation,
      // Ready first, as Flux lists it.
      conditions: conditions(readConditions(status)).sort(
        (a, b) => Number(b.type === 'Ready') - Number(a.type === 'Ready'),
      ),
    },
  });
}
