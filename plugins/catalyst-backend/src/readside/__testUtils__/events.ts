import { connect, NatsConnection } from '@nats-io/transport-node';
import { CATALYST_EVENT_TYPES, CatalystEvent, createCatalystEvent } from '@internal/plugin-catalyst-common';

/** A client that keeps reconnecting quickly, as the backend's does (tests restart the server). */
export function connectTestNats(url: string, name = 'readside-test'): Promise<NatsConnection> {
  return connect({ servers: url, name, maxReconnectAttempts: -1, reconnectTimeWait: 100, timeout: 5000 });
}

const TIME = '2025-01-01T00:00:00Z';

/** A small Pod upsert (or deletion) event of one Environment. */
export function podEvent(
  environment: string,
  pod: { namespace: string; name: string; rv: number; ready?: boolean; deleted?: boolean },
): CatalystEvent {
  const organization = environment.slice(0, environment.lastIndexOf('-'));
  const type = pod.deleted ? CATALYST_EVENT_TYPES.k8sObjectDeleted : CATALYST_EVENT_TYPES.k8sObjectUpserted;
  return createCatalystEvent({
    id: `test/${environment}/Pod/${pod.namespace}/${pod.name}/${pod.rv}/${pod.deleted ? 'd' : 'u'}`,
    source: 'catalyst/test',
    type,
    subject: `pod/${pod.namespace}/${pod.name}`,
    time: TIME,
    organization,
    environment,
    data: {
      kind: 'Pod',
      object: {
        metadata: { name: pod.name, namespace: pod.namespace, resourceVersion: String(pod.rv) },
        status: {
          phase: 'Running',
          conditions: [{ type: 'Ready', status: pod.ready === false ? 'False' : 'True' }],
        },
      },
    },
  });
}

/**
 * `count` small synthetic events for one Environment: Pods in 20 namespaces coming, changing
 * readiness and going, with increasing resourceVersions. Deterministic for a given seed.
 */
export function syntheticEvents(environment: string, count: number, options: { seed?: number; rvBase?: number } = {}) {
  let seed = options.seed ?? 1;
  const random = () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
  const out: CatalystEvent[] = [];
  const rvBase = options.rvBase ?? 0;
  for (let i = 0; i < count; i++) {
    const ns = `app-${Math.floor(random() * 20)}`;
    const name = `pod-${Math.floor(random() * 8)}`;
    out.push(podEvent(environment, { namespace: ns, name, rv: rvBase + i + 1, ready: random() > 0.3, deleted: random() < 0.05 }));
  }
  return out;
}
