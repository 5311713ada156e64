import fixture from '../__fixtures__/status/cases.json';
import { APPLICATION_STATUSES, ApplicationStatusFacts, deriveApplicationStatus } from './deriveApplicationStatus';

interface StatusCase {
  name: string;
  facts?: Record<string, unknown>;
  expect: Record<string, unknown>;
}

const cases = fixture.cases as StatusCase[];

function factsFor(c: StatusCase): ApplicationStatusFacts {
  return { ...fixture.base, ...c.facts } as unknown as ApplicationStatusFacts;
}

describe('deriveApplicationStatus', () => {
  it.each(cases.map(c => [c.name, c] as const))('%s', (_name, c) => {
    const view = deriveApplicationStatus(factsFor(c));
    const actual = view as unknown as Record<string, unknown>;
    const picked = Object.fromEntries(Object.keys(c.expect).map(k => [k, actual[k]]));
    expect(picked).toEqual(c.expect);
  });

  it('covers every one of the seven statuses in the fixtures', () => {
    const seen = new Set(cases.map(c => deriveApplicationStatus(factsFor(c)).status));
    expect([...seen].sort()).toEqual([...APPLICATION_STATUSES].sort());
  });

  it('always gives a reason and sane pod counts', () => {
    for (const c of cases) {
      const view = deriveApplicationStatus(factsFor(c));
      expect(view.reason.length).toBeGreaterThan(0);
      expect(view.pods.ready).toBeLessThanOrEqual(view.pods.total);
    }
  });
});

describe('deriveApplicationStatus on incomplete facts', () => {
  it.each([
    ['no lists at all', { name: 'x', desired: { revision: null } }],
    [
      'pods without containers',
      {
        name: 'x',
        desired: { revision: null },
        kustomization: null,
        deployments: [],
        pods: [{ name: 'p', phase: 'Running', ready: true }],
      },
    ],
  ])('%s still yields a status', (_name, facts) => {
    const view = deriveApplicationStatus(facts as unknown as ApplicationStatusFacts);
    expect(APPLICATION_STATUSES).toContain(view.status);
  });
});
