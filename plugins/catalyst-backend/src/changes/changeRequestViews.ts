/**
 * How a stored request is shown: the record mapped to the API's summary and detail, and what the
 * caller may do to it, with the reason when not (the UI shows it).
 */
import {
  CHANGE_REQUEST_ID,
  ChangeRequest,
  ChangeRequestPermission,
  ChangeRequestSummaryItem,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import { noteForAudit } from '../audit/CatalystAudit';
import type { ChangeRequestRecord, StoredState } from './ChangeRequestStore';
import { breakGlassRefusal, BYPASSABLE, ChangeRequestDeps, crId, notFound, WAITING } from './changeRequestContext';

/** `pending` is internal: a request is open to the world until its branch is written. */
export function publicState(state: StoredState): ChangeRequest['state'] {
  return state === 'pending' ? 'open' : state;
}

export function summaryOf(cr: ChangeRequestRecord): ChangeRequestSummaryItem {
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

/** The request `id` when the caller may read it; otherwise not found, as if it did not exist. */
export async function readableRequest(
  deps: Pick<ChangeRequestDeps, 'store' | 'authorization'>,
  principal: CatalystPrincipal,
  id: string,
): Promise<ChangeRequestRecord> {
  if (!CHANGE_REQUEST_ID.test(id)) throw notFound(id);
  const cr = await deps.store.get(Number(id.slice(3)));
  if (!cr || cr.state === 'pending') throw notFound(id);
  try {
    await deps.authorization.environment(principal, cr.environment, 'read');
  } catch {
    // the same answer as a request that does not exist: nothing leaks about other Organizations
    throw notFound(id);
  }
  noteForAudit({ environment: cr.environment, organization: cr.organization });
  return cr;
}

/** What the caller may do to the request now, with the reason when not (the UI shows it). */
async function permissionsOf(
  authorization: Pick<Authorization, 'allowed'>,
  principal: CatalystPrincipal,
  cr: ChangeRequestRecord,
): Promise<ChangeRequest['can']> {
  const scope = { organization: cr.organization, environment: cr.environment };
  const allowed = (action: 'approve' | 'merge' | 'promote') =>
    principal.service ? Promise.resolve(false) : authorization.allowed(principal, action, scope);
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
      [hardFailing.length > 0, breakGlassRefusal(cr.environment, hardFailing)],
      [failing.length === 0, 'every rule passes; merge it instead'],
    ),
  };
}

/** The request as the API shows it to `principal`: approvals (stale ones marked), timeline, permissions. */
export async function detailOf(
  deps: Pick<ChangeRequestDeps, 'store' | 'authorization'>,
  principal: CatalystPrincipal,
  cr: ChangeRequestRecord,
): Promise<ChangeRequest> {
  const [approvals, timeline] = await Promise.all([deps.store.approvals(cr.number), deps.store.timeline(cr.number)]);
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
    can: await permissionsOf(deps.authorization, principal, cr),
  };
}
