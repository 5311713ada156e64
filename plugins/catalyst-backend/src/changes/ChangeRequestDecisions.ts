import { ConflictError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  CATALYST_TRAILERS,
  ChangeRequest,
  ChangeRequestTimelineEntry,
  EnvironmentFreezeState,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import { noteForAudit } from '../audit/CatalystAudit';
import { readEnvironmentState } from '../provisioning/environmentState';
import { prepareIntent } from '../provisioning/intents';
import type { PreparedChange } from '../provisioning/prepareChanges';
import { openEnvironmentRepo } from '../provisioning/repoReads';
import type { ChangeRequestEvaluator } from './ChangeRequestEvaluator';
import {
  breakGlassRefusal,
  BYPASSABLE,
  ChangeRequestDeps,
  closed,
  dropBranch,
  environmentOf,
  publishEvent,
  refused,
  WAITING,
} from './changeRequestContext';
import { detailOf, readableRequest } from './changeRequestViews';
import { pinOf, renderChange, sameOutcome } from './renderedDiff';

/**
 * What people decide about change requests: approve, reject (or withdraw), merge (breaking glass
 * where the rules allow), rebase, and freeze an Environment. Each checks the caller's permission,
 * records the decision with a compare-and-set on the record's version, and lets the evaluator
 * judge the request again.
 */
export class ChangeRequestDecisions {
  private constructor(private readonly deps: ChangeRequestDeps, private readonly evaluator: ChangeRequestEvaluator) {}

  static create(deps: ChangeRequestDeps, evaluator: ChangeRequestEvaluator): ChangeRequestDecisions {
    return new ChangeRequestDecisions(deps, evaluator);
  }

  async approve(principal: CatalystPrincipal, id: string, comment?: string): Promise<ChangeRequest> {
    let cr = await readableRequest(this.deps, principal, id);
    await this.deps.authorization.require(principal, 'approve', cr.organization, cr.environment);
    if (cr.author === principal.userRef) {
      throw refused('authors cannot approve their own change request', cr.environment);
    }
    // held org-admin (or sovereign-admin) in the request's Organization when approving
    const organization = cr.organization;
    const orgAdmin = principal.grants.some(
      g =>
        g.role === 'sovereign-admin' || (g.role === 'org-admin' && g.organization === organization && !g.environments),
    );
    const teams = principal.ownershipRefs.filter(r => r.startsWith('group:'));
    for (let attempt = 0; ; attempt++) {
      if (!WAITING.includes(cr.state)) throw closed(cr);
      const at = this.deps.now().toISOString();
      const ok = await this.deps.store.approve(
        cr.number,
        cr.version,
        {
          approver: principal.userRef,
          displayName: principal.displayName,
          teams,
          orgAdmin,
          ...(comment ? { comment } : {}),
          at,
        },
        {
          at,
          actor: principal.userRef,
          type: 'approved',
          message: `${principal.displayName} approved${comment ? `: ${comment}` : ''}`,
        },
      );
      if (ok) break;
      if (attempt >= 4) throw new ConflictError(`Change request ${id} keeps changing; try again`);
      cr = (await this.deps.store.get(cr.number))!;
    }
    noteForAudit({ result: { changeRequest: id } });
    await publishEvent(
      this.deps,
      cr,
      CATALYST_EVENT_TYPES.changeRequestApproved,
      `approved.${principal.userRef}.${Date.now()}`,
      {
        id,
        approver: principal.userRef,
        teams: principal.ownershipRefs.filter(r => r.startsWith('group:')),
      },
    );
    await this.evaluator.evaluate(cr.number);
    return detailOf(this.deps, principal, (await this.deps.store.get(cr.number))!);
  }

  async reject(principal: CatalystPrincipal, id: string, reason: string): Promise<ChangeRequest> {
    let cr = await readableRequest(this.deps, principal, id);
    if (cr.author !== principal.userRef) {
      await this.deps.authorization.require(principal, 'approve', cr.organization, cr.environment);
    }
    for (let attempt = 0; ; attempt++) {
      if (!WAITING.includes(cr.state)) throw closed(cr);
      const at = this.deps.now().toISOString();
      const ok = await this.deps.store.update(
        cr.number,
        cr.version,
        { state: 'rejected', closure: { ...cr.closure, rejection: { by: principal.userRef, at, reason } } },
        [
          {
            at,
            actor: principal.userRef,
            type: 'rejected',
            message: `${principal.displayName} ${
              cr.author === principal.userRef ? 'withdrew it' : 'rejected'
            }: ${reason}`,
          },
        ],
      );
      if (ok) break;
      if (attempt >= 4) throw new ConflictError(`Change request ${id} keeps changing; try again`);
      cr = (await this.deps.store.get(cr.number))!;
    }
    noteForAudit({ result: { changeRequest: id, state: 'rejected' } });
    await dropBranch(this.deps, cr);
    await publishEvent(this.deps, cr, CATALYST_EVENT_TYPES.changeRequestClosed, 'rejected', {
      id,
      by: principal.userRef,
      outcome: 'rejected',
      reason,
    });
    if (cr.author !== principal.userRef) await this.deps.notifier.rejected(cr, principal.userRef, reason);
    return detailOf(this.deps, principal, (await this.deps.store.get(cr.number))!);
  }

  /**
   * Merges at once for someone allowed to merge: every rule must pass — or, breaking glass, every
   * rule but soak and change windows (approvals, including an org-admin's for policy changes, are
   * never bypassed, nor is a freeze: it is lifted on the record first). The reason goes into the merge commit, the timeline, the audit
   * and a notification to the Organization's security officers.
   */
  async merge(principal: CatalystPrincipal, id: string, breakGlass?: { reason: string }): Promise<ChangeRequest> {
    const cr = await readableRequest(this.deps, principal, id);
    await this.deps.authorization.require(principal, 'merge', cr.organization, cr.environment);
    if (!WAITING.includes(cr.state)) throw closed(cr);
    const evaluated = (await this.evaluator.evaluate(cr.number, { merge: false })) ?? cr;
    if (!WAITING.includes(evaluated.state)) {
      if (evaluated.state === 'merged') return detailOf(this.deps, principal, evaluated);
      throw closed(evaluated);
    }
    if (evaluated.state === 'conflicted') {
      throw Object.assign(
        new ConflictError(
          `Change request ${id} conflicts with ${cr.environment}: ${evaluated.closure.conflict?.reason}`,
        ),
        { code: CATALYST_ERROR_CODES.conflict, environment: cr.environment },
      );
    }
    const failing = (evaluated.evaluation?.verdicts ?? []).filter(v => v.status !== 'pass');
    const blocking = breakGlass ? failing.filter(v => !BYPASSABLE.has(v.rule.kind)) : failing;
    if (blocking.length) {
      throw Object.assign(
        new ConflictError(
          breakGlass
            ? `Change request ${id} cannot merge by breaking glass: ${breakGlassRefusal(cr.environment, blocking)} ` +
              '(breaking glass bypasses soak and change windows, never approvals or a freeze)'
            : `Change request ${id} cannot merge yet: ${blocking.map(v => v.reason).join('; ')}`,
        ),
        {
          code: CATALYST_ERROR_CODES.governedEnvironment,
          environment: cr.environment,
          issues: blocking.map(v => ({ code: v.code, path: v.rule.kind, message: v.reason })),
        },
      );
    }
    if (breakGlass && failing.length === 0) {
      throw Object.assign(new ConflictError(`Every rule of ${id} passes: merge it without breaking glass`), {
        code: CATALYST_ERROR_CODES.conflict,
        environment: cr.environment,
      });
    }
    await this.evaluator.mergeNow(evaluated, principal, breakGlass);
    return detailOf(this.deps, principal, (await this.deps.store.get(cr.number))!);
  }

  /**
   * Computes the change again on the destination's main and moves the branch there. Approvals
   * given before stay counted only when the rendered diff is the same.
   */
  async rebase(principal: CatalystPrincipal, id: string): Promise<ChangeRequest> {
    const cr = await readableRequest(this.deps, principal, id);
    if (cr.author !== principal.userRef) {
      await this.deps.authorization.require(principal, 'promote', cr.organization, cr.environment);
    }
    if (!WAITING.includes(cr.state)) throw closed(cr);
    const env = await environmentOf(this.deps, cr);
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    let prepared: PreparedChange;
    try {
      prepared = await prepareIntent({ env, state, repo, catalog: this.deps.catalog() }, cr.intent);
    } catch (error) {
      throw Object.assign(
        new ConflictError(`Change request ${id} no longer applies to ${env.name}: ${(error as Error).message}`),
        { code: CATALYST_ERROR_CODES.conflict, environment: env.name },
      );
    }
    const files = await renderChange(repo, head, prepared.changes);
    const now = this.deps.now();
    const sha = (
      await repo.commit({
        branch: cr.branch,
        parent: head!,
        expectedHead: cr.headCommit ?? null,
        changes: prepared.changes,
        allowEmpty: true,
        message: withTrailers(prepared.subject, prepared.body, {
          [CATALYST_TRAILERS.action]: prepared.action,
          [CATALYST_TRAILERS.actor]: cr.author,
          [CATALYST_TRAILERS.changeRequest]: id,
        }),
        author: { ...cr.authorIdentity, timestamp: Math.floor(now.getTime() / 1000) },
        committer: { ...this.deps.committer, timestamp: Math.floor(now.getTime() / 1000) },
      })
    ).sha;
    const revised = !sameOutcome(files, cr.files);
    const at = now.toISOString();
    const timeline: ChangeRequestTimelineEntry[] = [
      {
        at,
        actor: principal.userRef,
        type: 'rebased',
        message: `${principal.displayName} rebased it on ${head!.slice(0, 7)}`,
      },
    ];
    if (revised) {
      timeline.push({
        at,
        type: 'revised',
        message: 'The rendered diff changed: approvals given before count no more',
      });
    }
    const { conflict: _resolved, ...closure } = cr.closure;
    const ok = await this.deps.store.update(
      cr.number,
      cr.version,
      {
        state: 'open',
        baseCommit: head!,
        headCommit: sha,
        files,
        pin: await pinOf(repo, head!, files, cr.application),
        closure,
        ...(revised ? { revisedAt: at } : {}),
      },
      timeline,
      now,
    );
    if (!ok) throw new ConflictError(`Change request ${id} changed while rebasing; try again`);
    noteForAudit({ result: { changeRequest: id, commit: sha, approvalsReset: revised } });
    await publishEvent(this.deps, cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `rebased.${sha}`, {
      id,
      conflicted: false,
      ...(revised ? { revisedAt: at } : {}),
      by: principal.userRef,
    });
    await this.evaluator.evaluate(cr.number, { notifyApprovers: revised });
    return detailOf(this.deps, principal, (await this.deps.store.get(cr.number))!);
  }

  // ------------------------------------------------------------------ freezes

  async getFreeze(principal: CatalystPrincipal, environment: string): Promise<EnvironmentFreezeState> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    return this.freezeState(env.name);
  }

  async freeze(principal: CatalystPrincipal, environment: string, reason: string): Promise<EnvironmentFreezeState> {
    const env = await this.deps.authorization.environment(principal, environment, 'freeze');
    await this.deps.store.setFreeze(env.name, { reason, by: principal.userRef, since: this.deps.now().toISOString() });
    this.deps.logger.info(`${env.name} frozen by ${principal.userRef}: ${reason}`, { environment: env.name });
    noteForAudit({ result: { frozen: true } });
    await this.evaluator.evaluateWaiting(env.name);
    return this.freezeState(env.name);
  }

  async liftFreeze(principal: CatalystPrincipal, environment: string): Promise<EnvironmentFreezeState> {
    const env = await this.deps.authorization.environment(principal, environment, 'freeze');
    const lifted = await this.deps.store.liftFreeze(env.name);
    if (lifted)
      this.deps.logger.info(`Freeze of ${env.name} lifted by ${principal.userRef}`, { environment: env.name });
    noteForAudit({ result: { frozen: false, lifted } });
    await this.evaluator.evaluateWaiting(env.name);
    return this.freezeState(env.name);
  }

  async freezeState(environment: string): Promise<EnvironmentFreezeState> {
    const freeze = await this.deps.store.getFreeze(environment);
    return freeze ? { environment, frozen: true, ...freeze } : { environment, frozen: false };
  }
}
