import evaluateFixture from '../__fixtures__/policy/evaluate-cases.json';
import windowCases from '../__fixtures__/policy/window-cases.json';
import { evaluatePolicy, PolicyChange, PolicyFacts, PolicyUnderEvaluation, PolicyVerdict } from './evaluatePolicy';
import { EnvironmentPolicyRule } from './rules';

interface ExpectedVerdict {
  kind: string;
  index?: number | null;
  status?: string;
  code?: string;
  reason?: string;
  passesAt?: string;
  ignored?: Array<{ user: string; why: string }>;
  issuePaths?: string[];
}

interface EvaluateCase {
  name: string;
  policy?: { environment: string; rules: unknown[] };
  change?: Record<string, unknown>;
  facts?: Record<string, unknown>;
  now?: string;
  expect: {
    mergeable?: boolean;
    nextEvaluationAt?: string | null;
    blockedBy?: Array<{ kind: string; index: number | null }>;
    verdicts: ExpectedVerdict[];
  };
}

/** Shallow override where a JSON `null` removes the default's field (JSON has no `undefined`). */
function override(base: object, patch: Record<string, unknown> | undefined): object {
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [key, value] of Object.entries(patch ?? {})) {
    if (value === null && key !== 'freeze') delete out[key];
    else out[key] = value;
  }
  return out;
}

function findVerdict(verdicts: PolicyVerdict[], want: ExpectedVerdict): PolicyVerdict | undefined {
  return verdicts.find(v => v.rule.kind === want.kind && (want.index === undefined || v.rule.index === want.index));
}

/** The fields of `actual` a fixture row asserts on. */
function pick(actual: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.map(k => [k, actual[k]]));
}

const defaults = evaluateFixture.defaults;

describe('evaluatePolicy', () => {
  it.each((evaluateFixture.cases as EvaluateCase[]).map(c => [c.name, c] as const))('%s', (_name, c) => {
    const policy = (c.policy ?? defaults.policy) as unknown as PolicyUnderEvaluation;
    const change = override(defaults.change, c.change) as unknown as PolicyChange;
    const facts = override(defaults.facts, c.facts) as unknown as PolicyFacts;
    const now = new Date(c.now ?? defaults.now);
    const result = evaluatePolicy(policy, change, facts, now);

    const { verdicts: wantVerdicts, ...wantSummary } = c.expect;
    const summary: Record<string, unknown> = {
      mergeable: result.mergeable,
      nextEvaluationAt: result.nextEvaluationAt,
      blockedBy: result.blockedBy,
    };
    expect(pick(summary, Object.keys(wantSummary))).toEqual(wantSummary);
    expect(wantVerdicts.length === 0 ? result.verdicts : []).toEqual([]);
    for (const want of wantVerdicts) {
      const got = findVerdict(result.verdicts, want);
      const actual: Record<string, unknown> = {
        kind: got?.rule.kind,
        index: got?.rule.index,
        status: got?.status,
        code: got?.code,
        reason: got?.reason,
        passesAt: got?.passesAt,
        // Only the ignored approvals the row names (the rest are checked by other rows).
        ignored: got?.details.ignoredApprovals?.filter(i =>
          want.ignored?.some(w => w.user === i.user && w.why === i.why),
        ),
        issuePaths: got?.details.issues?.map(i => i.path),
      };
      expect(pick(actual, Object.keys(want))).toEqual(want);
    }
    // Invariants that hold for every evaluation.
    expect(result.mergeable).toBe(result.verdicts.every(v => v.status === 'pass'));
    expect(result.verdicts.filter(v => v.status === 'pass' && v.passesAt)).toEqual([]);
  });

  it('does not read the clock: the same inputs give the same answer at any real time', () => {
    const policy = defaults.policy as unknown as PolicyUnderEvaluation;
    const change = defaults.change as unknown as PolicyChange;
    const facts = defaults.facts as unknown as PolicyFacts;
    const a = evaluatePolicy(policy, change, facts, new Date('2026-11-24T14:30:00Z'));
    const b = evaluatePolicy(policy, change, facts, new Date('2026-11-24T14:30:00Z'));
    expect(a).toEqual(b);
    expect(a.evaluatedAt).toBe('2026-11-24T14:30:00.000Z');
  });

  it('does not modify its inputs', () => {
    const policy = JSON.parse(JSON.stringify(defaults.policy));
    const change = JSON.parse(JSON.stringify(defaults.change));
    const facts = JSON.parse(JSON.stringify(defaults.facts));
    const before = JSON.stringify([policy, change, facts]);
    evaluatePolicy(policy, change, facts, new Date('2026-11-24T14:30:00Z'));
    expect(JSON.stringify([policy, change, facts])).toBe(before);
  });
});

interface WindowCase {
  name: string;
  cron: string;
  duration: string;
  timezone?: string;
  now: string;
  expect: {
    status: 'pass' | 'pending';
    openedAt?: string;
    closesAt?: string;
    nextOpensAt?: string;
    timezone?: string;
  };
}

describe('evaluatePolicy change windows', () => {
  it.each((windowCases as WindowCase[]).map(c => [c.name, c] as const))('%s', (_name, c) => {
    const rule: EnvironmentPolicyRule = {
      kind: 'change-window',
      cron: c.cron,
      duration: c.duration,
      ...(c.timezone ? { timezone: c.timezone } : {}),
    };
    const result = evaluatePolicy(
      { environment: 'acme-prod', rules: [rule] },
      { id: 'cr-1', destinationEnvironment: 'acme-prod', author: 'layla', touchesPolicies: false },
      { approvals: [], soak: {}, orgAdmins: [], freeze: null },
      new Date(c.now),
    );
    const [verdict] = result.verdicts;
    const { status, openedAt, closesAt, nextOpensAt, timezone } = c.expect;
    const actual: Record<string, unknown> = {
      status: verdict.status,
      mergeable: result.mergeable,
      openedAt: verdict.details.openedAt,
      closesAt: verdict.details.closesAt,
      nextOpensAt: verdict.passesAt,
      timezone: verdict.details.timezone,
      // Whatever changes the outcome next: the window closing, or opening.
      nextEvaluationAt: result.nextEvaluationAt,
    };
    const expected: Record<string, unknown> = {
      status,
      mergeable: status === 'pass',
      ...(openedAt ? { openedAt } : {}),
      ...(closesAt ? { closesAt, nextEvaluationAt: closesAt } : {}),
      ...(nextOpensAt ? { nextOpensAt, nextEvaluationAt: nextOpensAt } : {}),
      ...(timezone ? { timezone } : {}),
    };
    expect(pick(actual, Object.keys(expected))).toEqual(expected);
  });
});

describe('evaluatePolicy on malformed input', () => {
  const junk: unknown[] = [undefined, null, 0, 'x', [], {}, [null], { user: 1 }, { reason: 2 }];
  it.each(junk.map((value, i) => [i, value] as const))('never throws (junk #%i)', (_i, value) => {
    const results = [
      evaluatePolicy(
        defaults.policy as unknown as PolicyUnderEvaluation,
        { ...(defaults.change as unknown as PolicyChange), author: value as string },
        { approvals: value, soak: value, orgAdmins: value, freeze: value } as unknown as PolicyFacts,
        new Date('2026-11-24T14:30:00Z'),
      ),
      evaluatePolicy(
        { environment: 'acme-prod', rules: value as [] },
        defaults.change as unknown as PolicyChange,
        defaults.facts as unknown as PolicyFacts,
        value as Date,
      ),
    ];
    expect(results.map(r => typeof r.mergeable)).toEqual(['boolean', 'boolean']);
  });
});
