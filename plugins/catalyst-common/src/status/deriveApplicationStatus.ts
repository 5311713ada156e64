import { revisionIncludes, revisionSha, shortRevision } from './revisions';

/**
 * The seven Application status badges (reference §8.6).
 *
 * @public
 */
export const APPLICATION_STATUSES = [
  'Running',
  'Installing',
  'Updating',
  'Degraded',
  'Failed',
  'Paused',
  'Pending approval',
] as const;

/** @public */
export type ApplicationStatus = (typeof APPLICATION_STATUSES)[number];

/**
 * A Kubernetes/Flux condition as the projector keeps it.
 *
 * @public
 */
export interface ConditionFacts {
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastTransitionTime?: string;
}

/** @public */
export interface KustomizationStatusFacts {
  generation?: number;
  observedGeneration?: number;
  suspend?: boolean;
  ready?: ConditionFacts | null;
  lastAppliedRevision?: string | null;
  lastAttemptedRevision?: string | null;
}

/** The HelmRelease of a HelmChart Blueprint, when there is one. @public */
export interface HelmReleaseStatusFacts {
  suspend?: boolean;
  ready?: ConditionFacts | null;
}

/** @public */
export interface DeploymentStatusFacts {
  name: string;
  generation?: number;
  observedGeneration?: number;
  /** `spec.replicas`: what the Deployment should run. */
  replicas: number;
  /** `status.replicas`: pods of every ReplicaSet, old ones included while they drain. */
  currentReplicas?: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  /** The `Progressing` condition's message when its reason is ProgressDeadlineExceeded. */
  progressDeadlineExceeded?: string | null;
  /** `catalyst.openova.io/blueprint-version` label: the version this Deployment was rendered from. */
  version?: string | null;
}

/** @public */
export interface ContainerStatusFacts {
  name: string;
  ready?: boolean;
  restartCount?: number;
  waitingReason?: string | null;
  waitingMessage?: string | null;
}

/** @public */
export interface PodStatusFacts {
  name: string;
  phase: string;
  ready: boolean;
  /** Last transition time of the pod's Ready condition while it is True. */
  readySince?: string | null;
  terminating?: boolean;
  containers: ReadonlyArray<ContainerStatusFacts>;
}

/**
 * What Git says the Application should be.
 *
 * @public
 */
export interface DesiredApplicationFacts {
  /** The commit that last touched `applications/<app>/`. */
  revision: string | null;
  blueprint?: string | null;
  version?: string | null;
  /** The version pinned before `revision`: what still runs until Flux applies `revision`. */
  previousVersion?: string | null;
  /** Commit time of `revision`. */
  committedAt?: string | null;
  /** The folder was removed (uninstall committed). */
  removed?: boolean;
}

/**
 * Everything the projector knows about one Application.
 *
 * @public
 */
export interface ApplicationStatusFacts {
  name: string;
  desired: DesiredApplicationFacts | null;
  kustomization: KustomizationStatusFacts | null;
  helmRelease?: HelmReleaseStatusFacts | null;
  deployments: ReadonlyArray<DeploymentStatusFacts>;
  pods: ReadonlyArray<PodStatusFacts>;
  /** An open change request for this Application, if any. */
  openChangeRequest?: { id: string; version?: string | null } | null;
  /** Paused on purpose (scaled to zero by a user), as opposed to Flux suspension. */
  paused?: boolean;
  /** Commit shas of the Environment repo, newest first, to order Flux's applied revision. */
  knownRevisions?: ReadonlyArray<string>;
}

/** @public */
export interface ApplicationStatusView {
  status: ApplicationStatus;
  /** Words people read: `2/3 pods ready`, `CrashLoopBackOff: api restarting`, Flux's message verbatim. */
  reason: string;
  pods: { ready: number; total: number };
  /** The version running (or being installed). */
  version: string | null;
  /** The version being rolled out or awaiting approval, when it differs from `version`. */
  targetVersion: string | null;
}

// Ready=False reasons after which Flux will not succeed without a new commit.
const TERMINAL_FLUX_REASONS = new Set([
  'ArtifactFailed',
  'BuildFailed',
  'HealthCheckFailed',
  'PruneFailed',
  'ReconciliationFailed',
  'ValidationFailed',
  'InvalidPath',
]);
const TERMINAL_HELM_REASONS = new Set([
  'ArtifactFailed',
  'InitFailed',
  'InstallFailed',
  'RetriesExceeded',
  'RollbackFailed',
  'TestFailed',
  'UninstallFailed',
  'UpgradeFailed',
]);
// A pod waiting for these will not start without a change (image, config, secret).
const TERMINAL_WAITING_REASONS = new Set([
  'CreateContainerConfigError',
  'CreateContainerError',
  'ErrImageNeverPull',
  'ErrImagePull',
  'ImagePullBackOff',
  'InvalidImageName',
]);

function countPods(facts: ApplicationStatusFacts): { ready: number; total: number } {
  if (facts.deployments.length > 0) {
    let ready = 0;
    let total = 0;
    for (const d of facts.deployments) {
      total += d.replicas;
      // Surge pods during a rollout can make readyReplicas exceed the desired count.
      ready += Math.min(d.readyReplicas, d.replicas);
    }
    return { ready, total };
  }
  const live = facts.pods.filter(p => !p.terminating && p.phase !== 'Succeeded');
  return { ready: live.filter(p => p.ready).length, total: live.length };
}

/** `dependency 'flux-system/marketing-site-postgres' is not ready` → `marketing-site-postgres`. */
function dependencyName(message: string | undefined): string | null {
  const match = /dependency '(?:[^'/]+\/)?([^']+)' is not ready/i.exec(message ?? '');
  return match ? match[1] : null;
}

function waitingForDependency(ready: ConditionFacts | null | undefined): string | null {
  if (!ready || ready.status === 'True' || ready.reason !== 'DependencyNotReady') return null;
  const name = dependencyName(ready.message);
  return name ? `waiting for dependency ${name}` : ready.message || 'waiting for a dependency';
}

function rolloutInProgress(d: DeploymentStatusFacts): string | null {
  if (d.generation !== undefined && d.observedGeneration !== undefined && d.observedGeneration < d.generation) {
    return `rolling out ${d.name}: waiting for the new spec to be observed`;
  }
  if (d.updatedReplicas < d.replicas) {
    return `rolling out ${d.name}: ${d.updatedReplicas}/${d.replicas} updated`;
  }
  if ((d.currentReplicas ?? d.replicas) > d.updatedReplicas) {
    return `rolling out ${d.name}: ${(d.currentReplicas ?? 0) - d.updatedReplicas} old pod(s) terminating`;
  }
  return null;
}

function listNames(names: string[]): string {
  const unique = [...new Set(names)].sort();
  return unique.length > 3 ? `${unique.slice(0, 3).join(', ')} and ${unique.length - 3} more` : unique.join(', ');
}

/** The version the workloads report, when they agree on one (a fallback when Git's pin is unknown). */
function runningVersion(facts: ApplicationStatusFacts): string | null {
  const versions = new Set(facts.deployments.map(d => d.version).filter((v): v is string => !!v));
  return versions.size === 1 ? [...versions][0] : null;
}

/**
 * Derives the status badge of one Application from the facts the projector assembled. Pure and
 * total: any combination of facts gives exactly one status. The first matching row wins:
 *
 * | # | status | when |
 * |---|---|---|
 * | 1 | Paused | Kustomization/HelmRelease suspended, or paused on purpose (scaled to zero) |
 * | 2 | Pending approval / Updating / Installing | not in Git: an open change request → Pending approval; objects still present → Updating (being removed); else Installing |
 * | 3 | Failed | Flux Ready=False with a terminal reason for the desired revision (message verbatim); HelmRelease terminal failure; a Deployment past its progress deadline; a pod that cannot start its container (image pull, config) |
 * | 4 | Degraded | a container in CrashLoopBackOff, whatever else is going on |
 * | 5 | Installing | Flux has never applied the Application (no Kustomization yet, or no lastAppliedRevision) |
 * | 6 | Updating | the applied revision does not include the desired commit, Flux has not observed the latest spec, or a Deployment rollout is progressing |
 * | 7 | Degraded | after the rollout, fewer pods ready than desired; or Flux Ready=False (e.g. a dependency broke) |
 * | 8 | Pending approval | a change request for the Application is open |
 * | 9 | Running | otherwise |
 *
 * Why this order: a user's explicit pause explains everything else; a failure needs action now and
 * must not hide behind a change request; crash loops are never "just rolling out"; an open change
 * request waits days while installs and rollouts finish in minutes, so those show first.
 *
 * @public
 */
export function deriveApplicationStatus(input: ApplicationStatusFacts): ApplicationStatusView {
  // Facts are assembled from cluster objects; missing lists mean "none seen", never an exception.
  const list = <T>(value: ReadonlyArray<T> | undefined): ReadonlyArray<T> => (Array.isArray(value) ? value : []);
  const facts: ApplicationStatusFacts = {
    ...input,
    desired: input.desired ?? null,
    kustomization: input.kustomization ?? null,
    deployments: list(input.deployments),
    pods: list(input.pods).map(p => ({ ...p, containers: list(p.containers) })),
  };
  const pods = countPods(facts);
  const k = facts.kustomization;
  const desired = facts.desired && !facts.desired.removed ? facts.desired : null;
  const known = facts.knownRevisions ?? [];
  const running = runningVersion(facts);
  const cr = facts.openChangeRequest ?? null;

  const applied = k?.lastAppliedRevision ?? null;
  const attempted = k?.lastAttemptedRevision ?? null;
  let appliedDesired = false;
  if (desired) appliedDesired = desired.revision ? revisionIncludes(applied, desired.revision, known) : !!applied;
  // Until Flux applies the desired commit, the previous pin is what runs.
  let version = running;
  if (desired && (appliedDesired || !applied)) version = desired.version ?? running;
  else if (desired) version = desired.previousVersion ?? running ?? desired.version ?? null;

  const view = (status: ApplicationStatus, reason: string): ApplicationStatusView => {
    let targetVersion: string | null = null;
    if (status === 'Pending approval' && cr?.version && cr.version !== version) targetVersion = cr.version;
    else if (desired?.version && desired.version !== version) targetVersion = desired.version;
    return { status, reason, pods, version: version ?? null, targetVersion };
  };
  const pendingApproval = (id: string) => view('Pending approval', `change request ${id} is waiting for approval`);

  // 1. Paused: the user's intent explains every other signal (Flux stops reconciling).
  if (k?.suspend || facts.helmRelease?.suspend) return view('Paused', 'reconciliation suspended in Flux');
  if (facts.paused) return view('Paused', 'scaled to zero on purpose');

  // 2. Not (or no longer) in Git.
  if (!desired) {
    if (cr) return pendingApproval(cr.id);
    if (k || facts.deployments.length > 0 || facts.pods.length > 0) {
      return view('Updating', 'being removed from the Environment');
    }
    return view('Installing', 'waiting for the commit to the Environment repository');
  }

  // Flux's verdict concerns the desired commit unless a newer one has not been attempted yet.
  const attemptedDesired = desired.revision ? revisionIncludes(attempted, desired.revision, known) : true;
  const fluxCurrent =
    !k || k.generation === undefined || k.observedGeneration === undefined || k.observedGeneration >= k.generation;
  const ready = k?.ready ?? null;

  // 3. Failed.
  if (
    k &&
    fluxCurrent &&
    ready?.status === 'False' &&
    TERMINAL_FLUX_REASONS.has(ready.reason ?? '') &&
    attemptedDesired
  ) {
    return view('Failed', ready.message || `Flux reports ${ready.reason}`);
  }
  const helmReady = facts.helmRelease?.ready;
  if (helmReady?.status === 'False' && TERMINAL_HELM_REASONS.has(helmReady.reason ?? '')) {
    return view('Failed', helmReady.message || `Helm reports ${helmReady.reason}`);
  }
  const stuck = facts.deployments.find(d => d.progressDeadlineExceeded);
  if (stuck) return view('Failed', `${stuck.name}: ${stuck.progressDeadlineExceeded}`);
  for (const pod of facts.pods) {
    if (pod.terminating) continue;
    const blocked = pod.containers.find(c => c.waitingReason && TERMINAL_WAITING_REASONS.has(c.waitingReason));
    if (blocked) {
      const detail = blocked.waitingMessage ? ` (${blocked.waitingMessage})` : '';
      return view('Failed', `${blocked.waitingReason}: ${blocked.name}${detail}`);
    }
  }

  // 4. Degraded: crash loops.
  const crashing = facts.pods
    .filter(p => !p.terminating)
    .flatMap(p => p.containers.filter(c => c.waitingReason === 'CrashLoopBackOff').map(c => c.name));
  if (crashing.length > 0) return view('Degraded', `CrashLoopBackOff: ${listNames(crashing)} restarting`);

  const commit = desired.revision ? revisionSha(desired.revision)?.slice(0, 7) ?? desired.revision : null;
  const reconciling = (): string =>
    waitingForDependency(ready) ??
    (attempted && attemptedDesired
      ? `reconciling revision ${shortRevision(attempted)}`
      : `waiting for Flux to fetch ${commit ? `commit ${commit}` : 'the latest commit'}`);

  // 5. Installing: never applied.
  if (!k) return view('Installing', `waiting for Flux to pick up ${commit ? `commit ${commit}` : 'the Application'}`);
  if (!applied) {
    const dependency = waitingForDependency(ready);
    if (dependency) return view('Installing', dependency);
    if (pods.total > 0 && attemptedDesired) return view('Installing', `${pods.ready}/${pods.total} pods ready`);
    return view('Installing', reconciling());
  }

  // 6. Updating: the desired commit is not applied yet, or workloads are rolling.
  if (!appliedDesired || !fluxCurrent) return view('Updating', reconciling());
  for (const d of facts.deployments) {
    const rolling = rolloutInProgress(d);
    if (rolling) return view('Updating', rolling);
  }

  // 7. Degraded: settled, but not everything is ready (or Flux cannot reconcile any more).
  if (pods.total > 0 && pods.ready < pods.total) return view('Degraded', `${pods.ready}/${pods.total} pods ready`);
  if (ready?.status === 'False') {
    return view('Degraded', waitingForDependency(ready) ?? (ready.message || `Flux reports ${ready.reason}`));
  }

  // 8. Pending approval.
  if (cr) return pendingApproval(cr.id);

  // 9. Running.
  const reason = pods.total > 0 ? `${pods.ready}/${pods.total} pods ready` : `applied ${shortRevision(applied)}`;
  return view('Running', reason);
}
