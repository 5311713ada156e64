import { isRecord } from './json';

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason?: string;
  message?: string;
  observedGeneration?: number;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
  lastProbeTime?: null;
}

export interface SetConditionOptions {
  /** Deployment conditions carry lastUpdateTime, bumped whenever reason or message change. */
  withUpdateTime?: boolean;
  /** Set lastProbeTime: null like kubelet's pod conditions. */
  withProbeTime?: boolean;
}

export function readConditions(status: unknown): Condition[] {
  if (!isRecord(status) || !Array.isArray(status.conditions)) return [];
  return status.conditions.filter((c): c is Condition => isRecord(c) && typeof c.type === 'string');
}

export function findCondition(status: unknown, type: string): Condition | undefined {
  return readConditions(status).find(c => c.type === type);
}

/**
 * Returns the list with `next` set, keeping lastTransitionTime when the status
 * did not change (what clients use to tell how long something has been so).
 */
export function setCondition(
  conditions: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime' | 'lastUpdateTime'>,
  now: string,
  options: SetConditionOptions = {},
): Condition[] {
  const previous = conditions.find(c => c.type === next.type);
  const transitioned = !previous || previous.status !== next.status;
  const updated = transitioned || previous.reason !== next.reason || previous.message !== next.message;
  const condition: Condition = {
    type: next.type,
    status: next.status,
    ...(options.withProbeTime ? { lastProbeTime: null } : {}),
    ...(options.withUpdateTime ? { lastUpdateTime: updated ? now : previous?.lastUpdateTime ?? now } : {}),
    lastTransitionTime: transitioned ? now : previous?.lastTransitionTime ?? now,
    ...(next.observedGeneration !== undefined ? { observedGeneration: next.observedGeneration } : {}),
    ...(next.reason !== undefined ? { reason: next.reason } : {}),
    ...(next.message !== undefined ? { message: next.message } : {}),
  };
  const result = conditions.map(c => (c.type === next.type ? condition : c));
  return previous ? result : [...result, condition];
}

export function removeCondition(conditions: readonly Condition[], type: string): Condition[] {
  return conditions.filter(c => c.type !== type);
}
