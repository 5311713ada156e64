import { formatDuration } from '../duration';
import { formatInstant, parseInstant } from '../events/instant';
import { CatalystIssue, jsonPath } from '../issues';
import { locateChangeWindow } from './changeWindow';
import { CompiledPolicyRule, compilePolicyRule, subPath } from './compileRules';
import { normalizeUserRef, teamMatches } from './refs';
import { EnvironmentPolicyRule } from './rules';

/**
 * The policy being applied: the rules of the destination Environment's EnvironmentPolicy.
 * Rules are re-checked here, so a policy file that fails validation still yields `fail` verdicts
 * rather than an exception.
 *
 * @public
 */
export interface PolicyUnderEvaluation {
  /** The Environment the policy governs, e.g. `acme-prod`. */
  environment: string;
  rules: ReadonlyArray<EnvironmentPolicyRule>;
}

/**
 * The change request being gated.
 *
 * @public
 */
export interface PolicyChange {
  id: string;
  destinationEnvironment: string;
  /** The Application the change installs, configures or promotes; absent for policy-only changes. */
  application?: string;
  /** User ref of the author (`user:default/layla`; bare names are accepted). */
  author: string;
  /** Whether the change touches `policies/` in the Environment repo. */
  touchesPolicies: boolean;
  /** The Blueprint version the change deploys; absent for changes that deploy none (uninstall, policy). */
  blueprint?: { name: string; version: string };
  /** Digest of the Application's `values.yaml` as the change leaves it. */
  valuesDigest?: string;
  sourceEnvironment?: string;
  /** When the change's content last changed; approvals given before it are stale and do not count. */
  revisedAt?: string;
}

/** @public */
export interface PolicyApproval {
  /** User ref of the approver. */
  user: string;
  /** Groups the approver belonged to when approving (refs or bare names). */
  teams: ReadonlyArray<string>;
  /** RFC 3339 time of the approval. */
  at: string;
}

/**
 * What the projector last saw of the Application in a source Environment: the revision it runs
 * and since when it has been Running continuously at that revision.
 *
 * @public
 */
export interface SoakObservation {
  blueprint: string;
  version: string;
  valuesDigest: string;
  /** RFC 3339 time of the first Running observation at this revision, continuous since then. */
  runningSince: string;
}

/**
 * An operational freeze set on the Environment outside the policy file (lifted in Catalyst).
 *
 * @public
 */
export interface EnvironmentFreeze {
  reason: string;
  by?: string;
  since?: string;
}

/** @public */
export interface PolicyFacts {
  approvals: ReadonlyArray<PolicyApproval>;
  /** Per source Environment name; `null` (or missing) when the Application is not Running there. */
  soak: Readonly<Record<string, SoakObservation | null | undefined>>;
  /** User refs of the Organization's org-admins, who approve changes to `policies/`. */
  orgAdmins: ReadonlyArray<string>;
  freeze: EnvironmentFreeze | null;
}

/**
 * What a verdict is about: a rule of the policy (`index` into `spec.rules`) or a gate Catalyst
 * adds on its own (`index: null`): `org-admin-approval` for changes to `policies/`, `freeze` for
 * an operational freeze, `destination` when the policy does not govern the change's Environment,
 * `clock` when `now` is not a time.
 *
 * @public
 */
export interface PolicyRuleRef {
  kind: EnvironmentPolicyRule['kind'] | 'org-admin-approval' | 'destination' | 'clock' | 'invalid-rule';
  index: number | null;
}

/** @public */
export type PolicyVerdictStatus = 'pass' | 'fail' | 'pending';

/**
 * Stable, machine-readable verdict reasons (the `reason` text is for people).
 *
 * @public
 */
export type PolicyVerdictCode =
  | 'approved'
  | 'awaiting-approval'
  | 'no-org-admins'
  | 'soaked'
  | 'soaking'
  | 'not-running-in-source'
  | 'different-revision-in-source'
  | 'not-applicable'
  | 'inside-window'
  | 'outside-window'
  | 'window-never-opens'
  | 'frozen'
  | 'freeze-exempt'
  | 'wrong-environment'
  | 'invalid-rule'
  | 'invalid-now';

/**
 * Facts behind a verdict, for UIs that show more than the reason. Fields appear per rule kind.
 *
 * @public
 */
export interface PolicyVerdictDetails {
  /** pr-required / org-admin-approval: approvers that count, per listed team. */
  approvedBy?: Record<string, string[]>;
  missingTeams?: string[];
  approvals?: number;
  minApprovals?: number;
  /** Approvals that were not counted, and why. */
  ignoredApprovals?: Array<{ user: string; why: 'author' | 'stale' | 'future' | 'invalid-time' | 'not-a-member' }>;
  /** soak */
  sourceEnvironment?: string;
  requiredMs?: number;
  soakedMs?: number;
  runningSince?: string;
  observed?: { blueprint: string; version: string; valuesDigest: string };
  /** change-window */
  cron?: string;
  timezone?: string;
  durationMs?: number;
  openedAt?: string;
  closesAt?: string;
  nextOpensAt?: string;
  /** freeze */
  freezeReason?: string;
  /** invalid rules */
  issues?: CatalystIssue[];
}

/** @public */
export interface PolicyVerdict {
  rule: PolicyRuleRef;
  status: PolicyVerdictStatus;
  code: PolicyVerdictCode;
  /** Human words: `needs an approval from team-security`, `soaking in acme-stg: 5h 12m remaining`. */
  reason: string;
  /** When the rule will pass without anyone acting (soak complete, next window opening). */
  passesAt?: string;
  details: PolicyVerdictDetails;
}

/** @public */
export interface PolicyEvaluation {
  changeId: string;
  environment: string;
  evaluatedAt: string;
  /** True only when every verdict passes. */
  mergeable: boolean;
  verdicts: PolicyVerdict[];
  /** The rules that are not passing, in verdict order. */
  blockedBy: PolicyRuleRef[];
  /**
   * The earliest future time at which a verdict can change with no new facts (soak completes, a
   * window opens or closes); `null` when only people or new events can change the outcome.
   */
  nextEvaluationAt: string | null;
}

interface CountedApproval {
  user: string;
  teams: ReadonlyArray<string>;
}

/** Splits approvals into those that count and those that do not (author's own, stale, future). */
function screenApprovals(
  change: PolicyChange,
  approvals: ReadonlyArray<PolicyApproval>,
  nowMs: number,
): { counted: CountedApproval[]; ignored: NonNullable<PolicyVerdictDetails['ignoredApprovals']> } {
  const author = normalizeUserRef(change.author);
  const revisedAt = change.revisedAt === undefined ? null : parseInstant(change.revisedAt);
  const byUser = new Map<string, CountedApproval>();
  const ignored: NonNullable<PolicyVerdictDetails['ignoredApprovals']> = [];
  for (const approval of approvals) {
    const user = normalizeUserRef(approval.user);
    const at = parseInstant(approval.at);
    if (user === author) ignored.push({ user, why: 'author' });
    else if (at === null) ignored.push({ user, why: 'invalid-time' });
    else if (at > nowMs) ignored.push({ user, why: 'future' });
    else if (revisedAt !== null && at < revisedAt) ignored.push({ user, why: 'stale' });
    else {
      // One person approving twice is one approval; their team lists are merged.
      const seen = byUser.get(user);
      byUser.set(user, { user, teams: seen ? [...seen.teams, ...approval.teams] : approval.teams });
    }
  }
  return { counted: [...byUser.values()], ignored };
}

function listWords(items: string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function ownApprovalNote(ignored: NonNullable<PolicyVerdictDetails['ignoredApprovals']>): string {
  return ignored.some(i => i.why === 'author') ? " (the author's own approval does not count)" : '';
}

function evaluatePrRequired(
  compiled: Extract<CompiledPolicyRule, { kind: 'pr-required' }>,
  ref: PolicyRuleRef,
  screened: ReturnType<typeof screenApprovals>,
): PolicyVerdict {
  const teams = compiled.rule.approvers;
  const approvedBy: Record<string, string[]> = {};
  const members = new Set<string>();
  for (const team of teams) {
    approvedBy[team] = screened.counted.filter(a => a.teams.some(t => teamMatches(team, t))).map(a => a.user);
    approvedBy[team].forEach(u => members.add(u));
  }
  const ignored = [
    ...screened.ignored,
    ...screened.counted.filter(a => !members.has(a.user)).map(a => ({ user: a.user, why: 'not-a-member' as const })),
  ];
  const missingTeams = teams.filter(t => approvedBy[t].length === 0);
  // minApprovals counts distinct people from the listed teams, not any approver at all.
  const approvals = members.size;
  const details: PolicyVerdictDetails = {
    approvedBy,
    missingTeams,
    approvals,
    minApprovals: compiled.minApprovals,
    ignoredApprovals: ignored,
  };
  if (missingTeams.length === 0 && approvals >= compiled.minApprovals) {
    return {
      rule: ref,
      status: 'pass',
      code: 'approved',
      reason: `approved by ${listWords([...members])}`,
      details,
    };
  }
  const needs: string[] = [];
  if (missingTeams.length > 0) {
    needs.push(`an approval from ${listWords(missingTeams)}`);
  }
  // With the default minApprovals of 1 the missing teams already say everything.
  if (approvals < compiled.minApprovals && (compiled.minApprovals > 1 || missingTeams.length === 0)) {
    needs.push(`${compiled.minApprovals} distinct approvers (has ${approvals})`);
  }
  return {
    rule: ref,
    status: 'pending',
    code: 'awaiting-approval',
    reason: `needs ${needs.join(' and ')}${ownApprovalNote(ignored)}`,
    details,
  };
}

function evaluateOrgAdminApproval(facts: PolicyFacts, screened: ReturnType<typeof screenApprovals>): PolicyVerdict {
  const ref: PolicyRuleRef = { kind: 'org-admin-approval', index: null };
  const admins = new Set(facts.orgAdmins.map(normalizeUserRef));
  const approvers = screened.counted.filter(a => admins.has(a.user)).map(a => a.user);
  const details: PolicyVerdictDetails = {
    approvedBy: { 'org-admins': approvers },
    approvals: approvers.length,
    minApprovals: 1,
    ignoredApprovals: screened.ignored,
  };
  if (approvers.length > 0) {
    return {
      rule: ref,
      status: 'pass',
      code: 'approved',
      reason: `change to policies/ approved by org-admin ${listWords(approvers)}`,
      details,
    };
  }
  if (admins.size === 0) {
    return {
      rule: ref,
      status: 'fail',
      code: 'no-org-admins',
      reason: 'changes to policies/ need an org-admin approval, and the Organization has no org-admin',
      details,
    };
  }
  return {
    rule: ref,
    status: 'pending',
    code: 'awaiting-approval',
    reason: `changes to policies/ need an approval from an org-admin${ownApprovalNote(screened.ignored)}`,
    details,
  };
}

function evaluateSoak(
  compiled: Extract<CompiledPolicyRule, { kind: 'soak' }>,
  ref: PolicyRuleRef,
  change: PolicyChange,
  facts: PolicyFacts,
  nowMs: number,
): PolicyVerdict {
  const source = compiled.rule.sourceEnvironment;
  const details: PolicyVerdictDetails = { sourceEnvironment: source, requiredMs: compiled.durationMs };
  if (!change.blueprint || change.valuesDigest === undefined) {
    return {
      rule: ref,
      status: 'pass',
      code: 'not-applicable',
      reason: 'the change deploys no Blueprint version, so there is nothing to soak',
      details,
    };
  }
  const wanted = `${change.blueprint.name} ${change.blueprint.version}`;
  const observation = facts.soak[source];
  if (!observation) {
    return {
      rule: ref,
      status: 'fail',
      code: 'not-running-in-source',
      reason: `${wanted} with these values is not Running in ${source}; the soak clock starts at its first Running there`,
      details,
    };
  }
  details.observed = {
    blueprint: observation.blueprint,
    version: observation.version,
    valuesDigest: observation.valuesDigest,
  };
  if (observation.blueprint !== change.blueprint.name || observation.version !== change.blueprint.version) {
    return {
      rule: ref,
      status: 'fail',
      code: 'different-revision-in-source',
      reason: `${source} runs ${observation.blueprint} ${observation.version}; this change brings ${wanted}`,
      details,
    };
  }
  if (observation.valuesDigest !== change.valuesDigest) {
    return {
      rule: ref,
      status: 'fail',
      code: 'different-revision-in-source',
      reason: `${source} runs ${wanted} with different values; the soak applies to the exact values promoted`,
      details,
    };
  }
  const since = parseInstant(observation.runningSince);
  if (since === null) {
    return {
      rule: ref,
      status: 'fail',
      code: 'not-running-in-source',
      reason: `the Running observation in ${source} has no valid time ("${observation.runningSince}")`,
      details,
    };
  }
  const soakedMs = Math.max(0, nowMs - since);
  details.runningSince = formatInstant(since);
  details.soakedMs = soakedMs;
  if (soakedMs >= compiled.durationMs) {
    return {
      rule: ref,
      status: 'pass',
      code: 'soaked',
      reason: `Running in ${source} for ${formatDuration(soakedMs)} (needs ${compiled.rule.duration})`,
      details,
    };
  }
  const passesAt = since + compiled.durationMs;
  return {
    rule: ref,
    status: 'pending',
    code: 'soaking',
    reason: `soaking in ${source}: ${formatDuration(passesAt - nowMs)} remaining of ${compiled.rule.duration}`,
    passesAt: formatInstant(passesAt),
    details,
  };
}

function evaluateChangeWindow(
  compiled: Extract<CompiledPolicyRule, { kind: 'change-window' }>,
  ref: PolicyRuleRef,
  nowMs: number,
): PolicyVerdict {
  const { cron, duration } = compiled.rule;
  const details: PolicyVerdictDetails = {
    cron,
    timezone: compiled.timezone,
    durationMs: compiled.durationMs,
  };
  const position = locateChangeWindow(cron, compiled.timezone, compiled.durationMs, nowMs);
  if (!position.ok) {
    return { rule: ref, status: 'fail', code: 'window-never-opens', reason: position.message, details };
  }
  const zone = compiled.timezone;
  if (position.inside) {
    details.openedAt = formatInstant(position.openedAt);
    details.closesAt = formatInstant(position.closesAt);
    return {
      rule: ref,
      status: 'pass',
      code: 'inside-window',
      reason: `inside the change window (${cron}, ${duration}, ${zone}) until ${details.closesAt}`,
      details,
    };
  }
  details.nextOpensAt = formatInstant(position.nextOpensAt);
  return {
    rule: ref,
    status: 'pending',
    code: 'outside-window',
    reason: `outside the change window (${cron}, ${duration}, ${zone}); next opens ${details.nextOpensAt}`,
    passesAt: details.nextOpensAt,
    details,
  };
}

/** A change that only edits `policies/` is how a freeze rule gets lifted, so freeze rules let it through. */
function isPolicyOnly(change: PolicyChange): boolean {
  return change.touchesPolicies && change.application === undefined && change.blueprint === undefined;
}

function evaluateRule(
  compiled: CompiledPolicyRule,
  ref: PolicyRuleRef,
  change: PolicyChange,
  facts: PolicyFacts,
  screened: ReturnType<typeof screenApprovals>,
  nowMs: number,
): PolicyVerdict {
  switch (compiled.kind) {
    case 'pr-required':
      return evaluatePrRequired(compiled, ref, screened);
    case 'soak':
      return evaluateSoak(compiled, ref, change, facts, nowMs);
    case 'change-window':
      return evaluateChangeWindow(compiled, ref, nowMs);
    case 'freeze':
    default: {
      const details: PolicyVerdictDetails = { freezeReason: compiled.rule.reason };
      if (isPolicyOnly(change)) {
        return {
          rule: ref,
          status: 'pass',
          code: 'freeze-exempt',
          reason: `frozen (${compiled.rule.reason}), but a change to policies/ alone may lift the freeze with org-admin approval`,
          details,
        };
      }
      return {
        rule: ref,
        status: 'fail',
        code: 'frozen',
        reason: `frozen: ${compiled.rule.reason}`,
        details,
      };
    }
  }
}

function summarize(
  change: PolicyChange,
  environment: string,
  nowMs: number,
  verdicts: PolicyVerdict[],
): PolicyEvaluation {
  let next: number | null = null;
  const consider = (iso: string | undefined) => {
    const at = iso === undefined ? null : parseInstant(iso);
    if (at !== null && at > nowMs && (next === null || at < next)) next = at;
  };
  for (const v of verdicts) {
    consider(v.passesAt);
    // An open window closing changes the outcome too.
    if (v.code === 'inside-window') consider(v.details.closesAt);
  }
  const blocked = verdicts.filter(v => v.status !== 'pass');
  return {
    changeId: change.id,
    environment,
    evaluatedAt: Number.isFinite(nowMs) ? formatInstant(nowMs) : '',
    mergeable: blocked.length === 0,
    verdicts,
    blockedBy: blocked.map(v => v.rule),
    nextEvaluationAt: next === null ? null : formatInstant(next),
  };
}

function isStringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every(v => typeof v === 'string');
}

function sanitizeFacts(facts: PolicyFacts | undefined): PolicyFacts {
  const approvals = Array.isArray(facts?.approvals)
    ? facts.approvals.filter(
        (a): a is PolicyApproval =>
          !!a && typeof a.user === 'string' && typeof a.at === 'string' && isStringList(a.teams),
      )
    : [];
  const soak = facts?.soak && typeof facts.soak === 'object' ? facts.soak : {};
  const orgAdmins = isStringList(facts?.orgAdmins) ? facts.orgAdmins : [];
  const freeze = facts?.freeze && typeof facts.freeze.reason === 'string' ? facts.freeze : null;
  return { approvals, soak, orgAdmins, freeze };
}

/**
 * Evaluates every gate on a change request against the destination Environment's policy
 * (DESIGN §7). Pure: `now` and every fact are passed in, and bad input becomes `fail` verdicts.
 *
 * - `pr-required`: for each listed team, an approval from a member of it; at least `minApprovals`
 *   (default 1) distinct approvers from those teams. One person in two listed teams covers both
 *   teams but counts once. The author's approval, approvals given before `change.revisedAt` and
 *   approvals time-stamped after `now` do not count.
 * - `soak`: the source Environment runs the same Blueprint version with the same values digest,
 *   Running continuously for at least the duration; `passesAt` is when the soak completes.
 * - `change-window`: `now` lies in `[fire, fire + duration)` of the 5-field cron in the rule's IANA
 *   timezone (default UTC); `passesAt` is the next opening.
 * - `freeze` (rule or operational freeze in `facts.freeze`): blocks, with its reason. A change that
 *   only touches `policies/` is exempt from freeze rules so that a freeze can be lifted.
 * - a change touching `policies/` additionally needs an approval from an org-admin (not the author).
 *
 * @public
 */
export function evaluatePolicy(
  policy: PolicyUnderEvaluation,
  changeInput: PolicyChange,
  factsInput: PolicyFacts,
  now: Date,
): PolicyEvaluation {
  // Inputs often come straight from JSON (database rows, HTTP bodies): tolerate missing pieces.
  const facts = sanitizeFacts(factsInput);
  const change = { ...changeInput, author: typeof changeInput?.author === 'string' ? changeInput.author : '' };
  const nowMs = now instanceof Date ? now.getTime() : Number.NaN;
  if (!Number.isFinite(nowMs)) {
    return summarize(change, policy.environment, nowMs, [
      {
        rule: { kind: 'clock', index: null },
        status: 'fail',
        code: 'invalid-now',
        reason: 'the evaluation time is not a valid date',
        details: {},
      },
    ]);
  }
  const verdicts: PolicyVerdict[] = [];
  if (change.destinationEnvironment !== policy.environment) {
    verdicts.push({
      rule: { kind: 'destination', index: null },
      status: 'fail',
      code: 'wrong-environment',
      reason: `this policy governs ${policy.environment}, but the change targets ${change.destinationEnvironment}`,
      details: {},
    });
  }
  if (facts.freeze) {
    const { reason, by, since } = facts.freeze;
    const who = [by ? `by ${by}` : '', since ? `since ${since}` : ''].filter(Boolean).join(' ');
    verdicts.push({
      rule: { kind: 'freeze', index: null },
      status: 'fail',
      code: 'frozen',
      reason: `${policy.environment} is frozen${who ? ` ${who}` : ''}: ${reason}`,
      details: { freezeReason: reason },
    });
  }
  const screened = screenApprovals(change, facts.approvals, nowMs);
  const rules: ReadonlyArray<unknown> = Array.isArray(policy.rules) ? policy.rules : [];
  rules.forEach((rule, index) => {
    const compiled = compilePolicyRule(rule, subPath(jsonPath('spec', 'rules'), index), {
      environment: policy.environment,
    });
    if (!compiled.ok) {
      const kind = (['pr-required', 'soak', 'change-window', 'freeze'] as const).find(k => k === compiled.kind);
      verdicts.push({
        rule: { kind: kind ?? 'invalid-rule', index },
        status: 'fail',
        code: 'invalid-rule',
        reason: `rule ${index} is invalid: ${compiled.issues.map(i => i.message).join('; ')}`,
        details: { issues: compiled.issues },
      });
      return;
    }
    const ref: PolicyRuleRef = { kind: compiled.compiled.kind, index };
    verdicts.push(evaluateRule(compiled.compiled, ref, change, facts, screened, nowMs));
  });
  if (change.touchesPolicies) verdicts.push(evaluateOrgAdminApproval(facts, screened));
  return summarize(change, policy.environment, nowMs, verdicts);
}
