import {
  ChangeRequest,
  ChangeRequestsQuery,
  ChangeRequestSummaryItem,
  ChangeResponse,
  EnvironmentFreezeState,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { ChangeIntent } from '../provisioning/intents';
import { ChangeRequestDecisions } from './ChangeRequestDecisions';
import { ChangeRequestEvaluator } from './ChangeRequestEvaluator';
import { ChangeRequestOpener } from './ChangeRequestOpener';
import type { ChangeRequestRecord } from './ChangeRequestStore';
import type { ChangeRequestDeps } from './changeRequestContext';
import { detailOf, readableRequest, summaryOf } from './changeRequestViews';

/**
 * Change requests: how changes reach a governed Environment (DESIGN §7). Every surface's write to
 * an Environment whose EnvironmentPolicy has rules comes here as an intent (ProvisioningService,
 * promotions, policy edits; Git pushes to other branches later): the change is computed exactly as
 * a commit would be, written to the branch `change-requests/cr-<n>` of the destination repo, and
 * recorded with its rendered diff. The destination's policy is evaluated by catalyst-common's pure
 * evaluator on every approval and on a schedule (soak completing, windows opening, a freeze lifted);
 * when every rule passes Catalyst merges it as a merge commit on main — or waits for a Merge click
 * where the policy says `merge: manual`.
 *
 * Nothing is merged that was not approved: at merge time the intent is computed again on main as
 * it is then, and a different outcome (somebody changed the same files, a dependency went) marks
 * the request conflicted instead; a rebase recomputes it, and resets approvals when the rendered
 * diff changed. Merging is idempotent (the merge commit carries `Catalyst-Change-Request`), so two
 * clicks or two replicas merge once.
 *
 * This class is the one surface the routers, GraphQL and ProvisioningService call; the work is in
 * `ChangeRequestOpener` (opening, replays, superseding), `ChangeRequestDecisions` (approve, reject,
 * merge, rebase, freezes) and `ChangeRequestEvaluator` (evaluation, conflicts, the merge commit),
 * over the shared pieces in `changeRequestContext.ts`, `changeRequestViews.ts` (what the API shows,
 * what the caller may do) and `changeRequestPolicy.ts` (the rules and the facts they are judged on).
 */
export class ChangeRequestService {
  private readonly evaluator: ChangeRequestEvaluator;
  private readonly opener: ChangeRequestOpener;
  private readonly decisions: ChangeRequestDecisions;

  private constructor(private readonly deps: ChangeRequestDeps) {
    this.evaluator = ChangeRequestEvaluator.create(deps);
    this.opener = ChangeRequestOpener.create(deps, this.evaluator);
    this.decisions = ChangeRequestDecisions.create(deps, this.evaluator);
  }

  static create(deps: ChangeRequestService['deps']): ChangeRequestService {
    return new ChangeRequestService(deps);
  }

  // ------------------------------------------------------------------ opening

  /**
   * Opens a change request for `intent` in `env` (the caller was authorized for the write by its
   * surface). With an idempotency key the author used before: that request, replayed. A change
   * that would leave every file as it is opens nothing.
   */
  open(
    env: EnvironmentRecord,
    principal: CatalystPrincipal,
    intent: ChangeIntent,
    idempotencyKey?: string,
  ): Promise<ChangeResponse> {
    return this.opener.open(env, principal, intent, idempotencyKey);
  }

  // ------------------------------------------------------------------ reading

  async list(principal: CatalystPrincipal, query: ChangeRequestsQuery): Promise<ChangeRequestSummaryItem[]> {
    const readable = await this.deps.authorization.readableEnvironments(principal);
    const environments = query.environment ? readable.filter(e => e === query.environment) : readable;
    const rows = await this.deps.store.list({
      environments,
      ...(query.state ? { states: [query.state] } : {}),
      ...(query.application ? { application: query.application } : {}),
      limit: query.limit ?? 100,
    });
    return rows.map(summaryOf);
  }

  async get(principal: CatalystPrincipal, id: string): Promise<ChangeRequest> {
    const cr = await readableRequest(this.deps, principal, id);
    return detailOf(this.deps, principal, cr);
  }

  /** Open (and conflicted) requests of an Environment: the Environment page's count. */
  countWaiting(environment: string): Promise<number> {
    return this.deps.store.countWaiting(environment);
  }

  // ------------------------------------------------------------------ decisions

  approve(principal: CatalystPrincipal, id: string, comment?: string): Promise<ChangeRequest> {
    return this.decisions.approve(principal, id, comment);
  }

  reject(principal: CatalystPrincipal, id: string, reason: string): Promise<ChangeRequest> {
    return this.decisions.reject(principal, id, reason);
  }

  /** Merges at once when every rule passes — or, breaking glass, every rule but soak and change windows. */
  merge(principal: CatalystPrincipal, id: string, breakGlass?: { reason: string }): Promise<ChangeRequest> {
    return this.decisions.merge(principal, id, breakGlass);
  }

  /** Computes the change again on main; approvals stay counted only when the rendered diff is the same. */
  rebase(principal: CatalystPrincipal, id: string): Promise<ChangeRequest> {
    return this.decisions.rebase(principal, id);
  }

  // ------------------------------------------------------------------ freezes

  getFreeze(principal: CatalystPrincipal, environment: string): Promise<EnvironmentFreezeState> {
    return this.decisions.getFreeze(principal, environment);
  }

  freeze(principal: CatalystPrincipal, environment: string, reason: string): Promise<EnvironmentFreezeState> {
    return this.decisions.freeze(principal, environment, reason);
  }

  liftFreeze(principal: CatalystPrincipal, environment: string): Promise<EnvironmentFreezeState> {
    return this.decisions.liftFreeze(principal, environment);
  }

  freezeState(environment: string): Promise<EnvironmentFreezeState> {
    return this.decisions.freezeState(environment);
  }

  // ------------------------------------------------------------------ evaluation and merging

  /** The scheduled sweep over waiting requests (of one Environment, or all); see the evaluator. */
  evaluateWaiting(environment?: string): Promise<void> {
    return this.evaluator.evaluateWaiting(environment);
  }

  /**
   * Judges again the waiting requests whose soak rule watches `application` in `sourceEnvironment`,
   * when the read side reports that its soak started, broke or moved to another revision. (A soak
   * that simply runs out its duration changes nothing there: the scheduled sweep notices that.)
   */
  reevaluateForSource(sourceEnvironment: string, application: string): Promise<void> {
    return this.evaluator.reevaluateForSource(sourceEnvironment, application);
  }

  /** Evaluates one waiting request and merges it when it may (`merge: false` only evaluates). */
  evaluate(
    number: number,
    options: { merge?: boolean; notifyApprovers?: boolean } = {},
  ): Promise<ChangeRequestRecord | undefined> {
    return this.evaluator.evaluate(number, options);
  }
}
