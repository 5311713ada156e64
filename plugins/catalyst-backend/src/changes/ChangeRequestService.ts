import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  CATALYST_TRAILERS,
  CHANGE_REQUEST_ID,
  ChangeRequest,
  ChangeRequestFile,
  ChangeRequestPermission,
  ChangeRequestsQuery,
  ChangeRequestSummaryItem,
  ChangeRequestTimelineEntry,
  ChangeResponse,
  createCatalystEvent,
  EnvironmentFreezeState,
  evaluatePolicy,
  parseTrailers,
  parseYaml,
  PolicyEvaluation,
  PolicyRuleRef,
  SoakObservation,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import { noteForAudit } from '../audit/CatalystAudit';
import type { DatabaseOrganizationStore, EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { GitIdentity, GitRepository } from '../git/GitRepository';
import { authorIdentity, toCommitRecord } from '../provisioning/commits';
import { EnvironmentState, POLICY_PATH, readEnvironmentState } from '../provisioning/environmentState';
import { applicationOfIntent, ChangeIntent, prepareIntent } from '../provisioning/intents';
import type { PreparedChange } from '../provisioning/prepareChanges';
import { publishChangeEvents } from '../provisioning/publishChange';
import { openEnvironmentRepo } from '../provisioning/repoReads';
import { applicationPinOf } from '../readside/publishers/gitCommitEvent';
import { ChangeRequestNotifier } from './ChangeRequestNotifier';
import { ChangePin, ChangeRequestRecord, ChangeRequestStore, StoredState } from './ChangeRequestStore';
import { renderChange, sameOutcome, touchesPolicies } from './renderedDiff';

const WAITING: readonly StoredState[] = ['open', 'conflicted'];
/** Rules an org-admin may bypass by breaking glass; never approvals (DESIGN §7, issue 13). */
const BYPASSABLE = new Set<PolicyRuleRef['kind']>(['soak', 'change-window', 'freeze']);
/** A request whose branch was never written (its opener died) is cleaned up after this. */
const PENDING_GRACE_MS = 60_000;

const crId = (n: number) => `cr-${n}`;

/** Thrown inside a merge when the destination moved and the change no longer applies as approved. */
class ChangedUnderneath extends Error {}

function notFound(id: string) {
  return Object.assign(new NotFoundError(`Change request ${id} does not exist`), {
    code: CATALYST_ERROR_CODES.notFound,
  });
}

function closed(cr: ChangeRequestRecord) {
  return Object.assign(new ConflictError(`Change request ${crId(cr.number)} is ${cr.state}`), {
    code: CATALYST_ERROR_CODES.conflict,
    environment: cr.environment,
  });
}

function refused(reason: string, environment: string) {
  return Object.assign(new NotAllowedError(reason), { code: CATALYST_ERROR_CODES.notAllowed, environment });
}

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
 */
export class ChangeRequestService {
  private constructor(
    private readonly deps: {
      store: ChangeRequestStore;
      registry: Pick<DatabaseOrganizationStore, 'getEnvironment'>;
      repos: EnvironmentRepositories;
      authorization: Authorization;
      catalog: () => BlueprintCatalog;
      publisher: CatalystEventPublisher;
      /** The soak observation of an Application in a source Environment (the read model). */
      soak: (environment: string, application: string) => Promise<SoakObservation | null>;
      notifier: ChangeRequestNotifier;
      /**
       * Who holds org-admin in an Organization (bindings, the newest sign-ins): a change to
       * `policies/` waits for one of them rather than failing for want of any. Their approval counts
       * when it was given as org-admin.
       */
      orgAdmins?: (organization: string) => Promise<string[]>;
      committer: GitIdentity;
      now: () => Date;
      logger: LoggerService;
    },
  ) {}

  static create(deps: ChangeRequestService['deps']): ChangeRequestService {
    return new ChangeRequestService(deps);
  }

  // ------------------------------------------------------------------ opening

  /**
   * Opens a change request for `intent` in `env` (the caller was authorized for the write by its
   * surface). With an idempotency key the author used before: that request, replayed. A change
   * that would leave every file as it is opens nothing.
   */
  async open(
    env: EnvironmentRecord,
    principal: CatalystPrincipal,
    intent: ChangeIntent,
    idempotencyKey?: string,
  ): Promise<ChangeResponse> {
    if (idempotencyKey) {
      const earlier = await this.deps.store.findByRequestKey(principal.userRef, idempotencyKey);
      if (earlier && earlier.state !== 'pending') return this.replayed(earlier);
    }
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    const prepared = await prepareIntent({ env, state, repo, catalog: this.deps.catalog() }, intent);
    const files = await renderChange(repo, head, prepared.changes);
    if (files.length === 0 || !head) {
      const entry = (await repo.log(head ?? 'main', { depth: 1 }))[0];
      return {
        action: prepared.action,
        environment: env.name,
        commit: toCommitRecord(entry),
        applications: [],
        replayed: false,
        changed: false,
      };
    }
    const application = applicationOfIntent(intent) ?? prepared.applications[0];
    const now = this.deps.now();
    const { created, record } = await this.deps.store.create(
      {
        environment: env.name,
        organization: env.organization,
        ...(application ? { application } : {}),
        action: prepared.action,
        title: prepared.subject,
        author: principal.userRef,
        authorIdentity: authorIdentity(principal),
        intent,
        ...(intent.kind === 'promote' ? { source: intent.source } : {}),
        pin: await pinOf(repo, head, files, application),
        touchesPolicies: touchesPolicies(files),
        branch: '',
        baseCommit: head,
        files,
        mergeMode: state.policyMerge ?? 'automatic',
        ...(idempotencyKey ? { requestKey: idempotencyKey } : {}),
        revisedAt: now.toISOString(),
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
      },
      { actor: principal.userRef, type: 'opened', message: `${principal.displayName} opened: ${prepared.subject}` },
    );
    if (!created) return this.replayed(record);
    let sha: string;
    try {
      sha = (
        await repo.commit({
          branch: record.branch,
          parent: head,
          expectedHead: null,
          changes: prepared.changes,
          message: withTrailers(prepared.subject, prepared.body, {
            [CATALYST_TRAILERS.action]: prepared.action,
            [CATALYST_TRAILERS.actor]: principal.userRef,
            [CATALYST_TRAILERS.changeRequest]: crId(record.number),
            [CATALYST_TRAILERS.request]: idempotencyKey,
          }),
          author: { ...record.authorIdentity, timestamp: Math.floor(now.getTime() / 1000) },
          committer: { ...this.deps.committer, timestamp: Math.floor(now.getTime() / 1000) },
        })
      ).sha;
    } catch (error) {
      await this.deps.store.deletePending(record.number);
      throw error;
    }
    await this.deps.store.update(record.number, record.version, { state: 'open', headCommit: sha }, [], now);
    noteForAudit({ result: { changeRequest: crId(record.number), branch: record.branch, commit: sha } });
    this.deps.logger.info(`Opened change request ${crId(record.number)} in ${env.name}: ${prepared.subject}`, {
      environment: env.name,
      changeRequest: crId(record.number),
      actor: principal.userRef,
    });
    const opened = (await this.deps.store.get(record.number))!;
    await this.publish(opened, CATALYST_EVENT_TYPES.changeRequestOpened, `${sha}`, {
      id: crId(opened.number),
      ...(opened.application ? { application: opened.application } : {}),
      destinationEnvironment: opened.environment,
      ...(opened.source ? { sourceEnvironment: opened.source.environment } : {}),
      author: opened.author,
      title: opened.title,
      ...(opened.pin.blueprint ? { blueprint: opened.pin.blueprint } : {}),
      ...(opened.pin.version ? { version: opened.pin.version } : {}),
      ...(opened.pin.valuesDigest ? { valuesDigest: opened.pin.valuesDigest } : {}),
      touchesPolicies: opened.touchesPolicies,
    });
    if (intent.kind === 'promote') await this.supersedeOlderPromotions(opened);
    const evaluated = await this.evaluate(opened.number, { notifyApprovers: true });
    const branchHead = (await repo.log(sha, { depth: 1 }))[0];
    return {
      action: prepared.action,
      environment: env.name,
      commit: toCommitRecord(branchHead),
      applications: prepared.applications,
      replayed: false,
      changed: true,
      ...(prepared.plan ? { plan: prepared.plan } : {}),
      changeRequest: {
        id: crId(opened.number),
        number: opened.number,
        state: publicState(evaluated?.state ?? 'open'),
        merged: evaluated?.state === 'merged',
      },
    };
  }

  private async replayed(cr: ChangeRequestRecord): Promise<ChangeResponse> {
    const { repo } = await openEnvironmentRepo(this.deps.repos, cr.environment);
    const sha = cr.headCommit ?? cr.baseCommit;
    const entry = (await repo.log(sha, { depth: 1 }))[0];
    return {
      action: cr.action,
      environment: cr.environment,
      commit: toCommitRecord(entry),
      applications: cr.application ? [cr.application] : [],
      replayed: true,
      changed: true,
      changeRequest: {
        id: crId(cr.number),
        number: cr.number,
        state: publicState(cr.state),
        merged: cr.state === 'merged',
      },
    };
  }

  /** A newer copy of the same Application from the same source replaces the older ones still waiting. */
  private async supersedeOlderPromotions(cr: ChangeRequestRecord) {
    const waiting = await this.deps.store.listWaiting(cr.environment);
    for (const older of waiting) {
      if (
        older.number >= cr.number ||
        older.action !== 'promote' ||
        older.application !== cr.application ||
        older.source?.environment !== cr.source?.environment
      ) {
        continue;
      }
      const at = this.deps.now().toISOString();
      const ok = await this.deps.store.update(
        older.number,
        older.version,
        { state: 'superseded', closure: { ...older.closure, supersededBy: crId(cr.number) } },
        [{ at, actor: cr.author, type: 'superseded', message: `Superseded by ${crId(cr.number)}` }],
      );
      if (!ok) continue;
      await this.dropBranch(older);
      await this.publish(older, CATALYST_EVENT_TYPES.changeRequestClosed, 'superseded', {
        id: crId(older.number),
        by: cr.author,
        outcome: 'superseded',
        reason: `superseded by ${crId(cr.number)}`,
      });
    }
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
    const cr = await this.readable(principal, id);
    return this.detail(principal, cr);
  }

  /** Open (and conflicted) requests of an Environment: the Environment page's count. */
  countWaiting(environment: string): Promise<number> {
    return this.deps.store.countWaiting(environment);
  }

  private async readable(principal: CatalystPrincipal, id: string): Promise<ChangeRequestRecord> {
    if (!CHANGE_REQUEST_ID.test(id)) throw notFound(id);
    const cr = await this.deps.store.get(Number(id.slice(3)));
    if (!cr || cr.state === 'pending') throw notFound(id);
    try {
      await this.deps.authorization.environment(principal, cr.environment, 'read');
    } catch {
      // the same answer as a request that does not exist: nothing leaks about other Organizations
      throw notFound(id);
    }
    noteForAudit({ environment: cr.environment, organization: cr.organization });
    return cr;
  }

  private async detail(principal: CatalystPrincipal, cr: ChangeRequestRecord): Promise<ChangeRequest> {
    const [approvals, timeline] = await Promise.all([
      this.deps.store.approvals(cr.number),
      this.deps.store.timeline(cr.number),
    ]);
    const revisedAt = Date.parse(cr.revisedAt);
    return {
      ...summaryOf(cr),
      branch: cr.branch,
      baseCommit: cr.baseCommit,
      headCommit: cr.headCommit ?? cr.baseCommit,
      files: cr.files,
      approvalsList: approvals.map(a => ({
        user: a.approver,
        ...(a.displayName ? { displayName: a.displayName } : {}),
        teams: a.teams,
        at: a.at,
        ...(a.comment ? { comment: a.comment } : {}),
        stale: Date.parse(a.at) < revisedAt,
      })),
      evaluation: cr.evaluation,
      mergeMode: cr.mergeMode,
      revisedAt: cr.revisedAt,
      ...(cr.closure.rejection ? { rejection: cr.closure.rejection } : {}),
      ...(cr.closure.merge ? { merge: cr.closure.merge } : {}),
      ...(cr.closure.breakGlass ? { breakGlass: cr.closure.breakGlass } : {}),
      ...(cr.closure.supersededBy ? { supersededBy: cr.closure.supersededBy } : {}),
      ...(cr.closure.conflict && cr.state === 'conflicted' ? { conflict: cr.closure.conflict } : {}),
      timeline,
      can: await this.permissionsOf(principal, cr),
    };
  }

  /** What the caller may do to the request now, with the reason when not (the UI shows it). */
  private async permissionsOf(principal: CatalystPrincipal, cr: ChangeRequestRecord): Promise<ChangeRequest['can']> {
    const scope = { organization: cr.organization, environment: cr.environment };
    const allowed = (action: 'approve' | 'merge' | 'promote') =>
      principal.service ? Promise.resolve(false) : this.deps.authorization.allowed(principal, action, scope);
    const [approve, merge, promote] = await Promise.all([allowed('approve'), allowed('merge'), allowed('promote')]);
    const no = (reason: string): ChangeRequestPermission => ({ allowed: false, reason });
    const yes: ChangeRequestPermission = { allowed: true };
    if (!WAITING.includes(cr.state)) {
      const why = no(`the change request is ${cr.state}`);
      return { approve: why, reject: why, merge: why, rebase: why, breakGlass: why };
    }
    const isAuthor = cr.author === principal.userRef;
    const failing = (cr.evaluation?.verdicts ?? []).filter(v => v.status !== 'pass');
    const hardFailing = failing.filter(v => !BYPASSABLE.has(v.rule.kind));
    const conflicted = cr.state === 'conflicted';
    // the first reason that applies, in order; `yes` when none does
    const firstOf = (...checks: Array<[boolean, string]>): ChangeRequestPermission => {
      const hit = checks.find(([applies]) => applies);
      return hit ? no(hit[1]) : yes;
    };
    const conflictReason = 'it conflicts with the Environment; rebase it first';
    return {
      approve: firstOf(
        [isAuthor, 'authors cannot approve their own change request'],
        [
          !approve,
          `approving in ${cr.environment} needs the approve permission (org-developer, security-officer or org-admin)`,
        ],
      ),
      reject: firstOf([!isAuthor && !approve, `rejecting in ${cr.environment} needs the approve permission`]),
      merge: firstOf(
        [!merge, `merging in ${cr.environment} needs an org-admin`],
        [conflicted, conflictReason],
        [failing.length > 0, `rules still failing: ${failing.map(v => v.reason).join('; ')}`],
      ),
      rebase: firstOf([!isAuthor && !promote, `rebasing in ${cr.environment} needs the promote permission`]),
      breakGlass: firstOf(
        [!merge, 'breaking glass needs an org-admin'],
        [conflicted, conflictReason],
        [hardFailing.length > 0, `approvals cannot be bypassed: ${hardFailing.map(v => v.reason).join('; ')}`],
        [failing.length === 0, 'every rule passes; merge it instead'],
      ),
    };
  }

  // ------------------------------------------------------------------ decisions

  async approve(principal: CatalystPrincipal, id: string, comment?: string): Promise<ChangeRequest> {
    let cr = await this.readable(principal, id);
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
    await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestApproved, `approved.${principal.userRef}.${Date.now()}`, {
      id,
      approver: principal.userRef,
      teams: principal.ownershipRefs.filter(r => r.startsWith('group:')),
    });
    await this.evaluate(cr.number);
    return this.detail(principal, (await this.deps.store.get(cr.number))!);
  }

  async reject(principal: CatalystPrincipal, id: string, reason: string): Promise<ChangeRequest> {
    let cr = await this.readable(principal, id);
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
    await this.dropBranch(cr);
    await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestClosed, 'rejected', {
      id,
      by: principal.userRef,
      outcome: 'rejected',
      reason,
    });
    if (cr.author !== principal.userRef) await this.deps.notifier.rejected(cr, principal.userRef, reason);
    return this.detail(principal, (await this.deps.store.get(cr.number))!);
  }

  /**
   * Merges at once for someone allowed to merge: every rule must pass — or, breaking glass, every
   * rule but soak, change windows and freezes (approvals, including an org-admin's for policy
   * changes, are never bypassed). The reason goes into the merge commit, the timeline, the audit
   * and a notification to the Organization's security officers.
   */
  async merge(principal: CatalystPrincipal, id: string, breakGlass?: { reason: string }): Promise<ChangeRequest> {
    const cr = await this.readable(principal, id);
    await this.deps.authorization.require(principal, 'merge', cr.organization, cr.environment);
    if (!WAITING.includes(cr.state)) throw closed(cr);
    const evaluated = (await this.evaluate(cr.number, { merge: false })) ?? cr;
    if (!WAITING.includes(evaluated.state)) {
      if (evaluated.state === 'merged') return this.detail(principal, evaluated);
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
          `Change request ${id} cannot merge yet: ${blocking.map(v => v.reason).join('; ')}${
            breakGlass ? ' (breaking glass bypasses soak, change windows and freezes, never approvals)' : ''
          }`,
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
    await this.mergeNow(evaluated, principal, breakGlass);
    return this.detail(principal, (await this.deps.store.get(cr.number))!);
  }

  /**
   * Computes the change again on the destination's main and moves the branch there. Approvals
   * given before stay counted only when the rendered diff is the same.
   */
  async rebase(principal: CatalystPrincipal, id: string): Promise<ChangeRequest> {
    const cr = await this.readable(principal, id);
    if (cr.author !== principal.userRef) {
      await this.deps.authorization.require(principal, 'promote', cr.organization, cr.environment);
    }
    if (!WAITING.includes(cr.state)) throw closed(cr);
    const env = await this.environmentOf(cr);
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
    await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `rebased.${sha}`, {
      id,
      conflicted: false,
      ...(revised ? { revisedAt: at } : {}),
      by: principal.userRef,
    });
    await this.evaluate(cr.number, { notifyApprovers: revised });
    return this.detail(principal, (await this.deps.store.get(cr.number))!);
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
    await this.evaluateWaiting(env.name);
    return this.freezeState(env.name);
  }

  async liftFreeze(principal: CatalystPrincipal, environment: string): Promise<EnvironmentFreezeState> {
    const env = await this.deps.authorization.environment(principal, environment, 'freeze');
    const lifted = await this.deps.store.liftFreeze(env.name);
    if (lifted)
      this.deps.logger.info(`Freeze of ${env.name} lifted by ${principal.userRef}`, { environment: env.name });
    noteForAudit({ result: { frozen: false, lifted } });
    await this.evaluateWaiting(env.name);
    return this.freezeState(env.name);
  }

  async freezeState(environment: string): Promise<EnvironmentFreezeState> {
    const freeze = await this.deps.store.getFreeze(environment);
    return freeze ? { environment, frozen: true, ...freeze } : { environment, frozen: false };
  }

  // ------------------------------------------------------------------ evaluation and merging

  /**
   * Evaluates every waiting request (of one Environment, or all): the scheduled sweep that notices
   * soaks completing, windows opening and the destination moving; and cleans up requests whose
   * opener died before writing their branch.
   */
  async evaluateWaiting(environment?: string): Promise<void> {
    if (!environment) {
      for (const stale of await this.deps.store.listStalePending(this.deps.now(), PENDING_GRACE_MS)) {
        await this.dropBranch(stale);
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
    const env = await this.environmentOf(cr);
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    const now = this.deps.now();

    if (head !== cr.baseCommit) {
      const check = await this.stillApplies(env, state, repo, cr);
      if (!check.ok && cr.state === 'open') {
        await this.markConflicted(cr, check.reason);
        return this.deps.store.get(number);
      }
      if (check.ok && cr.state === 'conflicted') {
        // main moved back to something the change applies to as approved (a revert)
        const { conflict: _gone, ...closure } = cr.closure;
        if (await this.deps.store.update(cr.number, cr.version, { state: 'open', closure }, [], now)) {
          await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `clean.${head}`, {
            id: crId(cr.number),
            conflicted: false,
          });
        }
        cr = (await this.deps.store.get(number))!;
      }
    }
    if (cr.state === 'conflicted') return cr;

    const evaluation = await this.evaluatePolicy(cr, env, state, repo, head, now);
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
      cr = (await this.deps.store.get(number))!;
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

  private async evaluatePolicy(
    cr: ChangeRequestRecord,
    env: EnvironmentRecord,
    state: EnvironmentState,
    repo: GitRepository,
    head: string | null,
    now: Date,
  ): Promise<PolicyEvaluation> {
    const rules = await policyRulesFor(cr, state, repo, head);
    const [approvals, freeze] = await Promise.all([
      this.deps.store.approvals(cr.number),
      this.deps.store.getFreeze(env.name),
    ]);
    const soak: Record<string, SoakObservation | null> = {};
    for (const rule of rules) {
      const source = (rule as { kind?: unknown; sourceEnvironment?: unknown }).sourceEnvironment;
      if ((rule as { kind?: unknown }).kind === 'soak' && typeof source === 'string' && cr.application) {
        soak[source] = await this.deps.soak(source, cr.application).catch(() => null);
      }
    }
    return evaluatePolicy(
      { environment: env.name, rules: rules as never },
      {
        id: crId(cr.number),
        destinationEnvironment: env.name,
        ...(cr.application ? { application: cr.application } : {}),
        author: cr.author,
        touchesPolicies: cr.touchesPolicies,
        ...(cr.pin.blueprint && cr.pin.version
          ? { blueprint: { name: cr.pin.blueprint, version: cr.pin.version } }
          : {}),
        ...(cr.pin.valuesDigest ? { valuesDigest: cr.pin.valuesDigest } : {}),
        ...(cr.source ? { sourceEnvironment: cr.source.environment } : {}),
        revisedAt: cr.revisedAt,
      },
      {
        approvals: approvals.map(a => ({ user: a.approver, teams: a.teams, at: a.at })),
        soak,
        orgAdmins: [
          ...new Set([
            ...approvals.filter(a => a.orgAdmin).map(a => a.approver),
            ...(cr.touchesPolicies && this.deps.orgAdmins
              ? await this.deps.orgAdmins(cr.organization).catch(() => [])
              : []),
          ]),
        ],
        freeze: freeze ? { reason: freeze.reason, by: freeze.by, since: freeze.since } : null,
      },
      now,
    );
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
    await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestUpdated, `conflicted.${at}`, {
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
  private async mergeNow(
    cr: ChangeRequestRecord,
    by: CatalystPrincipal | undefined,
    breakGlass?: { reason: string },
  ): Promise<void> {
    const env = await this.environmentOf(cr);
    const { repo } = await openEnvironmentRepo(this.deps.repos, env.name);
    const id = crId(cr.number);
    const now = this.deps.now();
    const approvals = await this.deps.store.approvals(cr.number);
    type Result = { sha?: string; prepared?: PreparedChange };
    let outcome;
    try {
      outcome = await this.deps.repos.writer.write<Result>(repo, 'main', async head => {
        const already = await mergeCommitOf(repo, head, id);
        if (already) return { noop: true, result: { sha: already } };
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
    const sha = outcome.commit?.sha ?? outcome.result.sha!;
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
    timeline.push({
      at,
      ...(by ? { actor: by.userRef } : {}),
      type: 'merged',
      message: `Merged as ${sha.slice(0, 7)}${by ? ` by ${by.displayName}` : ' (every rule passed)'}`,
    });
    // The commit is on main; the record follows it. A concurrent merger that recorded it first wins.
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = (await this.deps.store.get(cr.number))!;
      if (current.state === 'merged') return;
      const ok = await this.deps.store.update(
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
      if (ok) break;
    }
    noteForAudit({
      result: { changeRequest: id, merged: sha, ...(breakGlass ? { breakGlass: breakGlass.reason } : {}) },
    });
    this.deps.logger.info(`Merged change request ${id} into ${env.name} as ${sha}`, {
      environment: env.name,
      changeRequest: id,
      ...(breakGlass ? { breakGlass: breakGlass.reason } : {}),
    });
    await this.dropBranch(cr);
    await this.publish(cr, CATALYST_EVENT_TYPES.changeRequestMerged, `merged.${sha}`, {
      id,
      commit: sha,
      ...(by ? { by: by.userRef } : {}),
    });
    if (outcome.result.prepared && outcome.commit?.changed) {
      await publishChangeEvents(this.deps, env, sha, cr.author, outcome.result.prepared, id);
    }
    await this.deps.notifier.merged(cr, sha, by?.userRef);
    if (breakGlass && by) await this.deps.notifier.brokeGlass(cr, by.userRef, breakGlass.reason);
    // the others waiting in this Environment may no longer apply
    for (const other of await this.deps.store.listWaiting(env.name)) {
      if (other.number === cr.number) continue;
      await this.evaluate(other.number, { merge: false }).catch(error =>
        this.deps.logger.warn(`Could not evaluate ${crId(other.number)}`, { error: String(error) }),
      );
    }
  }

  // ------------------------------------------------------------------ plumbing

  private async environmentOf(cr: ChangeRequestRecord): Promise<EnvironmentRecord> {
    const env = await this.deps.registry.getEnvironment(cr.environment);
    if (!env) throw notFound(crId(cr.number));
    return env;
  }

  private async dropBranch(cr: ChangeRequestRecord) {
    try {
      const { repo } = await openEnvironmentRepo(this.deps.repos, cr.environment);
      await repo.deleteBranch(cr.branch, cr.headCommit);
    } catch (error) {
      // a branch left behind is harmless (the record says what it was); a moved one is somebody's push
      this.deps.logger.warn(`Could not delete ${cr.branch} of ${cr.environment}`, { error: String(error) });
    }
  }

  private async publish(
    cr: ChangeRequestRecord,
    type: (typeof CATALYST_EVENT_TYPES)[
      | 'changeRequestOpened'
      | 'changeRequestApproved'
      | 'changeRequestMerged'
      | 'changeRequestClosed'
      | 'changeRequestUpdated'],
    discriminator: string,
    data: Record<string, unknown>,
  ) {
    try {
      await this.deps.publisher.publish([
        createCatalystEvent({
          id: `${cr.environment}.${crId(cr.number)}.${type}.${discriminator}`,
          source: 'catalyst/change-requests',
          type,
          subject: `changerequest/${crId(cr.number)}`,
          time: this.deps.now().toISOString(),
          organization: cr.organization,
          environment: cr.environment,
          data,
        } as Parameters<typeof createCatalystEvent>[0]),
      ]);
    } catch (error) {
      // the record is the truth; the read model catches up on the next event of the request
      this.deps.logger.error(`Could not publish ${type} of ${crId(cr.number)}`, { error: String(error) });
    }
  }
}

/** `pending` is internal: a request is open to the world until its branch is written. */
function publicState(state: StoredState): ChangeRequest['state'] {
  return state === 'pending' ? 'open' : state;
}

function summaryOf(cr: ChangeRequestRecord): ChangeRequestSummaryItem {
  const counted = 0;
  return {
    id: crId(cr.number),
    number: cr.number,
    environment: cr.environment,
    organization: cr.organization,
    ...(cr.application ? { application: cr.application } : {}),
    action: cr.action,
    title: cr.title,
    author: cr.author,
    state: publicState(cr.state),
    ...(cr.source ? { source: { environment: cr.source.environment, application: cr.source.application } } : {}),
    ...(cr.pin.blueprint ? { blueprint: cr.pin.blueprint } : {}),
    ...(cr.pin.version ? { version: cr.pin.version } : {}),
    ...(cr.pin.valuesDigest ? { valuesDigest: cr.pin.valuesDigest } : {}),
    approvals: cr.evaluation?.verdicts.reduce((n, v) => Math.max(n, v.details.approvals ?? 0), counted) ?? counted,
    mergeable: cr.mergeable,
    createdAt: cr.createdAt,
    updatedAt: cr.updatedAt,
  };
}

/** The pin the destination would run: from the change's files, else from main. */
async function pinOf(
  repo: GitRepository,
  head: string,
  files: ChangeRequestFile[],
  application: string | undefined,
): Promise<ChangePin> {
  if (!application) return {};
  const file = async (name: string) => {
    const path = `applications/${application}/${name}`;
    const changed = files.find(f => f.path === path);
    return changed ? changed.after ?? undefined : repo.readFile(head, path);
  };
  const [applicationYaml, valuesYaml] = await Promise.all([file('application.yaml'), file('values.yaml')]);
  if (applicationYaml === undefined) return {};
  const pin = applicationPinOf(applicationYaml, valuesYaml);
  return {
    ...(pin.blueprint ? { blueprint: pin.blueprint } : {}),
    ...(pin.version ? { version: pin.version } : {}),
    ...(pin.valuesDigest ? { valuesDigest: pin.valuesDigest } : {}),
  };
}

/**
 * The rules a request is judged by: the destination's policy on main. A policy file that does not
 * validate still counts with its rules as written (the evaluator fails the ones it cannot run), so
 * a broken policy blocks merges — except the change that repairs it, which an org-admin's approval
 * alone may merge (otherwise nothing could ever fix it).
 */
async function policyRulesFor(
  cr: ChangeRequestRecord,
  state: EnvironmentState,
  repo: GitRepository,
  head: string | null,
): Promise<unknown[]> {
  if (!state.policyError) return state.policyRules ?? [];
  if (cr.touchesPolicies) return [];
  const text = head ? await repo.readFile(head, POLICY_PATH) : undefined;
  const parsed = text === undefined ? undefined : parseYaml(text, { path: POLICY_PATH });
  const rules = parsed?.ok ? (parsed.value as { spec?: { rules?: unknown } })?.spec?.rules : undefined;
  return Array.isArray(rules) && rules.length ? rules : [{ kind: 'invalid', reason: state.policyError }];
}

/** The merge commit of a change request on main, when there is one (recent history). */
async function mergeCommitOf(repo: GitRepository, head: string | null, id: string): Promise<string | undefined> {
  if (!head) return undefined;
  for (const entry of await repo.log(head, { depth: 200 })) {
    const trailers = parseTrailers(entry.message);
    // the merge commit, not the branch commit (reachable through its second parent)
    if (trailers[CATALYST_TRAILERS.changeRequest] === id && entry.parents.length > 1) return entry.sha;
  }
  return undefined;
}
