import {
  formatDuration,
  type ChangeRequestState,
  type PolicyRuleRef,
  type PolicyVerdict,
} from '@internal/plugin-catalyst-common';
import { describeChangeWindow } from './describePolicy';
import { displayActor } from './relativeTime';

/**
 * Words for change requests. The server's verdicts carry a reason written at evaluation time
 * ("23h remaining"); a page stays open for hours, so what moves with the clock (soak countdown,
 * next window opening) is computed again here from the verdict's instants and the page's `now`.
 */

const STATE_LABELS: Record<ChangeRequestState, string> = {
  open: 'Open',
  conflicted: 'Conflicted',
  merged: 'Merged',
  rejected: 'Rejected',
  superseded: 'Superseded',
};

export function changeRequestStateLabel(state: ChangeRequestState): string {
  return STATE_LABELS[state];
}

/** Whether the request still waits for something (its decisions can still be taken). */
export function isWaiting(state: ChangeRequestState): boolean {
  return state === 'open' || state === 'conflicted';
}

const RULE_TITLES: Record<PolicyRuleRef['kind'], string> = {
  'pr-required': 'Approvals',
  soak: 'Soak',
  'change-window': 'Change window',
  freeze: 'Freeze',
  'org-admin-approval': 'Org-admin approval (policies/)',
  destination: 'Destination',
  clock: 'Clock',
  'invalid-rule': 'Invalid rule',
};

export function ruleTitle(rule: PolicyRuleRef): string {
  return RULE_TITLES[rule.kind] ?? rule.kind;
}

/** `in 5h 3m` for a future instant, `now` once it has passed; undefined for a missing or bad one. */
export function untilInWords(iso: string | undefined, now: number): string | undefined {
  const at = iso ? Date.parse(iso) : NaN;
  if (Number.isNaN(at)) return undefined;
  // minutes are enough for a countdown of hours; seconds would make every render differ
  const ms = Math.ceil((at - now) / 60_000) * 60_000;
  return ms <= 0 ? 'now' : `in ${formatDuration(ms)}`;
}

/** An instant as people read it (their own time zone), with the ISO text kept for the tooltip. */
export function localTime(iso: string): string {
  const at = Date.parse(iso);
  return Number.isNaN(at) ? iso : new Date(at).toLocaleString();
}

const teamName = (ref: string) => ref.replace(/^group:(?:[^/]+\/)?/, '');

/**
 * The facts a verdict's details give, in words, for the line under its reason: approvals counted
 * and the teams still missing, the soak's progress and when it completes, the change window's
 * next opening (or closing). Empty when the details say nothing more than the reason.
 */
export function verdictFacts(verdict: PolicyVerdict, now: number): string[] {
  const d = verdict.details ?? {};
  const facts: string[] = [];
  switch (verdict.rule.kind) {
    case 'pr-required':
    case 'org-admin-approval': {
      if (typeof d.approvals === 'number' && typeof d.minApprovals === 'number') {
        facts.push(`${d.approvals} of ${d.minApprovals} approvals`);
      }
      if (d.missingTeams?.length) facts.push(`missing: ${d.missingTeams.map(teamName).join(', ')}`);
      for (const ignored of d.ignoredApprovals ?? []) {
        facts.push(`${displayActor(ignored.user)}'s approval does not count (${ignored.why})`);
      }
      break;
    }
    case 'soak': {
      if (typeof d.requiredMs === 'number' && verdict.status === 'pass') {
        facts.push(`soaked ${formatDuration(d.requiredMs)} in ${d.sourceEnvironment ?? 'the source'}`);
      } else if (typeof d.requiredMs === 'number' && verdict.passesAt) {
        const left = Date.parse(verdict.passesAt) - now;
        const source = d.sourceEnvironment ?? 'the source';
        // whole minutes down, as a countdown reads: 23h 59m just after it started, never "1d left of 1d"
        const minutes = Math.floor(left / 60_000);
        if (left <= 0) facts.push('soak complete; waiting for the next evaluation');
        else if (minutes === 0) facts.push(`less than a minute left of ${formatDuration(d.requiredMs)} in ${source}`);
        else facts.push(`${formatDuration(minutes * 60_000)} left of ${formatDuration(d.requiredMs)} in ${source}`);
        facts.push(`completes ${localTime(verdict.passesAt)}`);
      }
      break;
    }
    case 'change-window': {
      if (d.cron && typeof d.durationMs === 'number') {
        facts.push(describeChangeWindow(d.cron, `${Math.round(d.durationMs / 60_000)}m`, d.timezone));
      }
      if (verdict.status === 'pass' && d.closesAt) {
        facts.push(`closes ${localTime(d.closesAt)} (${untilInWords(d.closesAt, now)})`);
      } else if (d.nextOpensAt) {
        facts.push(`next opens ${localTime(d.nextOpensAt)} (${untilInWords(d.nextOpensAt, now)})`);
      }
      break;
    }
    case 'freeze': {
      if (d.freezeReason) facts.push(`reason: ${d.freezeReason}`);
      break;
    }
    default:
      for (const issue of d.issues ?? []) facts.push(issue.message);
  }
  return facts;
}
