import { decodeSubjectToken, encodeSubjectToken } from '../events/subjects';
import { CatalystIssue } from '../issues';
import { APPLICATION_STATUSES, ApplicationStatus } from '../status/deriveApplicationStatus';
import { CommitSummary, createEnvironmentState, EnvironmentState } from './state';
import { deepEqual } from './util';

/**
 * KV writes for one folded event: entries to put (with CAS on their last revision) and keys to delete.
 *
 * @public
 */
export interface ProjectionChanges {
  put: Record<string, unknown>;
  delete: string[];
}

/**
 * The `environment.summary` entry: what an Environment page needs before it opens any card.
 *
 * @public
 */
export interface EnvironmentSummary {
  environment: string;
  organization: string | null;
  envType: string | null;
  createdAt: string | null;
  applications: { total: number; byStatus: Record<ApplicationStatus, number> };
  source: { name: string; revision: string | null; ready: 'True' | 'False' | 'Unknown' | null } | null;
  lastCommit: CommitSummary | null;
  openChangeRequests: number;
}

/**
 * Fixed keys of the `ws-<env>-state` bucket. Per-object keys are `<kind>.<name>` (see README).
 *
 * @public
 */
export const KV_KEYS = {
  summary: 'environment.summary',
  commits: 'commits.recent',
  cursor: 'projector.cursor',
  revisions: 'projector.revisions',
} as const;

type SectionField =
  | 'applications'
  | 'namespaces'
  | 'kustomizations'
  | 'helmReleases'
  | 'gitRepositories'
  | 'activity'
  | 'changeRequests'
  | 'tombstones';

/** State maps that become one KV entry per member, and the `<kind>` of their keys. */
const SECTIONS: ReadonlyArray<{ field: SectionField; kind: string }> = [
  { field: 'applications', kind: 'application' },
  { field: 'namespaces', kind: 'namespace' },
  { field: 'kustomizations', kind: 'kustomization' },
  { field: 'helmReleases', kind: 'helmrelease' },
  { field: 'gitRepositories', kind: 'gitrepository' },
  { field: 'activity', kind: 'activity' },
  { field: 'changeRequests', kind: 'changerequest' },
  { field: 'tombstones', kind: 'tombstones' },
];

/**
 * `<kind>.<name>`; a `/` in a state key (`<namespace>/<name>`) becomes a token boundary and every
 * token is encoded, so any name is a valid KV key and a watcher can filter `<kind>.>`.
 *
 * @public
 */
export function kvKey(kind: string, name: string): string {
  return `${kind}.${name.split('/').map(encodeSubjectToken).join('.')}`;
}

function parseKvKey(key: string): { kind: string; name: string } | null {
  const [kind, ...tokens] = key.split('.');
  if (!kind || tokens.length === 0) return null;
  const decoded = tokens.map(decodeSubjectToken);
  if (decoded.some(t => t === null || t === '')) return null;
  return { kind, name: decoded.join('/') };
}

// States are never mutated, so a summary computed for one (as the "after" of an event) can be
// reused when it is the "before" of the next.
const summaries = new WeakMap<EnvironmentState, EnvironmentSummary>();

/**
 * The `environment.summary` value of a state.
 *
 * @public
 */
export function environmentSummary(state: EnvironmentState): EnvironmentSummary {
  const cached = summaries.get(state);
  if (cached) return cached;
  const summary = computeSummary(state);
  summaries.set(state, summary);
  return summary;
}

function computeSummary(state: EnvironmentState): EnvironmentSummary {
  const byStatus = Object.fromEntries(APPLICATION_STATUSES.map(s => [s, 0])) as Record<ApplicationStatus, number>;
  const apps = Object.values(state.applications);
  for (const app of apps) byStatus[app.status] += 1;
  const repos = Object.values(state.gitRepositories).sort((a, b) => (a.name < b.name ? -1 : 1));
  const source = state.gitRepositories.environment ?? repos[0];
  return {
    environment: state.environment,
    organization: state.organization,
    envType: state.envType,
    createdAt: state.createdAt,
    applications: { total: apps.length, byStatus },
    source: source ? { name: source.name, revision: source.revision, ready: source.ready?.status ?? null } : null,
    lastCommit: state.commits[0] ?? null,
    openChangeRequests: Object.values(state.changeRequests).filter(cr => cr.status === 'open').length,
  };
}

/**
 * Every KV entry of a state (first write of a bucket, or a rebuild).
 *
 * @public
 */
export function toKvEntries(state: EnvironmentState): Record<string, unknown> {
  const out: Record<string, unknown> = {
    [KV_KEYS.summary]: environmentSummary(state),
    [KV_KEYS.commits]: state.commits,
    [KV_KEYS.cursor]: { lastSequence: state.lastSequence },
    [KV_KEYS.revisions]: state.revisions,
  };
  for (const { field, kind } of SECTIONS) {
    const section = state[field] as Record<string, unknown>;
    for (const name of Object.keys(section)) out[kvKey(kind, name)] = section[name];
  }
  return out;
}

function summaryInputsChanged(a: EnvironmentState, b: EnvironmentState): boolean {
  return (
    a.applications !== b.applications ||
    a.commits !== b.commits ||
    a.gitRepositories !== b.gitRepositories ||
    a.changeRequests !== b.changeRequests ||
    a.organization !== b.organization ||
    a.envType !== b.envType ||
    a.createdAt !== b.createdAt ||
    a.environment !== b.environment
  );
}

/**
 * The KV entries that differ between two states. The reducer keeps unchanged parts identical
 * (same object), so this compares references section by section rather than serialising.
 *
 * @public
 */
export function diffKvEntries(before: EnvironmentState, after: EnvironmentState): ProjectionChanges {
  const put: Record<string, unknown> = {};
  const deleted: string[] = [];
  if (before.lastSequence !== after.lastSequence) put[KV_KEYS.cursor] = { lastSequence: after.lastSequence };
  if (before.commits !== after.commits) put[KV_KEYS.commits] = after.commits;
  if (before.revisions !== after.revisions) put[KV_KEYS.revisions] = after.revisions;
  if (summaryInputsChanged(before, after)) {
    const summary = environmentSummary(after);
    if (!deepEqual(summary, environmentSummary(before))) put[KV_KEYS.summary] = summary;
  }
  for (const { field, kind } of SECTIONS) {
    const a = before[field] as Record<string, unknown>;
    const b = after[field] as Record<string, unknown>;
    if (a === b) continue;
    for (const name of Object.keys(b)) if (a[name] !== b[name]) put[kvKey(kind, name)] = b[name];
    for (const name of Object.keys(a)) if (!(name in b)) deleted.push(kvKey(kind, name));
  }
  return { put, delete: deleted.sort() };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Rebuilds a state from the bucket's entries (projector restart); the projector then resumes the
 * stream after `lastSequence`. Entries it does not recognise are reported and skipped.
 *
 * @public
 */
export function fromKvEntries(
  environment: string,
  entries: Record<string, unknown>,
): { state: EnvironmentState; issues: CatalystIssue[] } {
  const state = createEnvironmentState(environment);
  const issues: CatalystIssue[] = [];
  const skip = (key: string, why: string) => issues.push({ code: 'invalid-kv-entry', path: key, message: why });
  const sections = new Map(SECTIONS.map(s => [s.kind, s.field]));
  for (const [key, value] of Object.entries(entries)) {
    if (key === KV_KEYS.summary) {
      if (!isRecord(value)) skip(key, 'not an object');
      else {
        // A summary written before the name gave them holds nulls: keep what the name says.
        if (typeof value.organization === 'string') state.organization = value.organization;
        if (typeof value.envType === 'string') state.envType = value.envType;
        state.createdAt = typeof value.createdAt === 'string' ? value.createdAt : null;
      }
      continue;
    }
    if (key === KV_KEYS.cursor) {
      const seq = isRecord(value) ? value.lastSequence : undefined;
      if (typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0) state.lastSequence = seq;
      else skip(key, 'lastSequence is not a non-negative integer');
      continue;
    }
    if (key === KV_KEYS.commits || key === KV_KEYS.revisions) {
      if (!Array.isArray(value)) skip(key, 'not a list');
      else if (key === KV_KEYS.commits) state.commits = value as CommitSummary[];
      else state.revisions = value.filter((v): v is string => typeof v === 'string');
      continue;
    }
    const parsed = parseKvKey(key);
    const field = parsed && sections.get(parsed.kind);
    if (!parsed || !field) {
      skip(key, 'not a key of the Environment state');
      continue;
    }
    if (field === 'activity' ? !Array.isArray(value) : !isRecord(value)) {
      skip(key, 'value has the wrong shape');
      continue;
    }
    (state[field] as Record<string, unknown>)[parsed.name] = value;
  }
  for (const [name, view] of Object.entries(state.applications)) {
    if (!view.desired) continue;
    // Views written before the read model knew sources and overlays lack them.
    const desired = { ...view.desired, source: view.desired.source ?? null, overlay: view.desired.overlay ?? null };
    state.desired[name] = desired;
    if (desired.source !== view.desired.source || desired.overlay !== view.desired.overlay) {
      state.applications[name] = { ...view, desired };
    }
  }
  return { state, issues };
}
