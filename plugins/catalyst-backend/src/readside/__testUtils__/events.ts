import { connect, NatsConnection } from '@nats-io/transport-node';
import {
  CATALYST_EVENT_TYPES,
  CatalystEvent,
  CatalystEventDataMap,
  createCatalystEvent,
} from '@internal/plugin-catalyst-common';

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
    out.push(
      podEvent(environment, {
        namespace: ns,
        name,
        rv: rvBase + i + 1,
        ready: random() > 0.3,
        deleted: random() < 0.05,
      }),
    );
  }
  return out;
}

type CommitApplication = CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.gitCommit]['applications'][number];

/** A `git.commit` event of one Environment, as the Git watcher publishes it. */
export function commitEvent(
  environment: string,
  sha: string,
  message: string,
  applications: CommitApplication[],
): CatalystEvent {
  return createCatalystEvent({
    source: 'catalyst/test',
    time: TIME,
    organization: environment.slice(0, environment.lastIndexOf('-')),
    environment,
    id: `test/${environment}/git/${sha}`,
    type: CATALYST_EVENT_TYPES.gitCommit,
    subject: `commit/${sha}`,
    data: {
      sha,
      parents: [],
      branch: 'main',
      author: { name: 'Test', email: 'test@example.invalid' },
      message,
      time: TIME,
      applications,
    },
  });
}

/**
 * The life of one Application as the read side sees it: environment created, the commit adding it,
 * Flux applying it (Kustomization not ready, then ready at the commit), its Deployment and Pod.
 */
export function applicationEvents(
  environment: string,
  app: string,
  sha: string,
  options: { rv?: number; blueprint?: string; source?: 'catalog' | 'shared-blueprints'; overlay?: string } = {},
): CatalystEvent[] {
  const organization = environment.slice(0, environment.lastIndexOf('-'));
  const rv = options.rv ?? 1;
  const blueprint = options.blueprint ?? 'bp-web';
  const revision = `main@sha1:${sha}`;
  const base = { source: 'catalyst/test', time: TIME, organization, environment };
  const labels = {
    'catalyst.openova.io/application': app,
    'catalyst.openova.io/blueprint': blueprint,
    'catalyst.openova.io/blueprint-version': '1.0.0',
  };
  const kustomization = (v: number, ready: 'True' | 'False') =>
    createCatalystEvent({
      ...base,
      id: `test/${environment}/ks/${app}/${v}`,
      type: CATALYST_EVENT_TYPES.fluxKustomizationStatus,
      subject: `kustomization/${app}`,
      data: {
        object: {
          metadata: { name: app, namespace: 'flux-system', resourceVersion: String(v), generation: 1, labels },
          spec: {},
          status: {
            observedGeneration: 1,
            lastAttemptedRevision: revision,
            ...(ready === 'True' ? { lastAppliedRevision: revision } : {}),
            conditions: [
              { type: 'Ready', status: ready, reason: ready === 'True' ? 'ReconciliationSucceeded' : 'Progressing' },
            ],
          },
        },
      },
    });
  return [
    createCatalystEvent({
      ...base,
      id: `test/${environment}/created`,
      type: CATALYST_EVENT_TYPES.environmentCreated,
      subject: `environment/${environment}`,
      data: { environment, organization, envType: environment.slice(environment.lastIndexOf('-') + 1) },
    }),
    commitEvent(environment, sha, `install ${app}`, [
      {
        name: app,
        change: 'added',
        blueprint,
        version: '1.0.0',
        source: options.source ?? 'catalog',
        ...(options.overlay ? { overlay: options.overlay } : {}),
        valuesDigest: 'sha256:x',
      },
    ]),
    kustomization(rv, 'False'),
    createCatalystEvent({
      ...base,
      id: `test/${environment}/deploy/${app}/${rv + 1}`,
      type: CATALYST_EVENT_TYPES.k8sObjectUpserted,
      subject: `deployment/${app}/${app}`,
      data: {
        kind: 'Deployment',
        object: {
          metadata: { name: app, namespace: app, resourceVersion: String(rv + 1), generation: 1, labels },
          spec: { replicas: 1 },
          status: { observedGeneration: 1, replicas: 1, readyReplicas: 1, updatedReplicas: 1, availableReplicas: 1 },
        },
      },
    }),
    podEvent(environment, { namespace: app, name: `${app}-1`, rv: rv + 2 }),
    kustomization(rv + 3, 'True'),
  ];
}

/**
 * Retries a NATS call that may time out right after a server restart: a request sent while the
 * client is still reconnecting is lost and only its timeout says so.
 */
export async function retrying<T>(fn: () => Promise<T>, attempts = 4): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise(r => setTimeout(r, 200));
    }
  }
}
