import type { EnvironmentPolicyRule } from '@internal/plugin-catalyst-common';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const DAY_ALIASES: Record<string, number> = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };
const UNIT_MINUTES: Record<string, number> = { ms: 1 / 60_000, s: 1 / 60, m: 1, h: 60, d: 1440 };

/** `2h30m` → 150; undefined when it is not a policy duration (then the rule is described verbatim). */
function durationMinutes(text: string): number | undefined {
  if (!/^(?:\d+(?:ms|s|m|h|d))+$/.test(text)) return undefined;
  let minutes = 0;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|s|m|h|d)/g)) minutes += Number(n) * UNIT_MINUTES[unit];
  return minutes;
}

/** `a`, `a and b`, `a, b and c`. */
export function listInWords(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function dayNumber(token: string): number | undefined {
  const alias = DAY_ALIASES[token.toUpperCase()];
  if (alias !== undefined) return alias;
  if (!/^\d$/.test(token)) return undefined;
  const n = Number(token);
  // cron allows 7 for Sunday
  if (n === 7) return 0;
  return n <= 6 ? n : undefined;
}

/** The day-of-week field in words (`1-5` → `Mon–Fri`, `2,4` → `Tue and Thu`), or undefined when it is not a plain list. */
function daysInWords(field: string): string | undefined {
  if (field === '*' || field === '?') return 'daily';
  const parts: string[] = [];
  for (const item of field.split(',')) {
    const range = item.split('-');
    if (range.length === 2) {
      const from = dayNumber(range[0]);
      const to = dayNumber(range[1]);
      if (from === undefined || to === undefined) return undefined;
      // `1-7` (Mon–Sun) is every day
      if (from === 1 && range[1] === '7') return 'daily';
      parts.push(`${DAY_NAMES[from]}–${DAY_NAMES[to]}`);
    } else if (range.length === 1) {
      const day = dayNumber(item);
      if (day === undefined) return undefined;
      parts.push(DAY_NAMES[day]);
    } else return undefined;
  }
  return listInWords(parts);
}

const hhmm = (minutes: number) =>
  `${String(Math.floor(minutes / 60) % 24).padStart(2, '0')}:${String(Math.round(minutes % 60)).padStart(2, '0')}`;

/**
 * A change window in words: `Mon–Fri 09:00–17:00 Europe/Berlin`. Crons beyond "fixed minute and hour
 * on some weekdays" are quoted rather than guessed at.
 */
export function describeChangeWindow(cron: string, duration: string, timezone = 'UTC'): string {
  const fields = cron.trim().split(/\s+/);
  const minutes = durationMinutes(duration);
  if (fields.length === 5 && minutes !== undefined) {
    const [minute, hour, dom, month, dow] = fields;
    const days = daysInWords(dow);
    if (/^\d{1,2}$/.test(minute) && /^\d{1,2}$/.test(hour) && dom === '*' && month === '*' && days) {
      const start = Number(hour) * 60 + Number(minute);
      if (minutes < 1440) {
        const end = start + minutes;
        const nextDay = end >= 1440 ? ' (next day)' : '';
        return `${days} ${hhmm(start)}–${hhmm(end)}${nextDay} ${timezone}`;
      }
      return `${days} from ${hhmm(start)} for ${duration} ${timezone}`;
    }
  }
  return `in ${duration} windows opening at cron "${cron}" (${timezone})`;
}

/** One rule as a phrase; `afterChanges` when it needs "changes" as its subject. */
function describeRule(rule: EnvironmentPolicyRule): { text: string; afterChanges: boolean } {
  switch (rule.kind) {
    case 'pr-required': {
      const teams = listInWords(rule.approvers);
      const min = rule.minApprovals && rule.minApprovals > 1 ? ` (at least ${rule.minApprovals} approvals)` : '';
      return { text: `need approval from ${teams}${min}`, afterChanges: true };
    }
    case 'soak':
      return { text: `must soak ${rule.duration} in ${rule.sourceEnvironment}`, afterChanges: true };
    case 'change-window':
      return {
        text: `merges only ${describeChangeWindow(rule.cron, rule.duration, rule.timezone)}`,
        afterChanges: false,
      };
    case 'freeze':
      return { text: `frozen (${rule.reason}): nothing merges until the freeze is lifted`, afterChanges: false };
    default:
      // a rule kind this UI does not know yet: say so rather than hide it
      return { text: `rule "${(rule as { kind: string }).kind}"`, afterChanges: false };
  }
}

/**
 * The EnvironmentPolicy in effect, in one sentence: "Changes need approval from team-platform and
 * team-security; must soak 24h in acme-stg; merges only Mon–Fri 09:00–17:00 Europe/Berlin".
 */
export function describePolicy(rules: readonly EnvironmentPolicyRule[] | null | undefined): string {
  if (!rules || rules.length === 0) return 'No EnvironmentPolicy rules: changes apply as soon as they are committed.';
  // a freeze overrides everything else, so it is said first
  const ordered = [...rules.filter(r => r.kind === 'freeze'), ...rules.filter(r => r.kind !== 'freeze')];
  // "changes" is said once, before the first phrase that needs it as its subject
  let subjectSaid = false;
  const sentence = ordered
    .map(describeRule)
    .map(p => {
      if (!p.afterChanges || subjectSaid) return p.text;
      subjectSaid = true;
      return `changes ${p.text}`;
    })
    .join('; ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}
