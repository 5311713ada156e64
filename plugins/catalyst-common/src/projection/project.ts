import { CATALYST_EVENT_TYPES, CatalystEventDataMap, KnownCatalystEvent, validateEvent } from '../events/catalystEvent';
import { formatInstant, parseInstant } from '../events/instant';
import { CatalystIssue } from '../issues';
import { deriveApplicationStatus } from '../status/deriveApplicationStatus';
import { sameCommit } from '../status/revisions';
import { diffKvEntries, ProjectionChanges } from './kv';
import {
  ActivityEntry,
  ApplicationView,
  ChangeRequestStatus,
  ChangeRequestSummary,
  CommitSummary,
  DesiredApplicationRecord,
  EnvironmentState,
  KustomizationSummary,
  NamespaceWorkloads,
  PROJECTION_LIMITS,
} from './state';
import {
  deploymentSummary,
  gitRepositorySummary,
  helmReleaseSummary,
  kustomizationSummary,
  namespacePhase,
  podSummary,
  replicaSetSummary,
  serviceSummary,
} from './summaries';
import { compareResourceVersions, deepEqual, withEntry, withoutEntry } from './util';

/**
 * What folding one event did:
 * - `applied`: the state changed;
 * - `unchanged`: a valid event that changed nothing (a duplicate commit or change-request event);
 * - `stale`: a Kubernetes/Flux object older than what the state holds (or than its deletion);
 * - `duplicate`: a stream sequence at or below `lastSequence` (redelivery, replay) — a no-op;
 * - `ignored`: another Environment's event, or a type this projector does not know;
 * - `rejected`: not a valid event (see `issues`); the sequence still advances so it cannot block the stream.
 *
 * @public
 */
export type ProjectionOutcome = 'applied' | 'unchanged' | 'stale' | 'duplicate' | 'ignored' | 'rejected';

/** @public */
export interface FoldResult {
  state: EnvironmentState;
  outcome: ProjectionOutcome;
  issues: CatalystIssue[];
}

/** @public */
export interface ProjectionResult extends FoldResult {
  /** The KV entries to write (CAS) and delete; empty for a duplicate sequence. */
  changes: ProjectionChanges;
}

type Collection = 'deployments' | 'replicaSets' | 'pods' | 'services';

const COLLECTIONS: Record<'Deployment' | 'ReplicaSet' | 'Pod' | 'Service', Collection> = {
  Deployment: 'deployments',
  ReplicaSet: 'replicaSets',
  Pod: 'pods',
  Service: 'services',
};

const SUMMARIZERS = {
  Deployment: deploymentSummary,
  ReplicaSet: replicaSetSummary,
  Pod: podSummary,
  Service: serviceSummary,
} as const;

const CLUSTER_SCOPE = '_cluster';
const FLUX_SCOPE = '_flux';
const STATUS_RANK: Record<ChangeRequestStatus, number> = { open: 0, closed: 1, merged: 2 };

interface Step {
  state: EnvironmentState;
  outcome: 'applied' | 'unchanged' | 'stale' | 'ignored';
  /** Applications whose status must be derived again. */
  affected: Iterable<string>;
}

const unchanged = (state: EnvironmentState, outcome: Step['outcome'] = 'unchanged'): Step => ({
  state,
  outcome,
  affected: [],
});

function emptyNamespace(name: string): NamespaceWorkloads {
  return { name, namespace: null, deployments: {}, replicaSets: {}, pods: {}, services: {} };
}

function isEmptyNamespace(ns: NamespaceWorkloads): boolean {
  return (
    ns.namespace === null &&
    Object.keys(ns.deployments).length === 0 &&
    Object.keys(ns.replicaSets).length === 0 &&
    Object.keys(ns.pods).length === 0 &&
    Object.keys(ns.services).length === 0
  );
}

function hasWorkloads(ns: NamespaceWorkloads | undefined): boolean {
  return !!ns && !isEmptyNamespace({ ...ns, namespace: null });
}

/** True when `rv` is not newer than the version already known (live object or deletion marker). */
function isOutdated(rv: string, ...known: Array<string | undefined>): boolean {
  return known.some(k => k !== undefined && compareResourceVersions(rv, k) <= 0);
}

/** Raises a deletion marker; keeps at most `tombstonesPerScope` per scope (the oldest go first). */
function withTombstone(state: EnvironmentState, scope: string, key: string, rv: string): EnvironmentState {
  const current = state.tombstones[scope] ?? {};
  const existing = current[key];
  if (existing !== undefined && compareResourceVersions(existing, rv) >= 0) return state;
  let next = { ...current, [key]: rv };
  const keys = Object.keys(next);
  if (keys.length > PROJECTION_LIMITS.tombstonesPerScope) {
    const oldest = keys.sort((a, b) => compareResourceVersions(next[a], next[b]) || (a < b ? -1 : 1))[0];
    next = withoutEntry(next, oldest);
  }
  return { ...state, tombstones: { ...state.tombstones, [scope]: next } };
}

// ---------------------------------------------------------------- Kubernetes objects

function applyK8s(
  state: EnvironmentState,
  data: CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.k8sObjectUpserted],
  deleted: boolean,
): Step {
  const { kind, object } = data;
  const meta = object.metadata;
  const rv = meta.resourceVersion;

  if (kind === 'Namespace') {
    const name = meta.name;
    const key = `Namespace/${name}`;
    const ns = state.namespaces[name];
    if (deleted) {
      let next = withTombstone(state, CLUSTER_SCOPE, key, rv);
      // Everything in a namespace is older than the namespace's final deletion: drop it all, and
      // the guard keeps late or stale updates from the old namespace out.
      next = pruneNamespace(next, name, rv);
      return next === state ? unchanged(state, 'stale') : { state: next, outcome: 'applied', affected: [name] };
    }
    if (isOutdated(rv, ns?.namespace?.resourceVersion, state.tombstones[CLUSTER_SCOPE]?.[key])) {
      return unchanged(state, 'stale');
    }
    const phase = namespacePhase(object);
    if (!phase) return unchanged(state, 'ignored');
    const updated: NamespaceWorkloads = { ...(ns ?? emptyNamespace(name)), namespace: phase };
    return {
      state: { ...state, namespaces: withEntry(state.namespaces, name, updated) },
      outcome: 'applied',
      affected: [name],
    };
  }

  const namespace = meta.namespace;
  if (!namespace) return unchanged(state, 'ignored');
  const guard = state.tombstones[CLUSTER_SCOPE]?.[`Namespace/${namespace}`];
  if (isOutdated(rv, guard)) return unchanged(state, 'stale');
  const collection = COLLECTIONS[kind];
  const key = `${kind}/${meta.name}`;
  const ns = state.namespaces[namespace];
  const live = ns?.[collection][meta.name];

  if (deleted) {
    let next = withTombstone(state, namespace, key, rv);
    if (ns && live && compareResourceVersions(live.resourceVersion, rv) <= 0) {
      const remaining: NamespaceWorkloads = {
        ...ns,
        [collection]: withoutEntry(ns[collection] as Record<string, unknown>, meta.name),
      };
      next = {
        ...next,
        namespaces: isEmptyNamespace(remaining)
          ? withoutEntry(next.namespaces, namespace)
          : withEntry(next.namespaces, namespace, remaining),
      };
    }
    return next === state ? unchanged(state, 'stale') : { state: next, outcome: 'applied', affected: [namespace] };
  }

  if (isOutdated(rv, live?.resourceVersion, state.tombstones[namespace]?.[key])) return unchanged(state, 'stale');
  const summary = SUMMARIZERS[kind](object);
  if (!summary) return unchanged(state, 'ignored');
  const base = ns ?? emptyNamespace(namespace);
  const updated: NamespaceWorkloads = {
    ...base,
    [collection]: withEntry(base[collection] as Record<string, typeof summary>, meta.name, summary),
  };
  return {
    state: { ...state, namespaces: withEntry(state.namespaces, namespace, updated) },
    outcome: 'applied',
    affected: [namespace],
  };
}

/** Removes whatever in namespace `name` is not newer than `rv`. */
function pruneNamespace(state: EnvironmentState, name: string, rv: string): EnvironmentState {
  let next = state;
  const ns = state.namespaces[name];
  if (ns) {
    const keep = <T extends { resourceVersion: string }>(items: Record<string, T>): Record<string, T> => {
      const out: Record<string, T> = {};
      for (const [k, v] of Object.entries(items)) if (compareResourceVersions(v.resourceVersion, rv) > 0) out[k] = v;
      return out;
    };
    const pruned: NamespaceWorkloads = {
      name,
      namespace: ns.namespace && compareResourceVersions(ns.namespace.resourceVersion, rv) > 0 ? ns.namespace : null,
      deployments: keep(ns.deployments),
      replicaSets: keep(ns.replicaSets),
      pods: keep(ns.pods),
      services: keep(ns.services),
    };
    const changed = !deepEqual(pruned, ns);
    if (changed) {
      next = {
        ...next,
        namespaces: isEmptyNamespace(pruned)
          ? withoutEntry(next.namespaces, name)
          : withEntry(next.namespaces, name, pruned),
      };
    }
  }
  const markers = next.tombstones[name];
  if (markers) {
    const kept: Record<string, string> = {};
    for (const [k, v] of Object.entries(markers)) if (compareResourceVersions(v, rv) > 0) kept[k] = v;
    next = {
      ...next,
      tombstones:
        Object.keys(kept).length === 0 ? withoutEntry(next.tombstones, name) : { ...next.tombstones, [name]: kept },
    };
  }
  return next;
}

// ---------------------------------------------------------------- Flux objects

function applicationOfKustomization(state: EnvironmentState, k: KustomizationSummary): string | null {
  if (k.application) return k.application;
  // Unlabelled (hand-written) Kustomizations still count when Git has an Application of that name.
  return state.desired[k.name] ? k.name : null;
}

function applyFlux(
  state: EnvironmentState,
  event: KnownCatalystEvent,
  kind: 'Kustomization' | 'HelmRelease' | 'GitRepository',
  deleted: boolean,
): Step {
  const object = (event.data as { object: { metadata: { name: string; namespace?: string; resourceVersion: string } } })
    .object;
  const { name, resourceVersion: rv } = object.metadata;
  const namespace = object.metadata.namespace ?? (kind === 'HelmRelease' ? name : 'flux-system');
  const marker = `${kind}/${namespace}/${name}`;
  const tomb = state.tombstones[FLUX_SCOPE]?.[marker];

  if (kind === 'Kustomization') {
    const live = state.kustomizations[name];
    if (deleted) {
      let next = withTombstone(state, FLUX_SCOPE, marker, rv);
      const affected = live ? [applicationOfKustomization(state, live)] : [];
      if (live && compareResourceVersions(live.resourceVersion, rv) <= 0) {
        next = { ...next, kustomizations: withoutEntry(next.kustomizations, name) };
      }
      return next === state
        ? unchanged(state, 'stale')
        : { state: next, outcome: 'applied', affected: affected.filter((a): a is string => !!a) };
    }
    if (isOutdated(rv, live?.resourceVersion, tomb)) return unchanged(state, 'stale');
    const summary = kustomizationSummary(object);
    if (!summary) return unchanged(state, 'ignored');
    const next = { ...state, kustomizations: withEntry(state.kustomizations, name, summary) };
    const apps = [applicationOfKustomization(next, summary), live ? applicationOfKustomization(state, live) : null];
    return { state: next, outcome: 'applied', affected: apps.filter((a): a is string => !!a) };
  }

  if (kind === 'HelmRelease') {
    const key = `${namespace}/${name}`;
    const live = state.helmReleases[key];
    if (deleted) {
      let next = withTombstone(state, FLUX_SCOPE, marker, rv);
      if (live && compareResourceVersions(live.resourceVersion, rv) <= 0) {
        next = { ...next, helmReleases: withoutEntry(next.helmReleases, key) };
      }
      return next === state ? unchanged(state, 'stale') : { state: next, outcome: 'applied', affected: [namespace] };
    }
    if (isOutdated(rv, live?.resourceVersion, tomb)) return unchanged(state, 'stale');
    const summary = helmReleaseSummary(object);
    if (!summary) return unchanged(state, 'ignored');
    return {
      state: { ...state, helmReleases: withEntry(state.helmReleases, key, summary) },
      outcome: 'applied',
      affected: [namespace],
    };
  }

  const live = state.gitRepositories[name];
  if (deleted) {
    let next = withTombstone(state, FLUX_SCOPE, marker, rv);
    if (live && compareResourceVersions(live.resourceVersion, rv) <= 0) {
      next = { ...next, gitRepositories: withoutEntry(next.gitRepositories, name) };
    }
    return next === state ? unchanged(state, 'stale') : { state: next, outcome: 'applied', affected: [] };
  }
  if (isOutdated(rv, live?.resourceVersion, tomb)) return unchanged(state, 'stale');
  const summary = gitRepositorySummary(object);
  if (!summary) return unchanged(state, 'ignored');
  return {
    state: { ...state, gitRepositories: withEntry(state.gitRepositories, name, summary) },
    outcome: 'applied',
    affected: [],
  };
}

// ---------------------------------------------------------------- activity

/** Activity is ordered by event time (then id), so arrival order and duplicates do not matter. */
function compareActivity(a: ActivityEntry, b: ActivityEntry): number {
  const ta = parseInstant(a.time) ?? 0;
  const tb = parseInstant(b.time) ?? 0;
  if (ta !== tb) return tb - ta;
  if (a.id === b.id) return 0;
  return a.id < b.id ? 1 : -1;
}

function withActivity(state: EnvironmentState, application: string, entry: ActivityEntry): EnvironmentState {
  const current = state.activity[application] ?? [];
  if (current.some(e => e.id === entry.id)) return state;
  const list = [...current, entry].sort(compareActivity).slice(0, PROJECTION_LIMITS.activityPerApplication);
  if (deepEqual(list, current)) return state;
  let activity = { ...state.activity, [application]: list };
  const apps = Object.keys(activity);
  if (apps.length > PROJECTION_LIMITS.activityApplications) {
    // Forget the Applications whose latest activity is the oldest.
    const newest = (app: string) => parseInstant(activity[app][0]?.time) ?? 0;
    const drop = apps.sort((a, b) => newest(a) - newest(b) || (a < b ? -1 : 1))[0];
    activity = withoutEntry(activity, drop);
  }
  return { ...state, activity };
}

function firstLine(message: string): string {
  const line = message.split('\n', 1)[0].trim();
  return line.length > 120 ? `${line.slice(0, 117)}...` : line;
}

// ---------------------------------------------------------------- Git

function applyGitCommit(
  state: EnvironmentState,
  event: KnownCatalystEvent,
  data: CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.gitCommit],
): Step {
  if (state.revisions.includes(data.sha)) return unchanged(state);
  const author = data.author.user ?? data.author.name;
  const commit: CommitSummary = {
    sha: data.sha,
    author,
    message: firstLine(data.message),
    time: data.time,
    applications: data.applications.map(a => a.name).sort(),
    touchesPolicies: data.touchesPolicies ?? false,
  };
  let next: EnvironmentState = {
    ...state,
    revisions: [data.sha, ...state.revisions].slice(0, PROJECTION_LIMITS.knownRevisions),
    commits: [commit, ...state.commits].slice(0, PROJECTION_LIMITS.recentCommits),
  };
  for (const app of data.applications) {
    const previous = next.desired[app.name];
    // An entry that names the Blueprint read the Application's pin whole, so an absent overlay
    // means none; one without it (an unreadable application.yaml) keeps what was known.
    const pinned = app.blueprint !== undefined;
    const record: DesiredApplicationRecord = {
      revision: data.sha,
      committedAt: data.time,
      author,
      message: commit.message,
      // A commit event may omit the pin (e.g. a values-only change seen by the watcher): keep the last known.
      blueprint: app.blueprint ?? previous?.blueprint ?? null,
      version: app.version ?? previous?.version ?? null,
      source: app.source ?? previous?.source ?? null,
      overlay: pinned ? app.overlay ?? null : previous?.overlay ?? null,
      previousVersion: previous?.version ?? null,
      valuesDigest: app.valuesDigest ?? previous?.valuesDigest ?? null,
      removed: app.change === 'removed',
      paused: app.paused ?? (app.change === 'removed' ? false : previous?.paused ?? false),
    };
    next = { ...next, desired: withEntry(next.desired, app.name, record) };
    next = withActivity(next, app.name, {
      id: `git:${data.sha}`,
      type: event.type,
      time: data.time,
      summary: `${app.change} in ${data.sha.slice(0, 7)} by ${author}: ${commit.message}`,
      actor: author,
    });
  }
  // Prepending a sha keeps the relative order of the others, so only Applications whose applied,
  // attempted or desired commit is the new or the evicted sha compare differently now.
  const evicted =
    state.revisions.length >= PROJECTION_LIMITS.knownRevisions ? state.revisions[state.revisions.length - 1] : null;
  const moved = (revision: string | null | undefined) =>
    !!revision && (sameCommit(revision, data.sha) || (evicted !== null && sameCommit(revision, evicted)));
  const affected = new Set(data.applications.map(a => a.name));
  for (const app of allApplicationNames(next)) {
    const k = kustomizationOf(next, app);
    if (moved(k?.lastAppliedRevision) || moved(k?.lastAttemptedRevision) || moved(next.desired[app]?.revision)) {
      affected.add(app);
    }
  }
  return { state: next, outcome: 'applied', affected };
}

// ---------------------------------------------------------------- Catalyst domain events

const APPLICATION_VERBS: Record<string, string> = {
  [CATALYST_EVENT_TYPES.applicationInstalled]: 'installed',
  [CATALYST_EVENT_TYPES.applicationConfigured]: 'configured',
  [CATALYST_EVENT_TYPES.applicationUpgraded]: 'upgraded',
  [CATALYST_EVENT_TYPES.applicationUninstalled]: 'uninstalled',
  [CATALYST_EVENT_TYPES.applicationRolledBack]: 'rolled back',
};

function applyApplicationEvent(
  state: EnvironmentState,
  event: KnownCatalystEvent,
  data: CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.applicationInstalled],
): Step {
  const verb = APPLICATION_VERBS[event.type] ?? event.type;
  const what = [
    data.blueprint,
    data.previousVersion && data.version ? `${data.previousVersion} → ${data.version}` : data.version,
  ]
    .filter(Boolean)
    .join(' ');
  const next = withActivity(state, data.application, {
    id: event.id,
    type: event.type,
    time: event.time,
    summary: what ? `${verb} ${what}` : verb,
    actor: data.actor ?? null,
  });
  return next === state ? unchanged(state) : { state: next, outcome: 'applied', affected: [] };
}

function blankChangeRequest(id: string): ChangeRequestSummary {
  return {
    id,
    status: 'open',
    application: null,
    sourceEnvironment: null,
    author: null,
    title: null,
    blueprint: null,
    version: null,
    valuesDigest: null,
    touchesPolicies: false,
    openedAt: null,
    approvals: [],
    closedAt: null,
    mergeCommit: null,
    conflicted: false,
    revisedAt: null,
    closedAs: null,
  };
}

/** The activity line of a change request's update: a conflict, a revision, or a verdict change. */
function changeRequestUpdateSummary(d: CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.changeRequestUpdated]): string {
  if (d.conflicted) return `change request ${d.id} conflicts with the Environment's main`;
  if (d.revisedAt || d.mergeable === undefined) return `change request ${d.id} revised`;
  return d.mergeable
    ? `change request ${d.id} passes every rule of its policy`
    : `change request ${d.id} waits on its policy's rules`;
}

/** Fills fields that are still empty: change-request events are facts that never contradict each other. */
function fill(cr: ChangeRequestSummary, patch: Partial<ChangeRequestSummary>): ChangeRequestSummary {
  const out: ChangeRequestSummary = { ...cr };
  for (const [key, value] of Object.entries(patch) as Array<[keyof ChangeRequestSummary, unknown]>) {
    if (value === undefined || value === null) continue;
    if (key === 'status') {
      const status = value as ChangeRequestStatus;
      if (STATUS_RANK[status] > STATUS_RANK[out.status]) out.status = status;
    } else if (key === 'touchesPolicies') {
      out.touchesPolicies = out.touchesPolicies || value === true;
    } else if (out[key] === null) {
      (out as unknown as Record<string, unknown>)[key] = value;
    }
  }
  return out;
}

function capClosedChangeRequests(changeRequests: Record<string, ChangeRequestSummary>) {
  const closed = Object.values(changeRequests).filter(cr => cr.status !== 'open');
  if (closed.length <= PROJECTION_LIMITS.closedChangeRequests) return changeRequests;
  const at = (cr: ChangeRequestSummary) => parseInstant(cr.closedAt) ?? 0;
  const drop = closed
    .sort((a, b) => at(a) - at(b) || (a.id < b.id ? -1 : 1))
    .slice(0, closed.length - PROJECTION_LIMITS.closedChangeRequests);
  let out = changeRequests;
  for (const cr of drop) out = withoutEntry(out, cr.id);
  return out;
}

function applyChangeRequest(state: EnvironmentState, event: KnownCatalystEvent): Step {
  const data = event.data as { id: string };
  const existing = state.changeRequests[data.id];
  if (event.type === CATALYST_EVENT_TYPES.changeRequestOpened) {
    // Change requests live in their destination Environment's stream.
    if (event.data.destinationEnvironment !== state.environment) return unchanged(state, 'ignored');
  } else if (!existing) {
    // Approvals or outcomes of a change request this Environment never saw opened (or has already
    // forgotten) would only create an empty record.
    return unchanged(state, 'ignored');
  }
  let cr = existing ?? blankChangeRequest(data.id);
  let summary: string;
  let actor: string | null = null;
  switch (event.type) {
    case CATALYST_EVENT_TYPES.changeRequestOpened: {
      const d = event.data;
      cr = fill(cr, {
        application: d.application,
        sourceEnvironment: d.sourceEnvironment,
        author: d.author,
        title: d.title,
        blueprint: d.blueprint,
        version: d.version,
        valuesDigest: d.valuesDigest,
        touchesPolicies: d.touchesPolicies,
        openedAt: event.time,
      });
      actor = d.author;
      summary = `change request ${d.id} opened${d.version ? ` for ${d.version}` : ''}`;
      break;
    }
    case CATALYST_EVENT_TYPES.changeRequestApproved: {
      const d = event.data;
      const others = cr.approvals.filter(a => a.user !== d.approver);
      const previous = cr.approvals.find(a => a.user === d.approver);
      // The latest approval per user counts (re-approvals after a revision).
      const latest =
        previous && (parseInstant(previous.at) ?? 0) >= (parseInstant(event.time) ?? 0)
          ? previous
          : { user: d.approver, teams: [...(d.teams ?? [])].sort(), at: event.time };
      cr = { ...cr, approvals: [...others, latest].sort((a, b) => (a.user < b.user ? -1 : 1)) };
      actor = d.approver;
      summary = `change request ${d.id} approved by ${d.approver}`;
      break;
    }
    case CATALYST_EVENT_TYPES.changeRequestMerged: {
      const d = event.data;
      cr = fill(cr, { status: 'merged', closedAt: event.time, mergeCommit: d.commit });
      actor = d.by ?? null;
      summary = `change request ${d.id} merged`;
      break;
    }
    case CATALYST_EVENT_TYPES.changeRequestUpdated: {
      const d = event.data;
      // The latest word on conflict and revision; a closed request keeps what it closed with.
      if (cr.status === 'open') {
        cr = { ...cr, conflicted: d.conflicted, revisedAt: d.revisedAt ?? cr.revisedAt };
        if (d.mergeable !== undefined) cr = { ...cr, mergeable: d.mergeable };
      }
      actor = d.by ?? null;
      summary = changeRequestUpdateSummary(d);
      break;
    }
    default: {
      const d = event.data as CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.changeRequestClosed];
      cr = fill(cr, { status: 'closed', closedAt: event.time, closedAs: d.outcome ?? null });
      actor = d.by ?? null;
      summary = `change request ${d.id} ${d.outcome ?? 'closed'}${d.reason ? `: ${d.reason}` : ''}`;
    }
  }
  let next = state;
  if (!existing || !deepEqual(existing, cr)) {
    next = { ...state, changeRequests: capClosedChangeRequests(withEntry(state.changeRequests, cr.id, cr)) };
  }
  if (cr.application) {
    next = withActivity(next, cr.application, { id: event.id, type: event.type, time: event.time, summary, actor });
  }
  if (next === state) return unchanged(state);
  const affected = [cr.application, existing?.application].filter((a): a is string => !!a);
  return { state: next, outcome: 'applied', affected };
}

function applyEnvironmentCreated(
  state: EnvironmentState,
  event: KnownCatalystEvent,
  data: CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.environmentCreated],
): Step {
  const next: EnvironmentState = {
    ...state,
    organization: state.organization ?? data.organization,
    envType: state.envType ?? data.envType,
    createdAt: state.createdAt ?? event.time,
  };
  const same =
    next.organization === state.organization && next.envType === state.envType && next.createdAt === state.createdAt;
  return same ? unchanged(state) : { state: next, outcome: 'applied', affected: [] };
}

// ---------------------------------------------------------------- Application views

function allApplicationNames(state: EnvironmentState): string[] {
  const names = new Set<string>([...Object.keys(state.applications), ...Object.keys(state.desired)]);
  for (const k of Object.values(state.kustomizations)) {
    const app = applicationOfKustomization(state, k);
    if (app) names.add(app);
  }
  for (const cr of Object.values(state.changeRequests)) if (cr.application) names.add(cr.application);
  return [...names];
}

function kustomizationOf(state: EnvironmentState, app: string): KustomizationSummary | null {
  const direct = state.kustomizations[app];
  if (direct && applicationOfKustomization(state, direct) === app) return direct;
  return Object.values(state.kustomizations).find(k => applicationOfKustomization(state, k) === app) ?? null;
}

function openChangeRequestsOf(state: EnvironmentState, app: string): ChangeRequestSummary[] {
  return Object.values(state.changeRequests)
    .filter(cr => cr.application === app && cr.status === 'open')
    .sort((a, b) => (parseInstant(a.openedAt) ?? 0) - (parseInstant(b.openedAt) ?? 0) || (a.id < b.id ? -1 : 1));
}

function compareStrings(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function byName<T extends { name: string }>(items: Record<string, T>): T[] {
  return Object.values(items).sort((a, b) => compareStrings(a.name, b.name));
}

function buildView(state: EnvironmentState, app: string): Omit<ApplicationView, 'runningSince'> | null {
  const desired = state.desired[app] ?? null;
  const k = kustomizationOf(state, app);
  const ns = state.namespaces[app];
  const helm = state.helmReleases[`${app}/${app}`] ?? Object.values(state.helmReleases).find(h => h.namespace === app);
  const open = openChangeRequestsOf(state, app);
  const present = (desired && !desired.removed) || k || helm || open.length > 0 || (desired && hasWorkloads(ns));
  if (!present) return null;
  const status = deriveApplicationStatus({
    name: app,
    desired: desired && {
      revision: desired.revision,
      blueprint: desired.blueprint,
      version: desired.version,
      previousVersion: desired.previousVersion,
      committedAt: desired.committedAt,
      removed: desired.removed,
    },
    kustomization: k && {
      generation: k.generation ?? undefined,
      observedGeneration: k.observedGeneration ?? undefined,
      suspend: k.suspend,
      ready: k.ready,
      lastAppliedRevision: k.lastAppliedRevision,
      lastAttemptedRevision: k.lastAttemptedRevision,
    },
    helmRelease: helm ? { suspend: helm.suspend, ready: helm.ready } : null,
    deployments: ns
      ? byName(ns.deployments).map(d => ({
          ...d,
          generation: d.generation ?? undefined,
          observedGeneration: d.observedGeneration ?? undefined,
        }))
      : [],
    pods: ns ? byName(ns.pods) : [],
    openChangeRequest: open[0] ? { id: open[0].id, version: open[0].version } : null,
    paused: desired?.paused ?? false,
    knownRevisions: state.revisions,
  });
  return {
    name: app,
    ...status,
    blueprint: desired?.blueprint ?? k?.blueprint ?? null,
    desired,
    appliedRevision: k?.lastAppliedRevision ?? null,
    dependsOn: k?.dependsOn ?? [],
    openChangeRequests: open.map(cr => cr.id),
  };
}

/** Derives the affected Applications again; unchanged views keep their identity (no KV write). */
function recompute(state: EnvironmentState, apps: Iterable<string>, observedAt: string): EnvironmentState {
  // One copy of each map per event, however many Applications change (a commit re-derives them all).
  let applications: Record<string, ApplicationView> | null = null;
  let desired: Record<string, DesiredApplicationRecord> | null = null;
  for (const app of new Set(apps)) {
    const view = buildView(state, app);
    if (!view) {
      if (app in state.applications) {
        applications ??= { ...state.applications };
        delete applications[app];
      }
      // A removed Application whose objects are all gone is forgotten entirely.
      if (app in state.desired) {
        desired ??= { ...state.desired };
        delete desired[app];
      }
      continue;
    }
    const previous = state.applications[app];
    const healthy =
      (view.status === 'Running' || view.status === 'Pending approval') && !!view.desired && !view.desired.removed;
    const sameRevision = previous?.desired?.revision === view.desired?.revision;
    const runningSince = healthy ? (sameRevision && previous?.runningSince) || observedAt : null;
    const next: ApplicationView = { ...view, runningSince };
    if (!previous || !deepEqual(previous, next)) {
      applications ??= { ...state.applications };
      applications[app] = next;
    }
  }
  if (!applications && !desired) return state;
  return { ...state, applications: applications ?? state.applications, desired: desired ?? state.desired };
}

// ---------------------------------------------------------------- the reducer

/**
 * Organization and env type for an Environment whose name did not give them (see
 * `createEnvironmentState`): every event carries `catalystorg`, and the env type is the rest of the
 * name after `<org>-`.
 */
function withIdentity(state: EnvironmentState, event: KnownCatalystEvent): EnvironmentState {
  if (state.organization !== null) return state;
  const organization = event.catalystorg;
  const prefix = `${organization}-`;
  const envType =
    state.envType ?? (state.environment.startsWith(prefix) ? state.environment.slice(prefix.length) || null : null);
  return { ...state, organization, envType };
}

function applyEvent(state: EnvironmentState, event: KnownCatalystEvent): Step {
  switch (event.type) {
    case CATALYST_EVENT_TYPES.k8sObjectUpserted:
      return applyK8s(state, event.data, false);
    case CATALYST_EVENT_TYPES.k8sObjectDeleted:
      return applyK8s(state, event.data, true);
    case CATALYST_EVENT_TYPES.fluxKustomizationStatus:
      return applyFlux(state, event, 'Kustomization', false);
    case CATALYST_EVENT_TYPES.fluxKustomizationDeleted:
      return applyFlux(state, event, 'Kustomization', true);
    case CATALYST_EVENT_TYPES.fluxHelmReleaseStatus:
      return applyFlux(state, event, 'HelmRelease', false);
    case CATALYST_EVENT_TYPES.fluxHelmReleaseDeleted:
      return applyFlux(state, event, 'HelmRelease', true);
    case CATALYST_EVENT_TYPES.fluxGitRepositoryStatus:
      return applyFlux(state, event, 'GitRepository', false);
    case CATALYST_EVENT_TYPES.fluxGitRepositoryDeleted:
      return applyFlux(state, event, 'GitRepository', true);
    case CATALYST_EVENT_TYPES.gitCommit:
      return applyGitCommit(state, event, event.data);
    case CATALYST_EVENT_TYPES.applicationInstalled:
    case CATALYST_EVENT_TYPES.applicationConfigured:
    case CATALYST_EVENT_TYPES.applicationUpgraded:
    case CATALYST_EVENT_TYPES.applicationUninstalled:
    case CATALYST_EVENT_TYPES.applicationRolledBack:
      return applyApplicationEvent(state, event, event.data);
    case CATALYST_EVENT_TYPES.changeRequestOpened:
    case CATALYST_EVENT_TYPES.changeRequestApproved:
    case CATALYST_EVENT_TYPES.changeRequestMerged:
    case CATALYST_EVENT_TYPES.changeRequestClosed:
    case CATALYST_EVENT_TYPES.changeRequestUpdated:
      return applyChangeRequest(state, event);
    case CATALYST_EVENT_TYPES.environmentCreated:
      return applyEnvironmentCreated(state, event, event.data);
    default:
      return unchanged(state, 'ignored');
  }
}

/**
 * Folds one event (at stream sequence `seq`) into the read model. Pure and total. Idempotent by
 * sequence: `seq <= state.lastSequence` is a no-op. Order-safe for Kubernetes and Flux objects (the
 * newest resourceVersion wins; deletions leave markers so a stale update cannot resurrect an object)
 * and for duplicates of every event type (commits by sha, activity by event id, change requests by
 * monotonic status). Application statuses are derived again for the Applications an event touches.
 *
 * Unchanged parts of the state stay the same objects, so the KV entries that differ between any two
 * states — one event or a whole batch apart — come from {@link diffKvEntries} by reference.
 *
 * @public
 */
export function foldEvent(state: EnvironmentState, event: unknown, seq: number): FoldResult {
  if (!Number.isSafeInteger(seq) || seq <= 0) {
    return {
      state,
      outcome: 'rejected',
      issues: [{ code: 'invalid-sequence', path: '', message: `stream sequence ${seq} is not a positive integer` }],
    };
  }
  if (seq <= state.lastSequence) return { state, outcome: 'duplicate', issues: [] };

  let next = state;
  let outcome: ProjectionOutcome;
  let issues: CatalystIssue[] = [];
  const validation = validateEvent(event);
  if (!validation.ok) {
    outcome = 'rejected';
    issues = validation.issues;
  } else if (validation.event.catalystenv !== state.environment || !validation.known) {
    outcome = 'ignored';
  } else {
    const known = withIdentity(state, validation.event);
    const step = applyEvent(known, validation.event);
    next = recompute(step.state, step.affected, canonicalTime(validation.event.time));
    outcome = known !== state && step.outcome === 'unchanged' ? 'applied' : step.outcome;
  }
  return { state: { ...next, lastSequence: seq }, outcome, issues };
}

/**
 * {@link foldEvent} plus the KV entries that one event changed (what a projector writing after
 * every event needs; one writing batches diffs once per batch instead).
 *
 * @public
 */
export function projectWithChanges(state: EnvironmentState, event: unknown, seq: number): ProjectionResult {
  const folded = foldEvent(state, event, seq);
  const changes: ProjectionChanges =
    folded.state === state ? { put: {}, delete: [] } : diffKvEntries(state, folded.state);
  return { ...folded, changes };
}

/**
 * {@link foldEvent} without the bookkeeping: `(state, event, seq) → state`.
 *
 * @public
 */
export function project(state: EnvironmentState, event: unknown, seq: number): EnvironmentState {
  return foldEvent(state, event, seq).state;
}

/**
 * The event time in canonical form. Events arrive in runs with one time (a publisher's batch, a
 * commit's fan-out), so the last conversion is kept: it saves a regex test and two Date
 * conversions per event on the projector's hot path.
 */
let lastTime: { text: unknown; canonical: string } = { text: undefined, canonical: formatInstant(0) };
function canonicalTime(text: unknown): string {
  if (text !== lastTime.text) lastTime = { text, canonical: formatInstant(parseInstant(text) ?? 0) };
  return lastTime.canonical;
}
