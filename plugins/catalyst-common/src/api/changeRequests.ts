import { z } from 'zod';
import type { PolicyEvaluation } from '../policy/evaluatePolicy';
import { environmentPolicyRuleSchema } from '../policy/rules';

/**
 * Change requests (DESIGN §7): how a change reaches a governed Environment. Every write to an
 * Environment whose EnvironmentPolicy has rules — install, configure, upgrade, pause, uninstall,
 * rollback, a promotion, a policy change — becomes one: a branch in the destination repo plus a
 * record in Catalyst's database, merged by Catalyst when every rule passes.
 */

/**
 * - `open`: waiting for its rules (approvals, soak, window, no freeze);
 * - `conflicted`: the destination moved and the change no longer applies as approved; a rebase
 *   recomputes it (and resets approvals when the rendered diff changes);
 * - `merged`, `rejected`, `superseded` (a newer request for the same Application from the same
 *   source replaced it): closed.
 *
 * @public
 */
export const CHANGE_REQUEST_STATES = ['open', 'conflicted', 'merged', 'rejected', 'superseded'] as const;
/** @public */
export type ChangeRequestState = (typeof CHANGE_REQUEST_STATES)[number];

/** What a change request does to its Environment. @public */
export const CHANGE_REQUEST_ACTIONS = [
  'install',
  'configure',
  'upgrade',
  'uninstall',
  'rollback',
  'promote',
  'policy',
] as const;
/** @public */
export type ChangeRequestAction = (typeof CHANGE_REQUEST_ACTIONS)[number];

/** One file of the rendered diff: what runs (`before`, at the destination's main) and what would run. @public */
export interface ChangeRequestFile {
  path: string;
  /** `values` (values.yaml), `application` (application.yaml), `flux`, `policy`, `manifest`. */
  kind: 'values' | 'application' | 'flux' | 'policy' | 'manifest';
  before: string | null;
  after: string | null;
}

/** @public */
export interface ChangeRequestApproval {
  user: string;
  displayName?: string;
  /** The approver's teams when approving (Group refs). */
  teams: string[];
  at: string;
  comment?: string;
  /** Given before the change was last revised: shown, but it no longer counts. */
  stale: boolean;
}

/** @public */
export interface ChangeRequestTimelineEntry {
  at: string;
  /** User ref, or absent for Catalyst itself. */
  actor?: string;
  type:
    | 'opened'
    | 'approved'
    | 'rejected'
    | 'revised'
    | 'conflicted'
    | 'rebased'
    | 'merged'
    | 'superseded'
    | 'break-glass'
    | 'evaluated';
  message: string;
}

/** Whether the caller may do something to the request, and why not. @public */
export interface ChangeRequestPermission {
  allowed: boolean;
  reason?: string;
}

/** A change request as the list shows it. @public */
export interface ChangeRequestSummaryItem {
  id: string;
  number: number;
  environment: string;
  organization: string;
  application?: string;
  action: ChangeRequestAction;
  title: string;
  author: string;
  state: ChangeRequestState;
  source?: { environment: string; application: string };
  /** What the destination would run: Blueprint and version (absent for an uninstall or a policy change). */
  blueprint?: string;
  version?: string;
  valuesDigest?: string;
  approvals: number;
  /** Whether every rule passed at the last evaluation. */
  mergeable: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A change request with its diff, verdicts, approvals and timeline. @public */
export interface ChangeRequest extends ChangeRequestSummaryItem {
  /** The branch in the destination repo: `change-requests/<id>`. */
  branch: string;
  /** The destination's main when the change was (last) computed. */
  baseCommit: string;
  /** The branch's commit: the change on top of `baseCommit`. */
  headCommit: string;
  files: ChangeRequestFile[];
  approvalsList: ChangeRequestApproval[];
  /** The last evaluation of the destination's EnvironmentPolicy (DESIGN §7). */
  evaluation: PolicyEvaluation | null;
  /** `automatic`: Catalyst merges when every rule passes; `manual`: it waits for a Merge click. */
  mergeMode: 'automatic' | 'manual';
  revisedAt: string;
  rejection?: { by: string; at: string; reason: string };
  merge?: { commit: string; at: string; by?: string };
  breakGlass?: { by: string; at: string; reason: string };
  supersededBy?: string;
  conflict?: { at: string; reason: string };
  timeline: ChangeRequestTimelineEntry[];
  /** What the caller may do to it (the server checks again). */
  can: Record<'approve' | 'reject' | 'merge' | 'rebase' | 'breakGlass', ChangeRequestPermission>;
}

/** An Environment's operational freeze (blocks merges until lifted). @public */
export interface EnvironmentFreezeState {
  environment: string;
  frozen: boolean;
  reason?: string;
  by?: string;
  since?: string;
}

/** What a write to a governed Environment answers beside the branch commit. @public */
export interface ChangeRequestRef {
  id: string;
  number: number;
  state: ChangeRequestState;
  /** True when the request was merged at once (every rule already passed and merging is automatic). */
  merged: boolean;
}

const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');

/** `POST /promotions`: copy an Application to another Environment of its Organization. @public */
export const promotionBodySchema = z.strictObject({
  sourceEnvironment: z.string(),
  application: z.string(),
  targetEnvironment: z.string(),
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type PromotionBody = z.input<typeof promotionBodySchema>;

/** @public */
export const approveBodySchema = z.strictObject({ comment: z.string().max(2000).optional() });
/** @public */
export type ApproveBody = z.input<typeof approveBodySchema>;

/** @public */
export const rejectBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(2000) });
/** @public */
export type RejectBody = z.input<typeof rejectBodySchema>;

/**
 * `POST /change-requests/:id/merge`: merge now (the rules must pass), or, for an org-admin, break
 * glass with a written reason (bypasses soak and change windows; never a freeze, approvals of a
 * policy change nor the approvals a policy requires). @public
 */
export const mergeBodySchema = z.strictObject({
  breakGlass: z
    .strictObject({ reason: z.string().trim().min(10, 'say why in at least 10 characters').max(2000) })
    .optional(),
});
/** @public */
export type MergeBody = z.input<typeof mergeBodySchema>;

/** @public */
export const freezeBodySchema = z.strictObject({ reason: z.string().trim().min(1).max(500) });
/** @public */
export type FreezeBody = z.input<typeof freezeBodySchema>;

/** `PUT`-like replacement of an Environment's EnvironmentPolicy rules (a change to `policies/`). @public */
export const policyBodySchema = z.strictObject({
  rules: z.array(environmentPolicyRuleSchema).max(20),
  merge: z.enum(['automatic', 'manual']).optional(),
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type PolicyBody = z.input<typeof policyBodySchema>;

/** `GET /change-requests` query. @public */
export const changeRequestsQuerySchema = z.object({
  environment: z.string().optional(),
  application: z.string().optional(),
  state: z.enum(CHANGE_REQUEST_STATES).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
/** What `GET /change-requests` filters by (a limit of 1 to 500, 100 unless given). @public */
export interface ChangeRequestsQuery {
  environment?: string;
  application?: string;
  state?: ChangeRequestState;
  limit?: number;
}

/** A change request id: `cr-<number>`. @public */
export const CHANGE_REQUEST_ID = /^cr-[1-9][0-9]{0,11}$/;

/**
 * The portal's page of one change request (catalyst-frontend's `/catalyst` mount and its
 * `change-requests/:id` route): where notifications, scaffolder task logs and `git push` answers
 * send people. @public
 */
export function changeRequestPagePath(id: string): string {
  return `/catalyst/change-requests/${id}`;
}
