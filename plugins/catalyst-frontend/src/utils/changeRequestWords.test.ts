import type { PolicyVerdict } from '@internal/plugin-catalyst-common';
import { changeRequestStateLabel, isWaiting, ruleTitle, untilInWords, verdictFacts } from './changeRequestWords';

const now = Date.parse('2026-11-23T12:00:00Z');

const verdict = (v: Partial<PolicyVerdict> & Pick<PolicyVerdict, 'rule'>): PolicyVerdict => ({
  status: 'pending',
  code: 'awaiting-approval',
  reason: 'r',
  details: {},
  ...v,
});

describe('verdictFacts', () => {
  it.each<[string, PolicyVerdict, string[]]>([
    [
      'approvals counted and teams missing',
      verdict({
        rule: { kind: 'pr-required', index: 0 },
        details: { approvals: 1, minApprovals: 2, missingTeams: ['team-security'] },
      }),
      ['1 of 2 approvals', 'missing: team-security'],
    ],
    [
      'an approval that does not count, and why',
      verdict({
        rule: { kind: 'pr-required', index: 0 },
        details: { ignoredApprovals: [{ user: 'user:default/layla', why: 'author' }] },
      }),
      ["layla's approval does not count (author)"],
    ],
    [
      'soak counting down from the page clock, not from the evaluation',
      verdict({
        rule: { kind: 'soak', index: 1 },
        code: 'soaking',
        passesAt: '2026-11-23T17:30:00Z',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000, soakedMs: 0 },
      }),
      ['5h 30m left of 1d in acme-stg', `completes ${new Date('2026-11-23T17:30:00Z').toLocaleString()}`],
    ],
    [
      'a soak just started counts down from just under its duration',
      verdict({
        rule: { kind: 'soak', index: 1 },
        code: 'soaking',
        passesAt: '2026-11-24T11:59:30Z',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000, soakedMs: 30_000 },
      }),
      ['23h 59m left of 1d in acme-stg', `completes ${new Date('2026-11-24T11:59:30Z').toLocaleString()}`],
    ],
    [
      'the last minute of a soak',
      verdict({
        rule: { kind: 'soak', index: 1 },
        code: 'soaking',
        passesAt: '2026-11-23T12:00:20Z',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000 },
      }),
      ['less than a minute left of 1d in acme-stg', `completes ${new Date('2026-11-23T12:00:20Z').toLocaleString()}`],
    ],
    [
      'a soak whose time has come before the next evaluation',
      verdict({
        rule: { kind: 'soak', index: 1 },
        code: 'soaking',
        passesAt: '2026-11-23T11:00:00Z',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000 },
      }),
      [
        'soak complete; waiting for the next evaluation',
        `completes ${new Date('2026-11-23T11:00:00Z').toLocaleString()}`,
      ],
    ],
    [
      'a soak that passed',
      verdict({
        rule: { kind: 'soak', index: 1 },
        status: 'pass',
        code: 'soaked',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000 },
      }),
      ['soaked 1d in acme-stg'],
    ],
    [
      'outside the window: its next opening',
      verdict({
        rule: { kind: 'change-window', index: 2 },
        status: 'fail',
        code: 'outside-window',
        details: {
          cron: '0 9 * * 1-5',
          durationMs: 8 * 3_600_000,
          timezone: 'Europe/Berlin',
          nextOpensAt: '2026-11-24T08:00:00Z',
        },
      }),
      ['Mon–Fri 09:00–17:00 Europe/Berlin', `next opens ${new Date('2026-11-24T08:00:00Z').toLocaleString()} (in 20h)`],
    ],
    [
      'inside the window: when it closes',
      verdict({
        rule: { kind: 'change-window', index: 2 },
        status: 'pass',
        code: 'inside-window',
        details: { closesAt: '2026-11-23T16:00:00Z' },
      }),
      [`closes ${new Date('2026-11-23T16:00:00Z').toLocaleString()} (in 4h)`],
    ],
    [
      'a freeze and its reason',
      verdict({
        rule: { kind: 'freeze', index: null },
        status: 'fail',
        code: 'frozen',
        details: { freezeReason: 'INC-7' },
      }),
      ['reason: INC-7'],
    ],
    [
      'an invalid rule: its issues',
      verdict({
        rule: { kind: 'invalid-rule', index: 3 },
        status: 'fail',
        code: 'invalid-rule',
        details: {
          issues: [{ code: 'invalid-duration', path: '$.rules[3].duration', message: '"x" is not a duration' }],
        },
      }),
      ['"x" is not a duration'],
    ],
  ])('%s', (_name, v, facts) => {
    expect(verdictFacts(v, now)).toEqual(facts);
  });
});

it('says how long until an instant, by the minute', () => {
  expect(untilInWords('2026-11-23T12:00:30Z', now)).toBe('in 1m');
  expect(untilInWords('2026-11-25T13:00:00Z', now)).toBe('in 2d 1h');
  expect(untilInWords('2026-11-23T11:00:00Z', now)).toBe('now');
  expect(untilInWords('not a time', now)).toBeUndefined();
  expect(untilInWords(undefined, now)).toBeUndefined();
});

it('names rules, states and which states still wait', () => {
  expect(ruleTitle({ kind: 'pr-required', index: 0 })).toBe('Approvals');
  expect(ruleTitle({ kind: 'org-admin-approval', index: null })).toBe('Org-admin approval (policies/)');
  expect(changeRequestStateLabel('superseded')).toBe('Superseded');
  expect(['open', 'conflicted', 'merged', 'rejected', 'superseded'].filter(s => isWaiting(s as never))).toEqual([
    'open',
    'conflicted',
  ]);
});
