import { Clock, DevClusterLogger, JsonObject, KubeObject } from '../types';
import { ObjectStore, refOf } from '../store/ObjectStore';
import { admit, ServiceIpAllocator } from '../store/admission';
import { groupOf, isNamespacedKind } from '../store/resources';
import { cloneJson, getRecord, getString, isRecord, stringMap } from '../util/json';
import { Condition, findCondition, readConditions, removeCondition, setCondition } from '../util/conditions';
import { formatGoDuration, parseGoDuration, rfc3339 } from '../util/time';
import { healthOf } from './health';
import { applyOrder, InventoryEntry, inventoryEntry, readInventory, refFromInventoryId } from './inventory';
import { kustomizeBuild, BuildOverlay } from './kustomize/build';
import { substituteObjects } from './postBuild';
import { bootstrapObjects, FLUX_NAMESPACE, markHelmObjects, SourceState, writeGitRepositoryStatus } from './sources';

const KS_GROUP = 'kustomize.toolkit.fluxcd.io';
const NAME_LABEL = 'kustomize.toolkit.fluxcd.io/name';
const NAMESPACE_LABEL = 'kustomize.toolkit.fluxcd.io/namespace';
const PRUNE_ANNOTATION = 'kustomize.toolkit.fluxcd.io/prune';
const REQUESTED_AT = 'reconcile.fluxcd.io/requestedAt';
/** Marks a target Namespace the devcluster created, so it is removed with its Kustomization. */
export const CREATED_FOR_ANNOTATION = 'devcluster.catalyst.openova.io/created-for';
// Metadata written by controllers, not by manifests: an apply keeps it.
const CONTROLLER_OWNED_PREFIXES = ['deployment.kubernetes.io/'];

interface WaitState {
  revision: string;
  startedAt: number;
  timeoutMs: number;
  refs: Array<{ group: string; kind: string; namespace?: string; name: string }>;
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

function ksKey(ks: KubeObject): string {
  return `${ks.metadata.namespace}/${ks.metadata.name}`;
}

function durationOf(value: unknown, fallbackMs: number): number {
  return typeof value === 'string' ? parseGoDuration(value) ?? fallbackMs : fallbackMs;
}

function describe(ref: { kind: string; namespace?: string; name: string }): string {
  return `${ref.kind}/${ref.namespace ? `${ref.namespace}/` : ''}${ref.name}`;
}

/**
 * The Flux half of the devcluster: source-controller for the one Environment
 * repo, kustomize-controller for every Kustomization that uses it (dependsOn
 * order, build, post-build substitution, apply, prune, health checks with
 * `wait`/`timeout`), and honest "cannot do that" statuses for Helm objects.
 * Level-triggered like the real controllers: `sync()` looks at the store and
 * the source and does whatever is due.
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
      for (const ks of this.inDependencyOrder()) this.syncOne(ks, options.force === true);
      markHelmObjects(store, this.primarySource, clock.now());
      if (store.currentResourceVersion() === before) break;
    }
    return { nextWakeAt: this.nextWakeAt() };
  }

  /** Runs the health checks of Kustomizations that are waiting (after workloads moved on). */
  checkHealth(): void {
    for (const ks of this.options.store.list(KS_GROUP, 'Kustomization')) {
      const state = this.states.get(ksKey(ks));
      if (state?.waiting && !this.isSuspended(ks)) this.checkWaiting(ks, state);
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
      this.options.store.write({ ...this.mergeForApply(existing, object) });
    }
    this.bootstrappedRevision = revision ?? '';
  }

  private isSuspended(ks: KubeObject): boolean {
    return getRecord(ks, ['spec'])?.suspend === true;
  }

  /** Kustomizations sorted so that dependencies come before their dependents. */
  private inDependencyOrder(): KubeObject[] {
    const all = this.options.store.list(KS_GROUP, 'Kustomization');
    const byKey = new Map(all.map(ks => [ksKey(ks), ks]));
    const depth = new Map<string, number>();
    const depthOf = (ks: KubeObject, seen: Set<string>): number => {
      const key = ksKey(ks);
      if (depth.has(key)) return depth.get(key)!;
      if (seen.has(key)) return 0; // a cycle: Flux would wait forever too
      seen.add(key);
      let d = 0;
      for (const dep of this.dependsOn(ks)) {
        const target = byKey.get(`${dep.namespace}/${dep.name}`);
        if (target) d = Math.max(d, depthOf(target, seen) + 1);
      }
      depth.set(key, d);
      return d;
    };
    return all
      .map(ks => ({ ks, d: depthOf(ks, new Set()) }))
      .sort((a, b) => a.d - b.d || (ksKey(a.ks) < ksKey(b.ks) ? -1 : 1))
      .map(x => x.ks);
  }

  private dependsOn(ks: KubeObject): Array<{ namespace: string; name: string }> {
    const deps = getRecord(ks, ['spec'])?.dependsOn;
    if (!Array.isArray(deps)) return [];
    return deps
      .filter(isRecord)
      .filter(d => typeof d.name === 'string')
      .map(d => ({
        name: d.name as string,
        namespace: (d.namespace as string | undefined) ?? ks.metadata.namespace ?? FLUX_NAMESPACE,
      }));
  }

  private syncOne(listed: KubeObject, force: boolean) {
    // Earlier Kustomizations in this pass may have changed or pruned this one.
    const ks = this.options.store.get(refOf(listed));
    if (!ks || this.isSuspended(ks)) return;
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
    const spec = getRecord(ks, ['spec']) ?? {};
    const intervalMs = durationOf(spec.interval, 10 * 60_000);
    const retryMs = durationOf(spec.retryInterval, intervalMs);
    const timeoutMs = durationOf(spec.timeout, intervalMs);
    const requestedAt = ks.metadata.annotations?.[REQUESTED_AT];
    const extra: JsonObject = requestedAt !== undefined ? { lastHandledReconcileAt: requestedAt } : {};

    const fail = (reason: string, message: string, retryAt: number | undefined, revision?: string) => {
      state.waiting = undefined;
      state.nextRunAt = retryAt;
      this.writeStatus(
        ks,
        {
          ...extra,
          ...(revision !== undefined ? { lastAttemptedRevision: revision } : {}),
        },
        conditions => {
          let next = removeCondition(conditions, 'Reconciling');
          next = setCondition(
            next,
            { type: 'Ready', status: 'False', reason, message, observedGeneration: ks.metadata.generation },
            rfc3339(now),
          );
          return next;
        },
      );
    };

    // Source.
    const sourceRef = getRecord(spec, ['sourceRef']) ?? {};
    const sourceNs = getString(sourceRef, ['namespace']) ?? ks.metadata.namespace;
    const sourceName = getString(sourceRef, ['name']) ?? '';
    const sourceDesc = `${String(sourceRef.kind ?? 'GitRepository')}/${sourceNs}/${sourceName}`;
    const isPrimary =
      sourceRef.kind === 'GitRepository' && sourceNs === FLUX_NAMESPACE && sourceName === this.primarySource;
    const source = this.source;
    if (
      !isPrimary ||
      !store.get({ group: 'source.toolkit.fluxcd.io', kind: 'GitRepository', namespace: sourceNs, name: sourceName })
    ) {
      const message =
        isPrimary ||
        !store.get({
          group: 'source.toolkit.fluxcd.io',
          kind: String(sourceRef.kind),
          namespace: sourceNs,
          name: sourceName,
        })
          ? `Source '${sourceDesc}' not found`
          : `Source '${sourceDesc}' is not ready: the devcluster only serves the Environment repo (GitRepository '${FLUX_NAMESPACE}/${this.primarySource}')`;
      fail('ArtifactFailed', message, now + retryMs);
      return;
    }
    if (!source || source.kind !== 'ready') {
      fail(
        'ArtifactFailed',
        `Source '${sourceDesc}' is not ready${source?.kind === 'failed' ? `: ${source.message}` : ''}`,
        now + retryMs,
      );
      return;
    }
    const revision = source.revision;

    // Dependencies, checked on every pass until they are ready.
    for (const dep of this.dependsOn(ks)) {
      const depKs = store.get({ group: KS_GROUP, kind: 'Kustomization', namespace: dep.namespace, name: dep.name });
      if (!depKs) {
        fail(
          'DependencyNotReady',
          `unable to get '${dep.namespace}/${dep.name}' dependency: Kustomization.kustomize.toolkit.fluxcd.io "${dep.name}" not found`,
          undefined,
        );
        return;
      }
      const depStatus = getRecord(depKs, ['status']) ?? {};
      const depReady =
        findCondition(depStatus, 'Ready')?.status === 'True' &&
        depStatus.observedGeneration === depKs.metadata.generation &&
        // A dependency on the same source must have applied this very revision.
        (!this.usesPrimarySource(depKs) || depStatus.lastAppliedRevision === revision);
      if (!depReady) {
        fail('DependencyNotReady', `dependency '${dep.namespace}/${dep.name}' is not ready`, undefined);
        return;
      }
    }

    // Build.
    const path = String(spec.path ?? '')
      .replace(/^\.?\/+/, '')
      .replace(/^\.$/, '')
      .replace(/\/+$/, '');
    if (path !== '' && !source.fs.isDir(path)) {
      fail(
        'ArtifactFailed',
        `kustomization path not found: stat ${path}: no such file or directory`,
        now + retryMs,
        revision,
      );
      return;
    }
    const overlay: BuildOverlay = {
      targetNamespace: getString(spec, ['targetNamespace']),
      namePrefix: getString(spec, ['namePrefix']),
      nameSuffix: getString(spec, ['nameSuffix']),
      commonMetadata: getRecord(spec, ['commonMetadata']) as BuildOverlay['commonMetadata'],
      patches: Array.isArray(spec.patches) ? (spec.patches as BuildOverlay['patches']) : undefined,
      images: Array.isArray(spec.images) ? (spec.images as BuildOverlay['images']) : undefined,
    };
    const built = kustomizeBuild(source.fs, path, overlay, `Kustomization ${ksKey(ks)} spec`);
    if (!built.ok) {
      fail('BuildFailed', `kustomize build failed: ${built.message}`, now + retryMs, revision);
      return;
    }
    let objects = built.objects;

    // Post-build substitution.
    const postBuild = getRecord(spec, ['postBuild']);
    if (postBuild) {
      const vars = this.substitutionVariables(ks, postBuild);
      if (typeof vars === 'string') {
        fail('BuildFailed', vars, now + retryMs, revision);
        return;
      }
      const substituted = substituteObjects(objects, vars, { strict: this.options.strictSubstitution });
      if (!substituted.ok) {
        fail('BuildFailed', substituted.message, now + retryMs, revision);
        return;
      }
      objects = substituted.objects;
    }

    // Apply: validate everything first so a bad object applies nothing.
    const labelled = objects.map(object => {
      const copy = cloneJson(object);
      copy.metadata.labels = {
        ...copy.metadata.labels,
        [NAME_LABEL]: ks.metadata.name,
        [NAMESPACE_LABEL]: ks.metadata.namespace ?? FLUX_NAMESPACE,
      };
      return copy;
    });
    const targetNamespace = overlay.targetNamespace;
    const namespacesInBuild = new Set(labelled.filter(o => o.kind === 'Namespace').map(o => o.metadata.name));
    const admitted: KubeObject[] = [];
    for (const object of [...labelled].sort(applyOrder)) {
      const where = describe({ kind: object.kind, namespace: object.metadata.namespace, name: object.metadata.name });
      if (isNamespacedKind(object.kind)) {
        const ns = object.metadata.namespace;
        if (!ns) {
          fail(
            'ReconciliationFailed',
            `${where} namespace not specified: the server could not find the requested resource`,
            now + retryMs,
            revision,
          );
          return;
        }
        if (
          !namespacesInBuild.has(ns) &&
          ns !== targetNamespace &&
          !store.get({ group: '', kind: 'Namespace', name: ns })
        ) {
          fail(
            'ReconciliationFailed',
            `${where} namespace not found: namespaces "${ns}" not found`,
            now + retryMs,
            revision,
          );
          return;
        }
      }
      const existing = store.get(refOf(object));
      const result = admit(this.mergeForApply(existing, object), existing, this.options.serviceIps);
      if (!result.ok) {
        fail('ReconciliationFailed', `${where} dry-run failed (Invalid): ${result.message}`, now + retryMs, revision);
        return;
      }
      admitted.push(result.object);
    }
    if (
      targetNamespace &&
      !namespacesInBuild.has(targetNamespace) &&
      !store.get({ group: '', kind: 'Namespace', name: targetNamespace })
    ) {
      const created = admit(
        {
          apiVersion: 'v1',
          kind: 'Namespace',
          metadata: { name: targetNamespace, annotations: { [CREATED_FOR_ANNOTATION]: ksKey(ks) } },
        },
        undefined,
        this.options.serviceIps,
      );
      if (created.ok) store.write(created.object);
    }
    for (const object of admitted) store.write(object);

    // Prune what left the build.
    // Byte order, as Flux sorts inventory ids.
    const inventory = admitted.map(inventoryEntry).sort((a, b) => (a.id < b.id ? -1 : Number(a.id > b.id)));
    if (spec.prune === true) {
      const keep = new Set(inventory.map(e => e.id));
      this.deleteEntries(
        readInventory(ks.status).filter(e => !keep.has(e.id)),
        ks,
      );
    }

    const inventoryStatus = { inventory: { entries: inventory } };
    const healthRefs = this.healthCheckRefs(ks, admitted);
    if (healthRefs.length === 0) {
      this.succeed(ks, state, revision, now, { ...extra, ...inventoryStatus });
      return;
    }
    state.waiting = { revision, startedAt: now, timeoutMs, refs: healthRefs };
    state.nextRunAt = undefined;
    this.writeStatus(ks, { ...extra, ...inventoryStatus, lastAttemptedRevision: revision }, conditions => {
      let next = setCondition(
        conditions,
        {
          type: 'Reconciling',
          status: 'True',
          reason: 'Progressing',
          message: `Running health checks for revision ${revision} with a timeout of ${formatGoDuration(timeoutMs)}`,
          observedGeneration: ks.metadata.generation,
        },
        rfc3339(now),
      );
      next = setCondition(
        next,
        {
          type: 'Ready',
          status: 'Unknown',
          reason: 'Progressing',
          message: 'Reconciliation in progress',
          observedGeneration: ks.metadata.generation,
        },
        rfc3339(now),
      );
      return next;
    });
    const refreshed = store.get(refOf(ks));
    if (refreshed) this.checkWaiting(refreshed, state);
  }

  private usesPrimarySource(ks: KubeObject): boolean {
    const sourceRef = getRecord(ks, ['spec', 'sourceRef']) ?? {};
    return (
      sourceRef.kind === 'GitRepository' &&
      sourceRef.name === this.primarySource &&
      (getString(sourceRef, ['namespace']) ?? ks.metadata.namespace) === FLUX_NAMESPACE
    );
  }

  private substitutionVariables(ks: KubeObject, postBuild: JsonObject): Record<string, string> | string {
    const vars: Record<string, string> = {};
    const from = Array.isArray(postBuild.substituteFrom) ? postBuild.substituteFrom : [];
    for (const ref of from.filter(isRecord)) {
      const kind = ref.kind === 'Secret' ? 'Secret' : 'ConfigMap';
      const found = this.options.store.get({
        group: '',
        kind,
        namespace: ks.metadata.namespace,
        name: String(ref.name),
      });
      if (!found) {
        if (ref.optional === true) continue;
        return `substitute from '${kind}/${ks.metadata.namespace}/${String(ref.name)}' failed: ${
          kind === 'Secret' ? 'secrets' : 'configmaps'
        } "${String(ref.name)}" not found`;
      }
      for (const [k, v] of Object.entries(stringMap(found.data))) {
        vars[k] = kind === 'Secret' ? Buffer.from(v, 'base64').toString('utf8') : v;
      }
    }
    // Inline values win over substituteFrom, as in Flux.
    if (isRecord(postBuild.substitute)) {
      for (const [k, v] of Object.entries(postBuild.substitute)) {
        vars[k] = v === null || v === undefined ? '' : String(v);
      }
    }
    return vars;
  }

  private healthCheckRefs(ks: KubeObject, applied: KubeObject[]): WaitState['refs'] {
    const spec = getRecord(ks, ['spec']) ?? {};
    if (spec.wait === true) return applied.map(o => ({ ...refOf(o) }));
    const checks = Array.isArray(spec.healthChecks) ? spec.healthChecks.filter(isRecord) : [];
    return checks.map(c => ({
      group: groupOf(String(c.apiVersion ?? '')),
      kind: String(c.kind),
      namespace: (c.namespace as string | undefined) ?? ks.metadata.namespace,
      name: String(c.name),
    }));
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
      `[${items.map(r => `${describe(r.ref)} status: '${r.health}'`).join(', ')}]`;

    if (notCurrent.length === 0) {
      this.succeed(ks, state, waiting.revision, now, {}, `Health check passed in ${formatGoDuration(elapsed)}`);
      return;
    }
    const failed = notCurrent.filter(r => r.health === 'Failed');
    let message: string | undefined;
    if (failed.length > 0) {
      message = `health check failed after ${formatGoDuration(elapsed)}: failed early due to stalled resources: ${list(
        failed,
      )}`;
    } else if (elapsed >= waiting.timeoutMs) {
      message = `health check failed after ${formatGoDuration(elapsed)}: timeout waiting for: ${list(notCurrent)}`;
    }
    if (message === undefined) return;
    const intervalMs = durationOf(getRecord(ks, ['spec'])?.interval, 10 * 60_000);
    state.waiting = undefined;
    state.nextRunAt = now + durationOf(getRecord(ks, ['spec'])?.retryInterval, intervalMs);
    this.writeStatus(ks, {}, conditions => {
      let next = removeCondition(conditions, 'Reconciling');
      next = setCondition(
        next,
        {
          type: 'Healthy',
          status: 'False',
          reason: 'HealthCheckFailed',
          message,
          observedGeneration: ks.metadata.generation,
        },
        rfc3339(now),
      );
      next = setCondition(
        next,
        {
          type: 'Ready',
          status: 'False',
          reason: 'HealthCheckFailed',
          message: message!,
          observedGeneration: ks.metadata.generation,
        },
        rfc3339(now),
      );
      return next;
    });
  }

  private succeed(
    ks: KubeObject,
    state: KsState,
    revision: string,
    now: number,
    extra: JsonObject,
    healthMessage?: string,
  ) {
    const intervalMs = durationOf(getRecord(ks, ['spec'])?.interval, 10 * 60_000);
    state.waiting = undefined;
    state.nextRunAt = now + intervalMs;
    this.writeStatus(ks, { ...extra, lastAttemptedRevision: revision, lastAppliedRevision: revision }, conditions => {
      let next = removeCondition(conditions, 'Reconciling');
      if (healthMessage) {
        next = setCondition(
          next,
          {
            type: 'Healthy',
            status: 'True',
            reason: 'Succeeded',
            message: healthMessage,
            observedGeneration: ks.metadata.generation,
          },
          rfc3339(now),
        );
      }
      next = setCondition(
        next,
        {
          type: 'Ready',
          status: 'True',
          reason: 'ReconciliationSucceeded',
          message: `Applied revision: ${revision}`,
          observedGeneration: ks.metadata.generation,
        },
        rfc3339(now),
      );
      return next;
    });
  }

  private writeStatus(ks: KubeObject, fields: JsonObject, conditions: (current: Condition[]) => Condition[]) {
    const { store } = this.options;
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

  /**
   * Server-side apply, simplified: the manifest's fields replace the stored
   * ones, while status and controller-owned metadata are kept.
   */
  private mergeForApply(existing: KubeObject | undefined, desired: KubeObject): KubeObject {
    const result = cloneJson(desired);
    if (!existing) return result;
    const keep = (from: Record<string, string> | undefined) =>
      Object.fromEntries(
        Object.entries(from ?? {}).filter(([k]) => CONTROLLER_OWNED_PREFIXES.some(p => k.startsWith(p))),
      );
    const annotations = { ...keep(existing.metadata.annotations), ...result.metadata.annotations };
    result.metadata = {
      ...result.metadata,
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
      ...(existing.metadata.ownerReferences && !result.metadata.ownerReferences
        ? { ownerReferences: existing.metadata.ownerReferences }
        : {}),
    };
    if (existing.status !== undefined) result.status = existing.status;
    return result;
  }

  /** Deletes inventory entries; a deleted Kustomization's own inventory goes with it (Flux's finalizer). */
  private deleteEntries(entries: InventoryEntry[], owner: KubeObject) {
    const { store, logger } = this.options;
    for (const entry of entries) {
      const ref = refFromInventoryId(entry.id);
      if (!ref) continue;
      const live = store.get(ref);
      if (!live) continue;
      if (live.metadata.annotations?.[PRUNE_ANNOTATION] === 'disabled') continue;
      // Only delete what this Kustomization still owns (another may have taken it over).
      if (live.metadata.labels?.[NAME_LABEL] !== owner.metadata.name) continue;
      if (live.kind === 'Kustomization' && groupOf(live.apiVersion) === KS_GROUP) this.finalize(live);
      store.delete(ref);
      logger.debug('devcluster: pruned', { object: entry.id, kustomization: ksKey(owner) });
    }
  }

  private finalize(ks: KubeObject) {
    const { store } = this.options;
    this.states.delete(ksKey(ks));
    if (getRecord(ks, ['spec'])?.prune === true && !this.isSuspended(ks)) {
      this.deleteEntries(readInventory(ks.status), ks);
    }
    const target = getString(ks, ['spec', 'targetNamespace']);
    if (target) {
      const ns = store.get({ group: '', kind: 'Namespace', name: target });
      if (ns?.metadata.annotations?.[CREATED_FOR_ANNOTATION] === ksKey(ks)) {
        store.delete({ group: '', kind: 'Namespace', name: target });
      }
    }
  }
}
