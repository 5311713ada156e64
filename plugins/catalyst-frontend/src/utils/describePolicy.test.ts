import type { EnvironmentPolicyRule } from '@internal/plugin-catalyst-common';
import { describeChangeWindow, describePolicy, listInWords } from './describePolicy';

describe('describePolicy', () => {
  it.each<[string, EnvironmentPolicyRule[] | null, string]>([
    ['no policy file', null, 'No EnvironmentPolicy rules: changes apply as soon as they are committed.'],
    ['no rules', [], 'No EnvironmentPolicy rules: changes apply as soon as they are committed.'],
    [
      'the three rules of a production Environment',
      [
        { kind: 'pr-required', approvers: ['team-platform', 'team-security'] },
        { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
        { kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Berlin' },
      ],
      'Changes need approval from team-platform and team-security; must soak 24h in acme-stg; merges only Mon–Fri 09:00–17:00 Europe/Berlin',
    ],
    [
      'one approver team with a minimum',
      [{ kind: 'pr-required', approvers: ['team-platform'], minApprovals: 2 }],
      'Changes need approval from team-platform (at least 2 approvals)',
    ],
    [
      'minApprovals of 1 adds nothing',
      [{ kind: 'pr-required', approvers: ['a', 'b', 'c'], minApprovals: 1 }],
      'Changes need approval from a, b and c',
    ],
    [
      'soak alone',
      [{ kind: 'soak', sourceEnvironment: 'acme-stg', duration: '72h' }],
      'Changes must soak 72h in acme-stg',
    ],
    [
      'a window first, default timezone UTC',
      [
        { kind: 'change-window', cron: '0 14 * * 2,4', duration: '2h' },
        { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '3d' },
      ],
      'Merges only Tue and Thu 14:00–16:00 UTC; changes must soak 3d in acme-stg',
    ],
    [
      'a freeze is said first',
      [
        { kind: 'pr-required', approvers: ['team-platform'] },
        { kind: 'freeze', reason: 'year-end' },
      ],
      'Frozen (year-end): nothing merges until the freeze is lifted; changes need approval from team-platform',
    ],
  ])('%s', (_name, rules, expected) => {
    expect(describePolicy(rules)).toBe(expected);
  });
});

describe('describeChangeWindow', () => {
  it.each<[string, string, string | undefined, string]>([
    ['0 9 * * 1-5', '8h', 'Europe/Berlin', 'Mon–Fri 09:00–17:00 Europe/Berlin'],
    ['30 22 * * *', '3h', undefined, 'daily 22:30–01:30 (next day) UTC'],
    ['0 6 * * MON,WED,FRI', '90m', 'UTC', 'Mon, Wed and Fri 06:00–07:30 UTC'],
    ['0 0 * * 0', '2d', 'UTC', 'Sun from 00:00 for 2d UTC'],
    ['0 0 * * 1-7', '1h', 'UTC', 'daily 00:00–01:00 UTC'],
    ['0 0 * * 7', '1h', 'UTC', 'Sun 00:00–01:00 UTC'],
    ['*/15 * * * *', '5m', 'UTC', 'in 5m windows opening at cron "*/15 * * * *" (UTC)'],
    ['0 9 1 * *', '1h', 'UTC', 'in 1h windows opening at cron "0 9 1 * *" (UTC)'],
    ['0 9 * * 1-5', 'soon', 'UTC', 'in soon windows opening at cron "0 9 * * 1-5" (UTC)'],
    ['0 9 * * 1-9', '1h', 'UTC', 'in 1h windows opening at cron "0 9 * * 1-9" (UTC)'],
  ])('%s for %s (%s)', (cron, duration, tz, expected) => {
    expect(describeChangeWindow(cron, duration, tz)).toBe(expected);
  });
});

describe('listInWords', () => {
  it.each([
    [[], ''],
    [['a'], 'a'],
    [['a', 'b'], 'a and b'],
    [['a', 'b', 'c'], 'a, b and c'],
  ])('%j', (items, expected) => expect(listInWords(items)).toBe(expected));
});
