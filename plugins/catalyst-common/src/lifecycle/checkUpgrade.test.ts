import fixture from '../__fixtures__/lifecycle/upgrade-cases.yaml';
import { CATALYST_API_VERSION, CatalystBlueprint } from '../kinds';
import { checkUpgrade } from './checkUpgrade';

type Case = {
  name: string;
  from: string;
  to: { name?: string; version: string; from?: string[]; blocks?: string[] };
  rollback?: boolean;
  kind?: string;
  code?: string;
  path?: string;
};
const { app, cases } = fixture as unknown as {
  app: { name: string; blueprint: string };
  cases: Case[];
};

function target(to: Case['to']): CatalystBlueprint {
  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'Blueprint',
    metadata: { name: to.name ?? app.blueprint, version: to.version },
    spec: {
      card: { title: 'WordPress', category: 'cms', tags: [] },
      visibility: 'listed',
      configSchema: { type: 'object' },
      placementSchema: { modes: ['single-region'] },
      depends: [],
      rotation: [],
      manifests: { source: { kind: 'Kustomize' } },
      ...(to.from || to.blocks ? { upgrades: { from: to.from ?? [], blocks: to.blocks ?? [] } } : {}),
    },
  };
}

describe('checkUpgrade', () => {
  it.each(cases)('$name', c => {
    const r = checkUpgrade(app, c.from, target(c.to), { rollback: c.rollback });
    expect(r.ok ? { kind: r.kind } : { code: r.errors[0].code, path: r.errors[0].path }).toEqual(
      c.code ? { code: c.code, path: c.path } : { kind: c.kind },
    );
  });

  it('says how to get out of a blocked upgrade', () => {
    const r = checkUpgrade(app, '1.0.4', target({ version: '1.3.0', blocks: ['1.0.x'] }));
    expect(r.ok ? '' : r.errors[0].message).toBe(
      'bp-wordpress 1.3.0 has no upgrade path from 1.0.4 (blocked: 1.0.x); reinstall instead',
    );
  });
});
