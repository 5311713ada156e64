import { parseEnvironmentName } from '../naming';
import { ApplicationStatusView, ConditionFacts } from '../status/deriveApplicationStatus';

/**
 * The read model of one Environment, folded from its event stream by {@link project}. Plain JSON
 * (no Maps, no Dates) so that it round-trips through JetStream KV; see `README.md` for the key layout.
 * Every list is capped (see {@link PROJECTION_LIMITS}) so the state stays bounded however long
 * the stream is.
 */

/** @public */
export const PROJECTION_LIMITS = {
  /** Commits kept for display in `commits.recent`. */
  recentCommits: 50,
  /** Commit shas kept to order Flux revisions and drop duplicate commit events. */
  knownRevisions: 500,
  /** Activity entries kept per Application. */
  activityPerApplication: 20,
  /** Applications with activity kept (the ones with the oldest latest entry go first). */
  activityApplications: 1000,
  /** Merged or closed change requests kept (open ones are always kept). */
  closedChangeRequests: 100,
  /** Deletion markers kept per scope (namespace, cluster, Flux). */
  tombstonesPerScope: 256,
} as const;

/** What Git says about an Application, from the last commit that touched its folder. @public */
export interface DesiredApplicationRecord {
  revision: string;
  committedAt: string;
  author: string;
  message: string;
  blueprint: string | null;
  version: string | null;
  /** Where the Blueprint comes from (`catalog` or `shared-blueprints`); null when not known. */
  source: string | null;
  /** The overlay (size) the Application uses; null for the Blueprint's default or when not known. */
  overlay: string | null;
  /** The version pinned before this commit (what runs until Flux applies it). */
  previousVersion: string | null;
  valuesDigest: string | null;
  removed: boolean;
  paused: boolean;
}

/** @public */
export interface DeploymentSummary {
  name: string;
  resourceVersion: string;
  generation: number | null;
  observedGeneration: number | null;
  replicas: number;
  currentReplicas: number;
  readyReplicas: number;
  updatedReplicas: number;
  availableReplicas: number;
  progressDeadlineExceeded: string | null;
  version: string | null;
}

/** @public */
export interface ReplicaSetSummary {
  name: string;
  resourceVersion: string;
  deployment: string | null;
  revision: string | null;
  replicas: number;
  readyReplicas: number;
}

/** @public */
export interface ContainerSummary {
  name: string;
  ready: boolean;
  restartCount: number;
  waitingReason: string | null;
  waitingMessage: string | null;
}

/** @public */
export interface PodSummary {
  name: string;
  resourceVersion: string;
  phase: string;
  ready: boolean;
  readySince: string | null;
  terminating: boolean;
  replicaSet: string | null;
  containers: ContainerSummary[];
}

/** @public */
export interface ServiceSummary {
  name: string;
  resourceVersion: string;
  type: string;
  clusterIP: string | null;
  ports: Array<{ name: string | null; port: number; protocol: string }>;
}

/**
 * The workloads of one namespace (an Application's namespace is its name).
 *
 * @public
 */
export interface NamespaceWorkloads {
  name: string;
  /** The Namespace object itself; `null` while only its contents have been seen. */
  namespace: { resourceVersion: string; phase: string } | null;
  deployments: Record<string, DeploymentSummary>;
  replicaSets: Record<string, ReplicaSetSummary>;
  pods: Record<string, PodSummary>;
  services: Record<string, ServiceSummary>;
}

/** @public */
export interface KustomizationSummary {
  name: string;
  namespace: string;
  resourceVersion: string;
  /** `catalyst.openova.io/application` label; `null` for Flux's own (e.g. the root `applications`). */
  application: string | null;
  blueprint: string | null;
  version: string | null;
  generation: number | null;
  observedGeneration: number | null;
  suspend: boolean;
  dependsOn: string[];
  ready: ConditionFacts | null;
  lastAppliedRevision: string | null;
  lastAttemptedRevision: string | null;
}

/** @public */
export interface HelmReleaseSummary {
  name: string;
  namespace: string;
  resourceVersion: string;
  suspend: boolean;
  ready: ConditionFacts | null;
  lastAttemptedRevision: string | null;
}

/** @public */
export interface GitRepositorySummary {
  name: string;
  namespace: string;
  resourceVersion: string;
  ready: ConditionFacts | null;
  revision: string | null;
}

/** @public */
export interface CommitSummary {
  sha: string;
  author: string;
  message: string;
  time: string;
  applications: string[];
  touchesPolicies: boolean;
}

/** @public */
export interface ActivityEntry {
  /** The CloudEvent id (or `git:<sha>` for commits), which de-duplicates entries. */
  id: string;
  type: string;
  time: string;
  summary: string;
  actor: string | null;
}

/** @public */
export type ChangeRequestStatus = 'open' | 'merged' | 'closed';

/** @public */
export interface ChangeRequestSummary {
  id: string;
  status: ChangeRequestStatus;
  application: string | null;
  sourceEnvironment: string | null;
  author: string | null;
  title: string | null;
  blueprint: string | null;
  version: string | null;
  valuesDigest: string | null;
  touchesPolicies: boolean;
  openedAt: string | null;
  /** Approvers (user refs), sorted. */
  approvals: Array<{ user: string; teams: string[]; at: string }>;
  closedAt: string | null;
  mergeCommit: string | null;
  /** The destination moved and the change no longer applies as approved (open, waiting for a rebase). */
  conflicted: boolean;
  /** When the change was last recomputed: approvals from before it are stale. */
  revisedAt: string | null;
  /**
   * Whether every rule of the destination's policy passed at the latest evaluation that changed a
   * verdict (null until one did): open pages reload the request's verdicts when it moves.
   */
  mergeable?: boolean | null;
  /** How it closed without merging. */
  closedAs: 'rejected' | 'superseded' | null;
}

/**
 * The card of one Application: derived status plus what Git and Flux say about it.
 *
 * @public
 */
export interface ApplicationView extends ApplicationStatusView {
  name: string;
  blueprint: string | null;
  desired: DesiredApplicationRecord | null;
  appliedRevision: string | null;
  dependsOn: string[];
  openChangeRequests: string[];
  /**
   * While the desired revision runs healthily (Running, or Pending approval on top of it): the time
   * of the event at which the projector first saw it so, kept while it stays healthy at that
   * revision (DESIGN §7: the soak clock starts at the projector's first Running at a revision).
   * Any other status resets it to null.
   */
  runningSince: string | null;
}

/** @public */
export interface EnvironmentState {
  environment: string;
  /**
   * From the Environment's name (`{org}-{env_type}`, DESIGN §4), or from the first event's
   * `catalystorg` for a name that does not parse; null only before that.
   */
  organization: string | null;
  envType: string | null;
  /** The time of `io.catalyst.environment.created`, when one was folded. */
  createdAt: string | null;
  /** Stream sequence of the last event folded in; events at or below it are no-ops. */
  lastSequence: number;
  applications: Record<string, ApplicationView>;
  /** What Git says per Application (also inside each `applications` entry; kept here for the reducer). */
  desired: Record<string, DesiredApplicationRecord>;
  namespaces: Record<string, NamespaceWorkloads>;
  kustomizations: Record<string, KustomizationSummary>;
  /** Keyed `<namespace>/<name>`. */
  helmReleases: Record<string, HelmReleaseSummary>;
  gitRepositories: Record<string, GitRepositorySummary>;
  /** Newest first. */
  commits: CommitSummary[];
  /** Commit shas newest first (orders Flux's applied revision; drops duplicate commit events). */
  revisions: string[];
  /** Per Application, newest first. */
  activity: Record<string, ActivityEntry[]>;
  changeRequests: Record<string, ChangeRequestSummary>;
  /**
   * Deletion markers so that a stale update cannot resurrect a deleted object: scope (a namespace,
   * `_cluster` for Namespaces, `_flux` for Flux objects) → `<Kind>/<name>` → resourceVersion.
   */
  tombstones: Record<string, Record<string, string>>;
}

/**
 * An empty read model for an Environment.
 *
 * @public
 */
export function createEnvironmentState(environment: string): EnvironmentState {
  // Seeded and older Environments never had an `environment.created` event: the name says it all.
  const parsed = parseEnvironmentName(environment);
  return {
    environment,
    organization: parsed.ok ? parsed.organization : null,
    envType: parsed.ok ? parsed.envType : null,
    createdAt: null,
    lastSequence: 0,
    applications: {},
    desired: {},
    namespaces: {},
    kustomizations: {},
    helmReleases: {},
    gitRepositories: {},
    commits: [],
    revisions: [],
    activity: {},
    changeRequests: {},
    tombstones: {},
  };
}
