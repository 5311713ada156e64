/**
 * Generates realistic read-side event logs for the projection property tests and the bench:
 * Applications installed through Git, Flux reconciling them, Deployments rolling out pods,
 * promotions through change requests, pod churn, and uninstalls. Deterministic per seed.
 *
 * Each event belongs to a source whose order the transport preserves (the Git writer, one change
 * request's service calls); Kubernetes and Flux objects carry resourceVersions instead and may
 * arrive in any order. `sources` lets tests build legal interleavings.
 */
import { CATALYST_EVENT_TYPES, CatalystEvent } from '../../events/catalystEvent';

export interface GeneratedEvent {
  event: CatalystEvent;
  /** Events with the same ordered source keep their relative order; `null` means any order. */
  orderedSource: string | null;
}

export interface GenerateOptions {
  seed: number;
  applications: number;
  /** Upgrade rounds per Application after the install. */
  upgrades: number;
  /** Pods per Deployment. */
  replicas?: number;
  environment?: string;
  /** Uninstall every n-th Application at the end (0: none). */
  uninstallEvery?: number;
}

/** mulberry32: small, seedable, good enough to shuffle tests. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function hex40(n: number): string {
  return n.toString(16).padStart(8, '0').repeat(5);
}

export function generateEventLog(options: GenerateOptions): GeneratedEvent[] {
  const env = options.environment ?? 'acme-prod';
  const replicas = options.replicas ?? 2;
  const random = createRandom(options.seed);
  const out: GeneratedEvent[] = [];
  let clock = Date.UTC(2026, 10, 20, 8, 0, 0);
  let rv = 1000;
  let ids = 0;
  let commits = 0;
  const tick = (ms = 1000 + Math.floor(random() * 4000)) => {
    clock += ms;
    return new Date(clock).toISOString();
  };
  const emit = (
    type: string,
    subject: string,
    data: unknown,
    orderedSource: string | null,
    source = 'catalyst/test',
  ) => {
    out.push({
      event: {
        specversion: '1.0',
        id: `gen-${options.seed}-${++ids}`,
        source,
        type,
        subject,
        time: tick(),
        datacontenttype: 'application/json',
        catalystorg: 'acme',
        catalystenv: env,
        data,
      },
      orderedSource,
    });
  };
  const meta = (name: string, namespace?: string, extra: Record<string, unknown> = {}) => ({
    name,
    ...(namespace ? { namespace } : {}),
    resourceVersion: String(++rv),
    ...extra,
  });
  const kustomization = (
    app: string,
    version: string,
    ready: Record<string, string>,
    applied?: string,
    attempted?: string,
  ) =>
    emit(
      CATALYST_EVENT_TYPES.fluxKustomizationStatus,
      `kustomization/${app}`,
      {
        object: {
          kind: 'Kustomization',
          metadata: meta(app, 'flux-system', {
            generation: 1,
            labels: {
              'catalyst.openova.io/application': app,
              'catalyst.openova.io/blueprint': 'bp-wordpress',
              'catalyst.openova.io/blueprint-version': version,
            },
          }),
          spec: { path: `./applications/${app}` },
          status: {
            observedGeneration: 1,
            conditions: [{ type: 'Ready', ...ready }],
            ...(applied ? { lastAppliedRevision: `main@sha1:${applied}` } : {}),
            ...(attempted ? { lastAttemptedRevision: `main@sha1:${attempted}` } : {}),
          },
        },
      },
      null,
    );
  const deployment = (app: string, version: string, ready: number, updated: number, current = replicas) =>
    emit(
      CATALYST_EVENT_TYPES.k8sObjectUpserted,
      `deployment/${app}/web`,
      {
        kind: 'Deployment',
        object: {
          kind: 'Deployment',
          metadata: meta('web', app, { generation: 1, labels: { 'catalyst.openova.io/blueprint-version': version } }),
          spec: { replicas },
          status: {
            observedGeneration: 1,
            replicas: current,
            readyReplicas: ready,
            updatedReplicas: updated,
            availableReplicas: ready,
          },
        },
      },
      null,
    );
  const pod = (app: string, name: string, ready: boolean, crash = false, deleted = false) => {
    const since = new Date(clock).toISOString();
    emit(
      deleted ? CATALYST_EVENT_TYPES.k8sObjectDeleted : CATALYST_EVENT_TYPES.k8sObjectUpserted,
      `pod/${app}/${name}`,
      {
        kind: 'Pod',
        object: {
          kind: 'Pod',
          metadata: meta(name, app),
          status: {
            phase: ready || crash ? 'Running' : 'Pending',
            conditions: [{ type: 'Ready', status: ready ? 'True' : 'False', lastTransitionTime: since }],
            containerStatuses: [
              {
                name: 'web',
                ready,
                restartCount: crash ? 3 : 0,
                state: crash ? { waiting: { reason: 'CrashLoopBackOff' } } : { running: {} },
              },
            ],
          },
        },
      },
      null,
    );
  };
  const commit = (apps: Array<{ name: string; change: string; version?: string }>, message: string) => {
    const sha = hex40(++commits + options.seed * 1000);
    emit(
      CATALYST_EVENT_TYPES.gitCommit,
      `commit/${sha}`,
      {
        sha,
        author: { name: 'Layla', user: 'user:default/layla' },
        message,
        time: new Date(clock).toISOString().replace(/\.\d+Z$/, 'Z'),
        applications: apps.map(a => ({
          name: a.name,
          change: a.change,
          ...(a.version
            ? {
                blueprint: 'bp-wordpress',
                version: a.version,
                source: 'catalog',
                // Upgrades also resize, so the usage view sees an overlay come and change.
                ...(a.version === '1.0.0' ? {} : { overlay: 'medium' }),
                valuesDigest: `sha256:${a.version}`,
              }
            : {}),
        })),
      },
      'git',
    );
    return sha;
  };

  emit(
    CATALYST_EVENT_TYPES.environmentCreated,
    `environment/${env}`,
    { environment: env, organization: 'acme', envType: 'prod' },
    'environment',
  );
  const apps = Array.from({ length: options.applications }, (_, i) => `app-${i}`);
  const podNames: Record<string, string[]> = {};
  let podSerial = 0;
  const freshPods = (app: string) => Array.from({ length: replicas }, () => `${app}-pod-${++podSerial}`);

  for (const app of apps) {
    const sha = commit([{ name: app, change: 'added', version: '1.0.0' }], `Install ${app}`);
    emit(
      CATALYST_EVENT_TYPES.applicationInstalled,
      `application/${app}`,
      { application: app, blueprint: 'bp-wordpress', version: '1.0.0', commit: sha, actor: 'user:default/layla' },
      null,
    );
    kustomization(
      app,
      '1.0.0',
      { status: 'Unknown', reason: 'Progressing', message: 'Reconciliation in progress' },
      undefined,
      sha,
    );
    emit(
      CATALYST_EVENT_TYPES.k8sObjectUpserted,
      `namespace/${app}`,
      { kind: 'Namespace', object: { kind: 'Namespace', metadata: meta(app), status: { phase: 'Active' } } },
      null,
    );
    deployment(app, '1.0.0', 0, replicas);
    podNames[app] = freshPods(app);
    for (const p of podNames[app]) pod(app, p, false);
    for (const p of podNames[app]) pod(app, p, true);
    deployment(app, '1.0.0', replicas, replicas);
    kustomization(app, '1.0.0', { status: 'True', reason: 'ReconciliationSucceeded' }, sha, sha);
  }

  let crs = 0;
  for (let round = 0; round < options.upgrades; round++) {
    for (const app of apps) {
      const version = `1.${round + 1}.0`;
      const cr = `cr-${++crs}`;
      const source = `cr:${cr}`;
      emit(
        CATALYST_EVENT_TYPES.changeRequestOpened,
        `change-request/${cr}`,
        {
          id: cr,
          application: app,
          destinationEnvironment: env,
          sourceEnvironment: 'acme-stg',
          author: 'user:default/layla',
          version,
        },
        source,
      );
      emit(
        CATALYST_EVENT_TYPES.changeRequestApproved,
        `change-request/${cr}`,
        { id: cr, approver: 'user:default/omar', teams: ['team-platform'] },
        source,
      );
      if (random() < 0.3) {
        // Some pod churn while waiting: a crash loop that recovers, or a rescheduled pod.
        const victim = podNames[app][0];
        pod(app, victim, false, true);
        deployment(app, `1.${round}.0`, replicas - 1, replicas);
        pod(app, victim, true);
        deployment(app, `1.${round}.0`, replicas, replicas);
      }
      if (random() < 0.15) {
        emit(
          CATALYST_EVENT_TYPES.changeRequestClosed,
          `change-request/${cr}`,
          { id: cr, reason: 'superseded' },
          source,
        );
        continue;
      }
      emit(
        CATALYST_EVENT_TYPES.changeRequestApproved,
        `change-request/${cr}`,
        { id: cr, approver: 'user:default/sara', teams: ['team-security'] },
        source,
      );
      const sha = commit([{ name: app, change: 'modified', version }], `Promote ${app} to ${version} (${cr})`);
      emit(CATALYST_EVENT_TYPES.changeRequestMerged, `change-request/${cr}`, { id: cr, commit: sha }, source);
      emit(
        CATALYST_EVENT_TYPES.applicationUpgraded,
        `application/${app}`,
        { application: app, version, previousVersion: `1.${round}.0`, commit: sha },
        null,
      );
      kustomization(app, version, { status: 'Unknown', reason: 'Progressing' }, undefined, sha);
      const old = podNames[app];
      const next = freshPods(app);
      deployment(app, version, replicas, 0, replicas * 2);
      for (const p of next) pod(app, p, true);
      for (const p of old) pod(app, p, true, false, true);
      podNames[app] = next;
      deployment(app, version, replicas, replicas);
      kustomization(app, version, { status: 'True', reason: 'ReconciliationSucceeded' }, sha, sha);
    }
  }

  if (options.uninstallEvery) {
    apps.forEach((app, i) => {
      if (i % (options.uninstallEvery ?? 1) !== 0) return;
      commit([{ name: app, change: 'removed' }], `Uninstall ${app}`);
      emit(CATALYST_EVENT_TYPES.applicationUninstalled, `application/${app}`, { application: app }, null);
      for (const p of podNames[app]) pod(app, p, true, false, true);
      emit(
        CATALYST_EVENT_TYPES.k8sObjectDeleted,
        `deployment/${app}/web`,
        { kind: 'Deployment', object: { kind: 'Deployment', metadata: meta('web', app) } },
        null,
      );
      emit(
        CATALYST_EVENT_TYPES.fluxKustomizationDeleted,
        `kustomization/${app}`,
        { object: { kind: 'Kustomization', metadata: meta(app, 'flux-system') } },
        null,
      );
      emit(
        CATALYST_EVENT_TYPES.k8sObjectDeleted,
        `namespace/${app}`,
        { kind: 'Namespace', object: { kind: 'Namespace', metadata: meta(app) } },
        null,
      );
    });
  }
  return out;
}

/**
 * A legal delivery order of `log`: ordered sources keep their order, everything else is shuffled;
 * then `duplicates` copies of random events are re-delivered after their original (redelivery
 * outside the de-duplication window, or an informer relist replaying old object versions).
 */
export function interleave(log: GeneratedEvent[], seed: number, duplicates: number): CatalystEvent[] {
  const random = createRandom(seed);
  const queues = new Map<string, GeneratedEvent[]>();
  const free: GeneratedEvent[] = [];
  for (const item of log) {
    if (item.orderedSource === null) free.push(item);
    else queues.set(item.orderedSource, [...(queues.get(item.orderedSource) ?? []), item]);
  }
  const lanes: GeneratedEvent[][] = [...queues.values(), ...free.map(item => [item])];
  const out: CatalystEvent[] = [];
  while (lanes.length > 0) {
    const i = Math.floor(random() * lanes.length);
    const lane = lanes[i];
    out.push(lane.shift()!.event);
    if (lane.length === 0) lanes.splice(i, 1);
  }
  for (let d = 0; d < duplicates; d++) {
    const from = Math.floor(random() * out.length);
    const to = from + 1 + Math.floor(random() * (out.length - from));
    out.splice(to, 0, out[from]);
  }
  return out;
}
