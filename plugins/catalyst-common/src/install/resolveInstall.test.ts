import catalogFixture from '../__fixtures__/install/catalog.yaml';
import fixture from '../__fixtures__/install/resolve-cases.yaml';
import { loadFixtureCatalog } from '../__fixtures__/install/loadCatalog';
import { resolveInstall } from './resolveInstall';
import { InstallPlan, InstallRequest } from './types';

type Case = {
  name: string;
  request: Record<string, unknown>;
  plan?: Record<string, unknown>;
  errors?: Array<{ code: string; path: string }>;
};
const { defaults, cases } = fixture as unknown as {
  defaults: InstallRequest;
  cases: Case[];
};
const catalog = loadFixtureCatalog(catalogFixture);

function request(c: Case): InstallRequest {
  return { ...defaults, ...c.request } as InstallRequest;
}

/** The comparable shape of a plan: apps by name, skipped by alias path. */
function summary(plan: InstallPlan) {
  return {
    order: plan.order,
    edges: plan.edges,
    skipped: plan.skipped.map(s => s.path),
    apps: Object.fromEntries(plan.applications.map(a => [a.name, a])),
  };
}

describe('resolveInstall', () => {
  it.each(cases)('$name', c => {
    const r = resolveInstall(catalog, request(c));
    const errors = r.ok ? [] : r.errors.map(e => ({ code: e.code, path: e.path }));
    expect(errors).toEqual(expect.arrayContaining(c.errors ?? []));
    expect(r.ok ? summary(r.plan) : {}).toMatchObject(c.plan ?? {});
    expect(r.ok).toBe(c.errors === undefined);
  });

  it('names the Blueprint path of a cycle', () => {
    const r = resolveInstall(catalog, {
      environment: 'acme-dev',
      application: 'loop',
      blueprint: 'bp-cycle-a',
    });
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.chain, e.message])).toEqual([
      ['cycle', ['bp-cycle-a', 'bp-cycle-b', 'bp-cycle-a'], 'dependency cycle: bp-cycle-a → bp-cycle-b → bp-cycle-a'],
    ]);
  });

  it('names the dependency path of an unsatisfiable range and what is available', () => {
    const r = resolveInstall(catalog, {
      environment: 'acme-dev',
      application: 'deep',
      blueprint: 'bp-deep-broken',
    });
    expect(r.ok ? [] : r.errors.map(e => [e.chain, e.message])).toEqual([
      [
        ['bp-deep-broken', 'bp-lib-broken', 'bp-static-site'],
        'no version of bp-static-site satisfies ^9 (available: 1.0.0, 1.1.0); required by bp-deep-broken → bp-lib-broken → bp-static-site',
      ],
    ]);
  });

  it('explains a diamond conflict with both dependents', () => {
    const r = resolveInstall(catalog, {
      environment: 'acme-dev',
      application: 'shop',
      blueprint: 'bp-app-conflict',
    });
    expect(r.ok ? '' : r.errors[0].message).toBe(
      'no version of bp-lib-d (available: 1.0.0, 1.1.0, 1.2.0, 2.0.0) satisfies every dependent of shop-lib-d: ' +
        'b.d (bp-app-conflict → bp-lib-b → bp-lib-d) needs ^1; c.d (bp-app-conflict → bp-lib-c2 → bp-lib-d) needs ^2',
    );
  });

  it('reports invalid values alone, not the dependencies they would have decided', () => {
    const r = resolveInstall(catalog, {
      environment: 'acme-prod',
      application: 'marketing-site',
      blueprint: 'bp-wordpress',
      values: { domain: 'acme.com', replicas: 0 },
      dependencies: { db: { use: 'new', name: 'blog-db' } },
    });
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([['invalid-values', 'values.replicas']]);
  });

  it('is deterministic', () => {
    const req = request(cases[0]);
    expect(JSON.stringify(resolveInstall(catalog, req))).toBe(JSON.stringify(resolveInstall(catalog, req)));
  });

  it('does not modify the request or the catalog', () => {
    const req = request(cases[0]);
    const before = JSON.stringify(req);
    const bp = JSON.stringify(catalog.versions('bp-wordpress'));
    resolveInstall(catalog, req);
    expect([JSON.stringify(req), JSON.stringify(catalog.versions('bp-wordpress'))]).toEqual([before, bp]);
  });
});

/** Deterministic PRNG so a failing case can be replayed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz', () => {
  it('returns a result, never throws, for random requests', () => {
    const random = mulberry32(99);
    const pick = <T>(xs: T[]): T => xs[Math.floor(random() * xs.length)];
    const names = [...catalog.names(), 'bp-nope', 'x', '', '../x', 'constructor'];
    const junk: unknown[] = [undefined, null, 1, 'x', [], {}, { use: 'new' }, { use: 'existing', application: 'a' }];
    for (let i = 0; i < 400; i++) {
      const req = {
        environment: pick(['acme-prod', 'globex-dev', 'acme', 'x-y', '']),
        application: pick(['a', 'site', 'Bad', '../a', 'kube-x']),
        blueprint: pick(names),
        ...(random() < 0.3 ? { version: pick(['^1', '*', 'x', '1.0.0', 'nope']) } : {}),
        ...(random() < 0.5
          ? {
              values: pick([{}, { domain: 'acme.com' }, { replicas: 'x' }, junk]),
            }
          : {}),
        ...(random() < 0.3 ? { overlay: pick(['small', 'large', 'xl']) } : {}),
        ...(random() < 0.3
          ? {
              dependencies: {
                [pick(['db', 'cms.db', 'b.d', '__proto__'])]: pick(junk),
              },
            }
          : {}),
        ...(random() < 0.2 ? { existingApplications: { [pick(['shared-pg', 'a'])]: pick(junk) } } : {}),
      } as unknown as InstallRequest;
      const r = resolveInstall(catalog, req);
      expect(typeof r.ok).toBe('boolean');
    }
  });
});
