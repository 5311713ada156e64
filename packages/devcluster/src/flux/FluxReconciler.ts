import { Clock, DevClusterLogger, JsonObject, KubeObject } from '../types';
import { ObjectStore, refOf } from '../store/ObjectStore';
import { ServiceIpAllocator } from '../store/admission';
import { getRecord } from '../util/json';
import { findCondition } from '../util/conditions';
import { formatGoDuration } from '../util/time';
import { admitBuild, ensureTargetNamespace, mergeForApply, pruneEntries } from './applyBuild';
import { healthOf } from './health';
import { inventoryEntry, readInventory } from './inventory';
import { kustomizeBuild } from './kustomize/build';
import {
  buildOverlayOf,
  buildPathOf,
  dependsOnOf,
  describeRef,
  HealthRef,
  healthCheckRefs,
  inDependencyOrder,
  isSuspended,
  KS_GROUP,
  ksKey,
  REQUESTED_AT,
  scheduleOf,
  sourceRefOf,
  usesGitRepository,
} from './kustomizationSpec';
import { failed, progressing, succeeded, unhealthy, writeKustomizationStatus } from './kustomizationStatus';
import { substituteObjects, substitutionVariables } from './postBuild';
import { bootstrapObjects, FLUX_NAMESPACE, markHelmObjects, SourceState, writeGitRepositoryStatus } from './sources';

export { CREATED_FOR_ANNOTATION } from './applyBuild';

interface WaitState {
  revision: string;
  startedAt: number;
  timeoutMs: number;
  refs: HealthRef[];
}

interface KsState {
  nextRunAt?: number;
  waiting?: WaitState;
}

export interface FluxReconcilerOptions {
  store: ObjectStore;
  clock: Clock;
  logger: DevClusterLogger;
  serviceIps: ServiceIpAllocator;
  /** Shown as the GitRepository's url (the devcluster reads the bare repo directly). */
  gitUrl: string;
  /** Flux's StrictPostBuildSubstitutions feature gate (off by default, as in Flux). */
  strictSubstitution?: boolean;
}

/** What stopped a reconcile: the Ready False reason and message, whether to retry, the revision tried. */
type Failure = { ok: false; reason: string; message: string; retry: boolean; revision?: string };
type Applied = { ok: true; revision: string; objects: KubeObject[] };

function failure(reason: string, message: string, retry: boolean, revision?: string): Failure {
  return { ok: false, reason, message, retry, revision };
}

/**
 * The Flux half of the devcluster: source-controller for the one Environment
 * repo, kustomize-controller for every Kustomization that uses it (dependsOn
 * order, build, post-build substitution, apply, prune, health checks with
 * `wait`/`timeout`), and honest "cannot do that" statuses for Helm objects.
 * Level-triggered like the real controllers: `sync()` looks at the store and
 * the source and does whatever is due. Reading specs is in kustomizationSpec.ts,
 * status conditions in kustomizationStatus.ts, apply and prune in applyBuild.ts.
 */
export class FluxReconciler {
  private source: SourceState | undefined;
  private primarySource = 'environment';
  private bootstrappedRevision: string | undefined;
  private readonly states = new Map<string, KsState>();

  static create(options: FluxReconcilerOptions): FluxReconciler {
    return new FluxReconciler(options);
  }

  private constructor(private readonly options: FluxReconcilerOptions) {}

  /** Sets what `main` currently holds (or why it cannot be read). */
  setSource(source: SourceState) {
    this.source = source;
  }

  /**
   * Does everything that is due; `force` retries failed Kustomizations now
   * instead of after their retryInterval (like `flux reconcile`).
   */
  sync(options: { force?: boolean } = {}): { nextWakeAt?: number } {
    const { store, clock } = this.options;
    this.bootstrap();
    const primary = store.get({
      group: 'source.toolkit.fluxcd.io',
      kind: 'GitRepository',
      namespace: FLUX_NAMESPACE,
      name: this.primarySource,
    });
    if (primary && this.source) writeGitRepositoryStatus(store, primary, this.source, clock.now());

    // Applying one Kustomization can create others (the root applies the
    // per-Application ones), so repeat until a pass changes nothing.
    for (let pass = 0; pass < 10; pass++) {
      const before = store.currentResourceVersion();
      for (const ks of inDependencyOrder(store.list(KS_GROUP, 'Kustomization'))) {
        this.syncOne(ks, options.force === true);
      }
      markHelmObjects(store, this.primarySource, clock.now());
      if (store.currentResourceVersion() === before) break;
    }
    return { nextWakeAt: this.nextWakeAt() };
  }

  /** Runs the health checks of Kustomizations that are waiting (after workloads moved on). */
  checkHealth(): void {
    for (const ks of this.options.store.list(KS_GROUP, 'Kustomization')) {
      const state = this.states.get(ksKey(ks));
      if (state?.waiting && !isSuspended(ks)) this.checkWaiting(ks, state);
    }
  }

  private nextWakeAt(): number | undefined {
    let earliest: number | undefined;
    const consider = (ms: number | undefined) => {
      if (ms !== undefined && (earliest === undefined || ms < earliest)) earliest = ms;
    };
    for (const state of this.states.values()) {
      consider(state.nextRunAt);
      if (state.waiting) consider(state.waiting.startedAt + state.waiting.timeoutMs);
    }
    return earliest;
  }

  private bootstrap() {
    const source = this.source;
    const revision = source?.kind === 'ready' ? source.revision : undefined;
    if (this.bootstrappedRevision !== undefined && this.bootstrappedRevision === revision) return;
    if (this.bootstrappedRevision !== undefined && revision === undefined) return;
    const { objects, problem } = bootstrapObjects(
      source?.kind === 'ready' ? source.fs : undefined,
      this.options.gitUrl,
    );
    if (problem) this.options.logger.warn('devcluster: flux-system/gotk-sync.yaml not usable', { problem });
    for (const object of objects) {
      if (object.kind === 'GitRepository') this.primarySource = object.metadata.name;
      const existing = this.options.store.get(refOf(object));
      this.options.store.write({ ...mergeForApply(existing, object) });
    }
    this.bootstrappedRevision = revision ?? '';
  }

  private syncOne(listed: KubeObject, force: boolean) {
    // Earlier Kustomizations in this pass may have changed or pruned this one.
    const ks = this.options.store.get(refOf(listed));
    if (!ks || isSuspended(ks)) return;
    const key = ksKey(ks);
    const state = this.states.get(key) ?? {};
    this.states.set(key, state);
    const now = this.options.clock.now();
    const status = getRecord(ks, ['status']) ?? {};
    const source = this.source;
    const requestedAt = ks.metadata.annotations?.[REQUESTED_AT];

    const ready = findCondition(status, 'Ready');
    const due =
      status.observedGeneration !== ks.metadata.generation ||
      (source?.kind === 'ready' && status.lastAttemptedRevision !== source.revision) ||
      (requestedAt !== undefined && requestedAt !== status.lastHandledReconcileAt) ||
      (state.nextRunAt !== undefined && now >= state.nextRunAt) ||
      (force && ready?.status === 'False') ||
      ready?.reason === 'DependencyNotReady' ||
      ready === undefined;

    if (!due) {
      if (state.waiting) this.checkWaiting(ks, state);
      return;
    }
    this.reconcile(ks, state, now);
  }

  private reconcile(ks: KubeObject, state: KsState, now: number) {
    const { store } = this.options;
    const { retryMs, timeoutMs } = scheduleOf(ks);
    const requestedAt = ks.metadata.annotations?.[REQUESTED_AT];
    const extra: JsonObject = requestedAt !== undefined ? { lastHandledReconcileAt: requestedAt } : {};

    const applied = this.buildAndApply(ks);
    if (!applied.ok) {
      state.waiting = undefined;
      state.nextRunAt = applied.retry ? now + retryMs : undefined;
      const attempted = applied.revision !== undefined ? { lastAttemptedRevision: applied.revision } : {};
      writeKustomizationStatus(store, ks, { ...extra, ...attempted }, failed(ks, applied.reason, applied.message, now));
      return;
    }
    const { revision, objects } = applied;

    // Prune what left the build. Byte order, as Flux sorts inventory ids.
    const inventory = objects.map(inventoryEntry).sort((a, b) => (a.id < b.id ? -1 : Number(a.id > b.id)));
    if (getRecord(ks, ['spec'])?.prune === true) {
      const keep = new Set(inventory.map(e => e.id));
      this.prune(
        readInventory(ks.status).filter(e => !keep.has(e.id)),
        ks,
      );
    }

    const inventoryStatus = { inventory: { entries: inventory } };
    const healthRefs = healthCheckRefs(ks, objects);
    if (healthRefs.length === 0) {
      this.succeed(ks, state, revision, now, { ...extra, ...inventoryStatus });
      return;
    }
    state.waiting = { revision, startedAt: now, timeoutMs, refs: healthRefs };
    state.nextRunAt = undefined;
    writeKustomizationStatus(
      store,
      ks,
      { ...extra, ...inventoryStatus, lastAttemptedRevision: revision },
      progressing(ks, revision, timeoutMs, now),
    );
    const refreshed = store.get(refOf(ks));
    if (refreshed) this.checkWaiting(refreshed, state);
  }

  /**
   * Source, dependencies, build, post-build substitution, admission, then the writes. The first
   * problem stops it with nothing applied; it names the revision once one was attempted.
   */
  private buildAndApply(ks: KubeObject): Applied | Failure {
    const { store, serviceIps } = this.options;
    const spec = getRecord(ks, ['spec']) ?? {};
    const source = this.source;
    const sourceProblem = this.checkSource(ks);
    if (sourceProblem) return sourceProblem;
    if (!source || source.kind !== 'ready') {
      const why = source?.kind === 'failed' ? `: ${source.message}` : '';
      return failure('ArtifactFailed', `Source '${sourceRefOf(ks).text}' is not ready${why}`, true);
    }
    const revision = source.revision;

    // Dependencies, checked on every pass until they are ready.
    const dependencyProblem = this.checkDependencies(ks, revision);
    if (dependencyProblem) return dependencyProblem;

    const path = buildPathOf(spec);
    if (path !== '' && !source.fs.isDir(path)) {
      const message = `kustomization path not found: stat ${path}: no such file or directory`;
      return failure('ArtifactFailed', message, true, revision);
    }
    const overlay = buildOverlayOf(spec);
    const built = kustomizeBuild(source.fs, path, overlay, `Kustomization ${ksKey(ks)} spec`);
    if (!built.ok) return failure('BuildFailed', `kustomize build failed: ${built.message}`, true, revision);
    let objects = built.objects;

    const postBuild = getRecord(spec, ['postBuild']);
    if (postBuild) {
      const vars = substitutionVariables(store, ks, postBuild);
      if (typeof vars === 'string') return failure('BuildFailed', vars, true, revision);
      const substituted = substituteObjects(objects, vars, { strict: this.options.strictSubstitution });
      if (!substituted.ok) return failure('BuildFailed', substituted.message, true, revision);
      objects = substituted.objects;
    }

    // Validate everything first so a bad object applies nothing.
    const admitted = admitBuild(store, serviceIps, ks, objects, overlay.targetNamespace);
    if (!admitted.ok) return failure('ReconciliationFailed', admitted.message, true, revision);
    ensureTargetNamespace(store, serviceIps, ks, overlay.targetNamespace, admitted.objects);
    for (const object of admitted.objects) store.write(object);
    return { ok: true, revision, objects: admitted.objects };
  }

  /** The Kustomization's sourceRef must be the Environment repo's GitRepository, which must exist. */
  private checkSource(ks: KubeObject): Failure | undefined {
    const { store } = this.options;
    const ref = sourceRefOf(ks);
    const isPrimary =
      ref.kind === 'GitRepository' && ref.namespace === FLUX_NAMESPACE && ref.name === this.primarySource;
    const group = 'source.toolkit.fluxcd.io';
    if (isPrimary && store.get({ group, kind: 'GitRepository', namespace: ref.namespace, name: ref.name })) {
      return undefined;
    }
    const exists = store.get({ group, kind: String(ref.kind), namespace: ref.namespace, name: ref.name });
    const message =
      isPrimary || !exists
        ? `Source '${ref.text}' not found`
        : `Source '${ref.text}' is not ready: the devcluster only serves the Environment repo (GitRepository '${FLUX_NAMESPACE}/${this.primarySource}')`;
    return failure('ArtifactFailed', message, true);
  }

  /** Every dependsOn Kustomization must be Ready, and at this revision when it reads the same repo. */
  private checkDependencies(ks: KubeObject, revision: string): Failure | undefined {
    for (const dep of dependsOnOf(ks)) {
      const depKs = this.options.store.get({
        group: KS_GROUP,
        kind: 'Kustomization',
        namespace: dep.namespace,
        name: dep.name,
      });
      if (!depKs) {
        const message = `unable to get '${dep.namespace}/${dep.name}' dependency: Kustomization.kustomize.toolkit.fluxcd.io "${dep.name}" not found`;
        return failure('DependencyNotReady', message, false);
      }
      const depStatus = getRecord(depKs, ['status']) ?? {};
      const depReady =
        findCondition(depStatus, 'Ready')?.status === 'True' &&
        depStatus.observedGeneration === depKs.metadata.generation &&
        // A dependency on the same source must have applied this very revision.
        (!usesGitRepository(depKs, this.primarySource) || depStatus.lastAppliedRevision === revision);
      if (!depReady) {
        const message = `dependency '${dep.namespace}/${dep.name}' is not ready`;
        return failure('DependencyNotReady', message, false);
      }
    }
    return undefined;
  }

  private checkWaiting(ks: KubeObject, state: KsState) {
    const waiting = state.waiting;
    if (!waiting) return;
    const { store } = this.options;
    const now = this.options.clock.now();
    const elapsed = now - waiting.startedAt;
    const results = waiting.refs.map(ref => ({ ref, health: healthOf(store.get(ref)) }));
    const notCurrent = results.filter(r => r.health !== 'Current');
    const list = (items: typeof results) =>
      `[${items.map(r => `${describeRef(r.ref)} status: '${r.health}'`).join(', ')}]`;

    if (notCurrent.length === 0) {
      this.succeed(ks, state, waiting.revision, now, {}, `Health check passed in ${formatGoDuration(elapsed)}`);
      return;
    }
    const stalled = notCurrent.filter(r => r.health === 'Failed');
    let message: string | undefined;
    if (stalled.length > 0) {
      message = `health check failed after ${formatGoDuration(elapsed)}: failed early due to stalled resources: ${list(
        stalled,
      )}`;
    } else if (elapsed >= waiting.timeoutMs) {
      message = `health check failed after ${formatGoDuration(elapsed)}: timeout waiting for: ${list(notCurrent)}`;
    }
    if (message === undefined) return;
    state.waiting = undefined;
    state.nextRunAt = now + scheduleOf(ks).retryMs;
    writeKustomizationStatus(store, ks, {}, unhealthy(ks, message, now));
  }

  private succeed(
    ks: KubeObject,
    state: KsState,
    revision: string,
    now: number,
    extra: JsonObject,
    healthMessage?: string,
  ) {
    state.waiting = undefined;
    state.nextRunAt = now + scheduleOf(ks).intervalMs;
    writeKustomizationStatus(
      this.options.store,
      ks,
      { ...extra, lastAttemptedRevision: revision, lastAppliedRevision: revision },
      succeeded(ks, revision, now, healthMessage),
    );
  }

  private prune(entries: ReturnType<typeof readInventory>, owner: KubeObject) {
    pruneEntries(this.options.store, this.options.logger, entries, owner, key => this.states.delete(key));
  }
}
