import {
  CATALYST_EVENT_TYPES,
  CATALYST_TRAILERS,
  ChangeRequestTimelineEntry,
  parseTrailers,
} from '@internal/plugin-catalyst-common';
import { noteForAudit } from '../audit/CatalystAudit';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { GitRepository } from '../git/GitRepository';
import { readEnvironmentState } from '../provisioning/environmentState';
import { prepareIntent } from '../provisioning/intents';
import type { PreparedChange } from '../provisioning/prepareChanges';
import { publishChangeEvents } from '../provisioning/publishChange';
import type { ChangeRequestRecord } from './ChangeRequestStore';
import { ChangeRequestDeps, crId, dropBranch, publishEvent } from './changeRequestContext';
import { renderChange } from './renderedDiff';

/** How many times the record is retried after its merge commit landed (each failure is somebody else's write). */
const RECORD_ATTEMPTS = 10;

/** A merge commit on main, and what is known of how it got there. */
export interface MergeOnMain {
  sha: string;
  /** Who clicked Merge (absent: merged automatically, or found on main with nobody to name). */
  by?: { userRef: string; displayName: string };
  breakGlass?: { reason: string };
  /** The change as it was computed for the commit; absent when found on main (computed again then). */
  prepared?: PreparedChange;
  /** Whether the commit changed files (known when this replica wrote it). */
  changed?: boolean;
  /** Found on main rather than written by this call: the record had not followed its commit. */
  recovered?: boolean;
}

/** The merge commit of a change request on main, when there is one (recent history). */
export async function mergeCommitOf(
  repo: GitRepository,
  head: string | null,
  id: string,
): Promise<{ sha: string; message: string; parents: string[] } | undefined> {
  if (!head) return undefined;
  for (const entry of await repo.log(head, { depth: 200 })) {
    const trailers = parseTrailers(entry.message);
    // the merge commit, not the branch commit (reachable through its second parent)
    if (trailers[CATALYST_TRAILERS.changeRequest] === id && entry.parents.length > 1) {
      return { sha: entry.sha, message: entry.message, parents: entry.parents };
    }
  }
  return undefined;
}

/**
 * A merge commit found on main whose record did not follow (a crash between the two, another
 * replica merging right now): who broke glass, or who clicked Merge, is in its trailers, so the
 * record can say it (Catalyst wrote them: the Git surface refuses pushed commits that carry them).
 */
export function mergeFoundOnMain(commit: { sha: string; message: string }): MergeOnMain {
  const trailers = parseTrailers(commit.message);
  const glass = trailers[CATALYST_TRAILERS.breakGlass];
  const clicked = trailers[CATALYST_TRAILERS.mergedBy];
  // `<user ref>: <reason>` (user refs hold `:` but never `: `)
  const split = glass?.indexOf(': ') ?? -1;
  if (!glass || split < 0) {
    return { sha: commit.sha, recovered: true, ...(clicked ? { by: { userRef: clicked, displayName: clicked } } : {}) };
  }
  const userRef = glass.slice(0, split);
  return {
    sha: commit.sha,
    by: { userRef, displayName: userRef },
    breakGlass: { reason: glass.slice(split + 2) },
    recovered: true,
  };
}

/**
 * The record follows a merge commit on main, and whoever records it tells everyone: the audit, the
 * domain events, the author, the security officers after a break-glass. A concurrent recorder (a
 * merge click, another replica's sweep) that wins the compare-and-set does all that instead, so it
 * happens once. False when this call did not record it.
 */
export async function recordMerged(
  deps: ChangeRequestDeps,
  cr: ChangeRequestRecord,
  env: EnvironmentRecord,
  repo: GitRepository,
  merge: MergeOnMain,
): Promise<boolean> {
  const { sha, by, breakGlass } = merge;
  const id = crId(cr.number);
  const now = deps.now();
  const at = now.toISOString();
  const timeline: ChangeRequestTimelineEntry[] = [];
  if (breakGlass && by) {
    timeline.push({
      at,
      actor: by.userRef,
      type: 'break-glass',
      message: `${by.displayName} broke glass: ${breakGlass.reason}`,
    });
  }
  let how = by ? ` by ${by.displayName}` : ' (every rule passed)';
  if (merge.recovered && !breakGlass) how = ' (found on main: its record had not followed the commit)';
  timeline.push({
    at,
    ...(by ? { actor: by.userRef } : {}),
    type: 'merged',
    message: `Merged as ${sha.slice(0, 7)}${how}`,
  });

  let recorded = false;
  for (let attempt = 0; attempt < RECORD_ATTEMPTS && !recorded; attempt++) {
    const current = await deps.store.get(cr.number);
    if (!current || current.state === 'merged') return false;
    recorded = await deps.store.update(
      current.number,
      current.version,
      {
        state: 'merged',
        mergeable: true,
        closure: {
          ...current.closure,
          merge: { commit: sha, at, ...(by ? { by: by.userRef } : {}) },
          ...(breakGlass && by ? { breakGlass: { by: by.userRef, at, reason: breakGlass.reason } } : {}),
        },
      },
      timeline,
      now,
    );
  }
  if (!recorded) {
    // the commit is on main; the next evaluation finds it there and records it (and tells everyone)
    deps.logger.warn(`Could not record the merge of ${id} (${sha}); the next evaluation will`, { changeRequest: id });
    return false;
  }

  noteForAudit({
    result: { changeRequest: id, merged: sha, ...(breakGlass ? { breakGlass: breakGlass.reason } : {}) },
  });
  deps.logger.info(`Merged change request ${id} into ${env.name} as ${sha}`, {
    environment: env.name,
    changeRequest: id,
    ...(breakGlass ? { breakGlass: breakGlass.reason } : {}),
  });
  await dropBranch(deps, cr);
  await publishEvent(deps, cr, CATALYST_EVENT_TYPES.changeRequestMerged, `merged.${sha}`, {
    id,
    commit: sha,
    ...(by ? { by: by.userRef } : {}),
  });
  const changes = merge.prepared ? merge : await preparedAgain(deps, cr, env, repo, sha);
  if (changes.prepared && changes.changed) {
    await publishChangeEvents(deps, env, sha, cr.author, changes.prepared, id);
  }
  await deps.notifier.merged(cr, sha, by?.userRef);
  if (breakGlass && by) await deps.notifier.brokeGlass(cr, by.userRef, breakGlass.reason);
  return true;
}

/**
 * The change a merge commit found on main made, computed again on its first parent (what the
 * merger computed it on), so its domain events are published as a merge's are; their ids name the
 * commit, so a replica that published them already is deduplicated by the stream.
 */
async function preparedAgain(
  deps: ChangeRequestDeps,
  cr: ChangeRequestRecord,
  env: EnvironmentRecord,
  repo: GitRepository,
  sha: string,
): Promise<{ prepared?: PreparedChange; changed?: boolean }> {
  try {
    const parent = (await repo.log(sha, { depth: 1 }))[0]?.parents[0];
    if (!parent) return {};
    const state = await readEnvironmentState(repo, parent);
    const prepared = await prepareIntent({ env, state, repo, catalog: deps.catalog() }, cr.intent);
    const files = await renderChange(repo, parent, prepared.changes);
    return { prepared, changed: files.length > 0 };
  } catch (error) {
    deps.logger.warn(`Could not compute the events of ${crId(cr.number)}'s merge ${sha}`, { error: String(error) });
    return {};
  }
}
