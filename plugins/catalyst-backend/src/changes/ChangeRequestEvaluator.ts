import { ConflictError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  CATALYST_TRAILERS,
  PolicyEvaluation,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import { noteForAudit } from '../audit/CatalystAudit';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { GitRepository } from '../git/GitRepository';
import { EnvironmentState, readEnvironmentState } from '../provisioning/environmentState';
import { prepareIntent } from '../provisioning/intents';
import type { PreparedChange } from '../provisioning/prepareChanges';
import { openEnvironmentRepo } from '../provisioning/repoReads';
import type { ChangeRequestRecord } from './ChangeRequestStore';
import { ChangeRequestDeps, crId, dropBranch, environmentOf, publishEvent, WAITING } from './changeRequestContext';
import { MergeOnMain, mergeCommitOf, mergeFoundOnMain, recordMerged } from './changeRequestMerges';
import { evaluateRequestPolicy } from './changeRequestPolicy';
import { renderChange, sameOutcome } from './renderedDiff';

/** A request whose branch was never written (its opener died) is cleaned up after this. */
const PENDING_GRACE_MS = 60_000;

/** Thrown inside a merge when the destination moved and the change no longer applies as approved. */
class ChangedUnderneath extends Error {}

/** What an evaluation decided, without its wording: each rule's status and whether it may merge. */
const outcomeOf = (e: PolicyEvaluation) =>
  JSON.stringify([e.mergeable, e.verdicts.map(v => [v.rule.kind, v.rule.index, v.status])]);

/**
 * Evaluation and merging, which need each other: an evaluation that finds every rule passing
 * merges, and a merge re-evaluates the requests still waiting in the Environment (main moved under
 * them). Both first check that the change still applies to main as approved, and mark the request
 * conflicted when it does not.
 */
export class ChangeRequestEvaluator {
  private constructor(private readonly deps: ChangeRequestDeps) {}

  static create(deps: ChangeRequestEvaluator['deps']): ChangeRequestEvaluator {
    return new ChangeRequestEvaluator(deps);
  }

  /**
   * Evaluates every waiting request (of one Environment, or all): the scheduled sweep that notices
   * soaks completing, windows opening and the destination moving; and cleans up requests whose
   * opener died before writing their branch.
   */
  async evaluateWaiting(environment?: string): Promise<void> {
    if (!environment) {
      for (const stale of await this.deps.store.listStalePending(this.deps.now(), PENDING_GRACE_MS)) {
        await dropBranch(this.deps, stale);
        await this.deps.store.deletePending(stale.number);
      }
    }
    for (const cr of await this.deps.store.listWaiting(environment)) {
      try {
        await this.evaluate(cr.number);
      } catch (error) {
        this.deps.logger.warn(`Could not evaluate ${crId(cr.number)} in ${cr.environment}`, { error: String(error) });
      }
    }
  }

  /**
   * Evaluates the requests waiting on a soak of `application` in `sourceEnvironment` when its status
   * there changed (the read side's status events), so a soak that completes or breaks is judged at
   * once instead of on the next sweep.
   */
  async reevaluateForSource(sourceEnvironment: string, application: string): Promise<void> {
    for (const cr of await this.deps.store.listWaiting()) {
      if (cr.state !== 'open' || cr.application !== application) continue;
      // never evaluated yet (its opener is on it): judged like the others, to be safe
      const soaksThere =
        !cr.evaluation ||
        cr.evaluation.verdicts.some(v => v.rule.kind === 'soak' && v.details.sourceEnvironment === sourceEnvironment);
      if (!soaksThere) continue;
      await this.evaluate(cr.number).catch(error =>
        this.deps.logger.warn(`Could not evaluate ${crId(cr.number)}`, { error: String(error) }),
      );
    }
  }

  /**
   * Evaluates one waiting request: first whether it still applies to main as it is (conflicted if
   * not), then the destination's policy on the facts (approvals, soak observations, the freeze, the
   * clock); merges when it may (`merge: false` only evaluates). Returns the request as it ended up.
   */
  async evaluate(
    number: number,
    options: { merge?: boolean; notifyApprovers?: boolean } = {},
  ): Promise<ChangeRequestRecord | undefined> {
    let cr = await this.deps.store.get(number);
    if (!cr || !WAITING.includes(cr.state)) return cr;
    const env = await environmentOf(this.deps, cr);
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    const now = this.deps.now();

    if (head !== cr.baseCommit) {
      // Its own merge commit moved main (the record did not follow: a crash between the two, another
      // replica recording it right now): a merge to record, not a conflict with itself.
      const mergeCommit = await mergeCommitOf(repo, head, crId(cr.number));
      if (mergeCommit) {
        if (await recordMerged(this.deps, cr, env, repo, mergeFoundOnMain(mergeCommit))) await this.evaluateOthers(cr);
        return this.deps.store.get(number);
      }
      const check = await this.stillApplies(env, state, repo, cr);
      if (!check.ok && cr.state === 'open') {
        await this.markConflicted(cr, check.reason);
        return this.deps.store.get(number);
      }
      if (check.ok && cr.state === 'conflicted') {
        // main moved back to something the change applies to as approved (a revert)
        const { conflict: _gone, ...closure } = cr.closure;
        if (await this.deps.store.update(cr.number, cr.version, { state: 'open', closure }, [], now)) {
          await publishEvent(this.deps, cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `clean.${head}`, {
            id: crId(cr.number),
            conflicted: false,
          });
        }
        cr = (await this.deps.store.get(number))!;
      }
    }
    if (cr.state === 'conflicted') return cr;

    const evaluation = await evaluateRequestPolicy(this.deps, cr, env, state, repo, head, now);
    const changed =
      !cr.evaluation ||
      JSON.stringify({ ...cr.evaluation, evaluatedAt: '' }) !== JSON.stringify({ ...evaluation, evaluatedAt: '' });
    if (changed) {
      const ok = await this.deps.store.update(
        cr.number,
        cr.version,
        { evaluation, mergeable: evaluation.mergeable },
        [],
        now,
      );
      // someone else changed it meanwhile (an approval, another replica's sweep): theirs is newer
      if (!ok) return this.deps.store.get(number);
      const before = cr.evaluation;
      // the version this update wrote (re-read below, the record may already have moved on)
      const written = cr.version + 1;
      cr = (await this.deps.store.get(number))!;
      // Open pages follow the read model: a verdict that flipped (a soak completed, a window opened,
      // a freeze) is news to them; a reason whose countdown moved is not.
      if (before && outcomeOf(before) !== outcomeOf(evaluation)) {
        await publishEvent(this.deps, cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `evaluated.v${written}`, {
          id: crId(cr.number),
          conflicted: false,
          mergeable: evaluation.mergeable,
        });
      }
    }
    if (options.notifyApprovers) {
      const missing = evaluation.verdicts.flatMap(v => v.details.missingTeams ?? []);
      await this.deps.notifier.approvalsNeeded(cr, [...new Set(missing)]);
    }
    if (options.merge !== false && evaluation.mergeable && cr.mergeMode === 'automatic') {
      await this.mergeNow(cr, undefined);
      return this.deps.store.get(number);
    }
    return cr;
  }

  /** Whether the intent computed on main as it is now leaves the files it was approved for. */
  private async stillApplies(
    env: EnvironmentRecord,
    state: EnvironmentState,
    repo: GitRepository,
    cr: ChangeRequestRecord,
  ): Promise<{ ok: true; prepared: PreparedChange } | { ok: false; reason: string }> {
    let prepared: PreparedChange;
    try {
      prepared = await prepareIntent({ env, state, repo, catalog: this.deps.catalog() }, cr.intent);
    } catch (error) {
      return { ok: false, reason: (error as Error).message };
    }
    const files = await renderChange(repo, state.head, prepared.changes);
    if (!sameOutcome(files, cr.files)) {
      const changedPaths = files
        .filter(f => cr.files.find(g => g.path === f.path)?.after !== f.after)
        .map(f => f.path)
        .concat(cr.files.filter(g => !files.some(f => f.path === g.path)).map(g => g.path));
      return {
        ok: false,
        reason: `${env.name}'s main changed what this change touches (${[...new Set(changedPaths)]
          .slice(0, 5)
          .join(', ')})`,
      };
    }
    return { ok: true, prepared };
  }

  private async markConflicted(cr: ChangeRequestRecord, reason: string) {
    const at = this.deps.now().toISOString();
    const ok = await this.deps.store.update(
      cr.number,
      cr.version,
      { state: 'conflicted', mergeable: false, closure: { ...cr.closure, conflict: { at, reason } } },
      [{ at, type: 'conflicted', message: `Conflicts with ${cr.environment}'s main: ${reason}` }],
    );
    if (!ok) return;
    this.deps.logger.info(`Change request ${crId(cr.number)} conflicts with ${cr.environment}: ${reason}`);
    await publishEvent(this.deps, cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `conflicted.${at}`, {
      id: crId(cr.number),
      conflicted: true,
    });
    await this.deps.notifier.conflicted(cr, reason);
  }

  /**
   * The merge commit on main (idempotent: a commit carrying this request's trailer already there
   * makes it a no-op), then the record. Computed again on main inside the writer, so a head that
   * moved meanwhile is either merged cleanly or turns the request conflicted.
   */
  async mergeNow(
    cr: ChangeRequestRecord,
    by: CatalystPrincipal | undefined,
    breakGlass?: { reason: string },
  ): Promise<void> {
    const env = await environmentOf(this.deps, cr);
    const { repo } = await openEnvironmentRepo(this.deps.repos, env.name);
    const id = crId(cr.number);
    const now = this.deps.now();
    const approvals = await this.deps.store.approvals(cr.number);
    // `found`: the merge commit was on main already (another click, another replica, a crash before the record)
    type Result = { found?: { sha: string; message: string }; prepared?: PreparedChange };
    let outcome;
    try {
      outcome = await this.deps.repos.writer.write<Result>(repo, 'main', async head => {
        const already = await mergeCommitOf(repo, head, id);
        if (already) return { noop: true, result: { found: already } };
        // What the evaluation saw may have changed since: a rejection, a supersede or a freeze that
        // landed in between stops the merge here, under the Environment's writer.
        const [current, freeze] = await Promise.all([
          this.deps.store.get(cr.number),
          this.deps.store.getFreeze(env.name),
        ]);
        if (!current || !WAITING.includes(current.state)) {
          throw Object.assign(
            new ConflictError(`Change request ${id} is ${current?.state ?? 'gone'} now; nothing merged`),
            {
              code: CATALYST_ERROR_CODES.conflict,
              environment: env.name,
            },
          );
        }
        if (freeze) {
          throw Object.assign(
            new ConflictError(`${env.name} was frozen meanwhile by ${freeze.by}: ${freeze.reason}; nothing merged`),
            { code: CATALYST_ERROR_CODES.conflict, environment: env.name },
          );
        }
        const state = await readEnvironmentState(repo, head);
        const check = await this.stillApplies(env, state, repo, cr);
        if (!check.ok) throw new ChangedUnderneath(check.reason);
        const counted = approvals.filter(a => Date.parse(a.at) >= Date.parse(cr.revisedAt));
        const body = [
          cr.files.length ? `Files: ${cr.files.map(f => f.path).join(', ')}` : undefined,
          counted.length ? `Approved by: ${counted.map(a => a.approver).join(', ')}` : undefined,
        ]
          .filter(Boolean)
          .join('\n');
        return {
          changes: check.prepared.changes,
          message: withTrailers(`Merge change request ${id}: ${cr.title}`, body, {
            [CATALYST_TRAILERS.action]: cr.action,
            [CATALYST_TRAILERS.actor]: cr.author,
            [CATALYST_TRAILERS.changeRequest]: id,
            [CATALYST_TRAILERS.breakGlass]: breakGlass ? `${by?.userRef}: ${breakGlass.reason}` : undefined,
            // so a recorder that finds this commit first (another replica's sweep) can name them
            [CATALYST_TRAILERS.mergedBy]: by?.userRef,
          }),
          author: { ...cr.authorIdentity, timestamp: Math.floor(now.getTime() / 1000) },
          committer: { ...this.deps.committer, timestamp: Math.floor(now.getTime() / 1000) },
          ...(cr.headCommit ? { mergeParents: [cr.headCommit] } : {}),
          result: { prepared: check.prepared },
        };
      });
    } catch (error) {
      if (error instanceof ChangedUnderneath) {
        await this.markConflicted(cr, error.message);
        throw Object.assign(new ConflictError(`Change request ${id} conflicts with ${env.name}: ${error.message}`), {
          code: CATALYST_ERROR_CODES.conflict,
          environment: env.name,
        });
      }
      throw error;
    }
    const merge: MergeOnMain = outcome.result.found
      ? mergeFoundOnMain(outcome.result.found)
      : {
          sha: outcome.commit!.sha,
          ...(by ? { by } : {}),
          ...(breakGlass ? { breakGlass } : {}),
          prepared: outcome.result.prepared,
          changed: outcome.commit!.changed,
        };
    if (await recordMerged(this.deps, cr, env, repo, merge)) await this.evaluateOthers(cr);
    // Recorded by a concurrent recorder: this request (a Merge click) still says what it merged.
    else
      noteForAudit({
        result: { changeRequest: id, merged: merge.sha, ...(breakGlass ? { breakGlass: breakGlass.reason } : {}) },
      });
  }

  /** The others waiting in the request's Environment after it merged: main moved under them. */
  private async evaluateOthers(cr: ChangeRequestRecord) {
    for (const other of await this.deps.store.listWaiting(cr.environment)) {
      if (other.number === cr.number) continue;
      await this.evaluate(other.number, { merge: false }).catch(error =>
        this.deps.logger.warn(`Could not evaluate ${crId(other.number)}`, { error: String(error) }),
      );
    }
  }
}
