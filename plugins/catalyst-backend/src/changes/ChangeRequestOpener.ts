import {
  CATALYST_EVENT_TYPES,
  CATALYST_TRAILERS,
  ChangeResponse,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import { noteForAudit } from '../audit/CatalystAudit';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import { authorIdentity, toCommitRecord } from '../provisioning/commits';
import { readEnvironmentState } from '../provisioning/environmentState';
import { applicationOfIntent, ChangeIntent, prepareIntent } from '../provisioning/intents';
import { openEnvironmentRepo } from '../provisioning/repoReads';
import type { ChangeRequestEvaluator } from './ChangeRequestEvaluator';
import type { ChangeRequestRecord } from './ChangeRequestStore';
import { ChangeRequestDeps, crId, dropBranch, publishEvent } from './changeRequestContext';
import { publicState } from './changeRequestViews';
import { pinOf, renderChange, touchesPolicies } from './renderedDiff';

/** A push's request key (gitsurface/PushPolicy `pushRequestKey`): `git.<branch>.<12 hex of the commit>`. */
const GIT_PUSH_KEY = /^git\.[A-Za-z0-9._-]+\.[0-9a-f]{12}$/;

/**
 * Opening change requests: an intent computed exactly as a commit would be, written to the branch
 * `change-requests/cr-<n>` and recorded with its rendered diff, then evaluated at once (a policy
 * whose rules already pass merges it). Replays answer with the request opened before.
 */
export class ChangeRequestOpener {
  private constructor(private readonly deps: ChangeRequestDeps, private readonly evaluator: ChangeRequestEvaluator) {}

  static create(deps: ChangeRequestDeps, evaluator: ChangeRequestEvaluator): ChangeRequestOpener {
    return new ChangeRequestOpener(deps, evaluator);
  }

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
    await publishEvent(this.deps, opened, CATALYST_EVENT_TYPES.changeRequestOpened, `${sha}`, {
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
    if (idempotencyKey && GIT_PUSH_KEY.test(idempotencyKey)) await this.supersedeOlderPushes(opened, idempotencyKey);
    const evaluated = await this.evaluator.evaluate(opened.number, { notifyApprovers: true });
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
  private supersedeOlderPromotions(cr: ChangeRequestRecord) {
    return this.supersedeOlder(
      cr,
      older =>
        older.action === 'promote' &&
        older.application === cr.application &&
        older.source?.environment === cr.source?.environment,
    );
  }

  /**
   * A new push to the same branch is the branch's change request now: the requests of its earlier
   * pushes still waiting are superseded (their approvals were for another diff).
   */
  private supersedeOlderPushes(cr: ChangeRequestRecord, key: string) {
    const branchOf = (k: string) => k.slice(0, -13); // without `.<12 hex>`
    return this.supersedeOlder(
      cr,
      older =>
        !!older.requestKey && GIT_PUSH_KEY.test(older.requestKey) && branchOf(older.requestKey) === branchOf(key),
    );
  }

  private async supersedeOlder(cr: ChangeRequestRecord, replaces: (older: ChangeRequestRecord) => boolean) {
    const waiting = await this.deps.store.listWaiting(cr.environment);
    for (const older of waiting) {
      if (older.number >= cr.number || !replaces(older)) continue;
      const at = this.deps.now().toISOString();
      const ok = await this.deps.store.update(
        older.number,
        older.version,
        { state: 'superseded', closure: { ...older.closure, supersededBy: crId(cr.number) } },
        [{ at, actor: cr.author, type: 'superseded', message: `Superseded by ${crId(cr.number)}` }],
      );
      if (!ok) continue;
      await dropBranch(this.deps, older);
      await publishEvent(this.deps, older, CATALYST_EVENT_TYPES.changeRequestClosed, 'superseded', {
        id: crId(older.number),
        by: cr.author,
        outcome: 'superseded',
        reason: `superseded by ${crId(cr.number)}`,
      });
      await this.deps.notifier.superseded(older, { id: crId(cr.number), author: cr.author });
    }
  }
}
