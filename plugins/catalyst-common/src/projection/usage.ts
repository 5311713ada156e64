import type { BlueprintUsageEntry } from '../api/responses';
import { decodeSubjectToken, encodeSubjectToken } from '../events/subjects';
import { BLUEPRINT_SOURCES, BlueprintSource } from '../kinds/application';
import type { ApplicationStatusView } from '../status/deriveApplicationStatus';
import type { ApplicationView, EnvironmentState } from './state';
import { deepEqual } from './util';

/**
 * The Blueprint usage view: one record per Application that Git pins to a Blueprint, with its live
 * status — what the Blueprint page's "Applications using this Blueprint" table shows. Each
 * Environment's projector keeps its own Applications' records in one shared bucket, keyed
 * `<blueprint>.<environment>.<application>`, so a reader answers for a Blueprint from the records
 * of that Blueprint alone, however many Environments there are.
 */

/**
 * One Application in the usage view (the value of its usage key).
 *
 * @public
 */
export interface BlueprintUsageRecord {
  blueprint: string;
  environment: string;
  organization: string;
  application: string;
  /** The version Git pins. */
  version: string;
  source: BlueprintSource;
  overlay: string | null;
  live: ApplicationStatusView;
}

/**
 * Usage keys to write (with their records) and to delete.
 *
 * @public
 */
export interface BlueprintUsageChanges {
  put: Record<string, BlueprintUsageRecord>;
  delete: string[];
}

/**
 * `<blueprint>.<environment>.<application>`, each token encoded like the read model's keys, so a
 * watcher can take one Blueprint with `<blueprint>.>` or one Environment with `*.<environment>.*`.
 *
 * @public
 */
export function blueprintUsageKey(blueprint: string, environment: string, application: string): string {
  return [blueprint, environment, application].map(encodeSubjectToken).join('.');
}

/**
 * The parts of a usage key; null for anything else.
 *
 * @public
 */
export function parseBlueprintUsageKey(
  key: string,
): { blueprint: string; environment: string; application: string } | null {
  const tokens = key.split('.');
  if (tokens.length !== 3) return null;
  const [blueprint, environment, application] = tokens.map(decodeSubjectToken);
  if (!blueprint || !environment || !application) return null;
  return { blueprint, environment, application };
}

function isBlueprintSource(value: string | null): value is BlueprintSource {
  return (BLUEPRINT_SOURCES as readonly string[]).includes(value ?? '');
}

/**
 * An Application's usage record, or null while Git does not pin it whole (no commit seen, removed,
 * or an application.yaml without Blueprint, version or source).
 */
function recordOf(state: EnvironmentState, view: ApplicationView): BlueprintUsageRecord | null {
  const desired = view.desired;
  if (!desired || desired.removed || !state.organization) return null;
  if (!desired.blueprint || !desired.version || !isBlueprintSource(desired.source)) return null;
  return {
    blueprint: desired.blueprint,
    environment: state.environment,
    organization: state.organization,
    application: view.name,
    version: desired.version,
    source: desired.source,
    overlay: desired.overlay,
    live: {
      status: view.status,
      reason: view.reason,
      pods: view.pods,
      version: view.version,
      targetVersion: view.targetVersion,
    },
  };
}

/**
 * Every usage record of an Environment, by usage key (a bucket's first write, a rebuild, a
 * projector's start comparing the bucket with its state).
 *
 * @public
 */
export function blueprintUsageEntries(state: EnvironmentState): Record<string, BlueprintUsageRecord> {
  const out: Record<string, BlueprintUsageRecord> = {};
  for (const view of Object.values(state.applications)) {
    const record = recordOf(state, view);
    if (record) out[blueprintUsageKey(record.blueprint, record.environment, record.application)] = record;
  }
  return out;
}

/**
 * The usage records that differ between two states of one Environment. Like `diffKvEntries` it
 * compares Application views by reference (the reducer keeps unchanged ones identical), and it
 * writes a record only when what the usage table shows changed — not for every pod or activity
 * change that re-derives a view.
 *
 * @public
 */
export function diffBlueprintUsage(before: EnvironmentState, after: EnvironmentState): BlueprintUsageChanges {
  const put: Record<string, BlueprintUsageRecord> = {};
  const deleted = new Set<string>();
  const everything = before.organization !== after.organization || before.environment !== after.environment;
  if (!everything && before.applications === after.applications) return { put, delete: [] };
  const keyOf = (r: BlueprintUsageRecord) => blueprintUsageKey(r.blueprint, r.environment, r.application);
  const names = new Set([...Object.keys(before.applications), ...Object.keys(after.applications)]);
  for (const name of names) {
    const a = before.applications[name];
    const b = after.applications[name];
    if (a === b && !everything) continue;
    const was = a ? recordOf(before, a) : null;
    const now = b ? recordOf(after, b) : null;
    if (was && (!now || keyOf(was) !== keyOf(now))) deleted.add(keyOf(was));
    if (now && (!was || !deepEqual(was, now))) put[keyOf(now)] = now;
  }
  for (const key of Object.keys(put)) deleted.delete(key);
  return { put, delete: [...deleted].sort() };
}

/**
 * The items of `GET /blueprints/:name/applications` from usage records: only the given (readable)
 * Environments; with `organization`, only Applications of that Organization's own
 * (shared-blueprints) Blueprint; sorted by Environment, then Application.
 *
 * @public
 */
export function blueprintUsageItems(
  records: Iterable<BlueprintUsageRecord>,
  options: { environments: readonly string[]; organization?: string },
): BlueprintUsageEntry[] {
  const readable = new Set(options.environments);
  const { organization } = options;
  const items: BlueprintUsageEntry[] = [];
  for (const r of records) {
    if (!readable.has(r.environment)) continue;
    if (organization !== undefined && (r.source !== 'shared-blueprints' || r.organization !== organization)) continue;
    items.push({
      application: {
        name: r.application,
        environment: r.environment,
        organization: r.organization,
        version: r.version,
        source: r.source,
        ...(r.overlay ? { overlay: r.overlay } : {}),
      },
      live: {
        status: r.live.status,
        reason: r.live.reason,
        pods: { ready: r.live.pods.ready, total: r.live.pods.total },
        version: r.live.version,
        targetVersion: r.live.targetVersion,
      },
    });
  }
  return items.sort(
    (a, b) =>
      a.application.environment.localeCompare(b.application.environment) ||
      a.application.name.localeCompare(b.application.name),
  );
}
