import {
  ActivityEntry,
  ApplicationView,
  ChangeRequestSummary,
  CommitSummary,
  decodeSubjectToken,
  EnvironmentSummary,
  KV_KEYS,
} from '@internal/plugin-catalyst-common';

/**
 * What a page knows live about one Environment: the parts of its read model (the projector's KV
 * entries, see catalyst-common/src/projection/README.md) the UI renders. Immutable: every change
 * makes a new object, so React can compare by identity.
 */
export interface LiveEnvironment {
  environment: string;
  /** The stream delivered this Environment's snapshot; until then the maps are empty, not "no Applications". */
  ready: boolean;
  applications: Readonly<Record<string, ApplicationView>>;
  /** Per Application, newest first. */
  activity: Readonly<Record<string, ActivityEntry[]>>;
  changeRequests: Readonly<Record<string, ChangeRequestSummary>>;
  summary: EnvironmentSummary | null;
  commits: CommitSummary[];
  /** Why there is no live state (the server refused this Environment), if so. */
  error?: string;
}

/** KV entries to apply: keys with their new value, and removed keys. */
export interface LiveEntryChanges {
  put: Record<string, unknown>;
  delete: string[];
}

export function emptyLiveEnvironment(environment: string): LiveEnvironment {
  return { environment, ready: false, applications: {}, activity: {}, changeRequests: {}, summary: null, commits: [] };
}

type MapField = 'applications' | 'activity' | 'changeRequests';
const MAP_KINDS: Record<string, MapField> = {
  application: 'applications',
  activity: 'activity',
  changerequest: 'changeRequests',
};

/** `application.marketing-site` → the map it belongs to and the decoded name; other kinds are not rendered. */
function locate(key: string): { field: MapField; name: string } | undefined {
  const dot = key.indexOf('.');
  if (dot <= 0) return undefined;
  const field = MAP_KINDS[key.slice(0, dot)];
  if (!field) return undefined;
  const tokens = key
    .slice(dot + 1)
    .split('.')
    .map(decodeSubjectToken);
  if (tokens.some(t => t === null || t === '')) return undefined;
  return { field, name: tokens.join('/') };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Only values of the right shape get in: a malformed entry must not break every card of the page. */
function accepts(field: MapField, value: unknown): boolean {
  if (field === 'activity') return Array.isArray(value);
  if (!isObject(value)) return false;
  if (field === 'applications') return typeof value.status === 'string' && typeof value.name === 'string';
  return true;
}

/**
 * Applies KV changes. `replace` starts from nothing (a snapshot); otherwise the changes update the
 * current state. Returns the same object when nothing it renders changed.
 */
export function applyLiveEntries(
  current: LiveEnvironment,
  changes: LiveEntryChanges,
  replace = false,
): LiveEnvironment {
  const base = replace ? emptyLiveEnvironment(current.environment) : current;
  const next: LiveEnvironment = { ...base, ready: true };
  const copied = new Set<MapField>();
  const mutable = (field: MapField) => {
    if (!copied.has(field)) {
      (next as unknown as Record<MapField, Record<string, unknown>>)[field] = { ...base[field] };
      copied.add(field);
    }
    return next[field] as Record<string, unknown>;
  };
  let changed = replace || !current.ready;
  for (const key of changes.delete) {
    if (key === KV_KEYS.summary) {
      changed ||= next.summary !== null;
      next.summary = null;
    } else if (key === KV_KEYS.commits) {
      changed ||= next.commits.length > 0;
      next.commits = [];
    } else {
      const at = locate(key);
      if (at && at.name in next[at.field]) {
        delete mutable(at.field)[at.name];
        changed = true;
      }
    }
  }
  for (const [key, value] of Object.entries(changes.put)) {
    if (key === KV_KEYS.summary) {
      if (isObject(value)) {
        next.summary = value as unknown as EnvironmentSummary;
        changed = true;
      }
    } else if (key === KV_KEYS.commits) {
      if (Array.isArray(value)) {
        next.commits = value as CommitSummary[];
        changed = true;
      }
    } else {
      const at = locate(key);
      if (at && accepts(at.field, value)) {
        mutable(at.field)[at.name] = value;
        changed = true;
      }
    }
  }
  return changed ? next : current;
}
