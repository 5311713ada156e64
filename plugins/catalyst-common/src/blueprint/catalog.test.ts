import fixture from '../__fixtures__/blueprint/catalog.yaml';
import {
  BlueprintVersionInput,
  InMemoryBlueprintCatalog,
  availableOverlays,
  checkBlueprintVersion,
  defaultOverlay,
  findBlueprintVersion,
  installableVersions,
} from './catalog';

type Case = {
  name: string;
  blueprint?: string;
  files: string;
  extraFiles?: Record<string, string>;
  text?: string;
  source: 'catalog' | 'shared-blueprints';
  organization?: string;
  tag?: string;
  errors?: Array<{ code: string; path: string }>;
};
const { blueprints, files, cases } = fixture as unknown as {
  blueprints: Record<string, Record<string, unknown>>;
  files: Record<string, Record<string, string>>;
  cases: Case[];
};

function input(c: Case): BlueprintVersionInput {
  return {
    ...(c.blueprint ? { blueprint: blueprints[c.blueprint] } : {}),
    source: c.source,
    ...(c.organization ? { organization: c.organization } : {}),
    ...(c.tag ? { tag: c.tag } : {}),
    files: {
      ...files[c.files],
      ...c.extraFiles,
      ...(c.text ? { 'blueprint.yaml': c.text } : {}),
    },
  };
}

function withVersion(base: Record<string, unknown>, version: string, visibility?: string): Record<string, unknown> {
  const spec = base.spec as Record<string, unknown>;
  return {
    ...base,
    metadata: { ...(base.metadata as object), version },
    spec: visibility ? { ...spec, visibility } : spec,
  };
}

describe('checkBlueprintVersion', () => {
  it.each(cases)('$name', c => {
    const r = checkBlueprintVersion(input(c));
    const actual = r.ok ? [] : r.errors.map(e => ({ code: e.code, path: e.path }));
    expect(actual).toEqual(expect.arrayContaining(c.errors ?? []));
    expect(r.ok).toBe(c.errors === undefined);
  });
});

describe('InMemoryBlueprintCatalog', () => {
  const kfiles = files.kustomize;
  const built = InMemoryBlueprintCatalog.fromVersions([
    {
      blueprint: withVersion(blueprints.kustomize, '0.1.0'),
      source: 'catalog',
      files: kfiles,
    },
    {
      blueprint: withVersion(blueprints.kustomize, '0.2.0', 'unlisted'),
      source: 'catalog',
      files: kfiles,
    },
    {
      blueprint: withVersion(blueprints.kustomize, '0.10.0'),
      source: 'catalog',
      files: kfiles,
    },
    {
      blueprint: withVersion(blueprints.kustomize, '0.0.5'),
      source: 'shared-blueprints',
      organization: 'globex',
      files: kfiles,
    },
    {
      blueprint: blueprints.private,
      source: 'shared-blueprints',
      organization: 'acme',
      files: kfiles,
    },
  ]);
  const catalog = built.ok ? built.catalog : InMemoryBlueprintCatalog.create();

  it('registers valid versions', () => {
    expect(built.ok).toBe(true);
    expect(catalog.names()).toEqual(['bp-acme-payments', 'bp-echo']);
  });

  it('orders installable versions by semver, highest first, including unlisted', () => {
    expect(installableVersions(catalog, 'bp-echo', 'acme').map(v => v.blueprint.metadata.version)).toEqual([
      '0.10.0',
      '0.2.0',
      '0.1.0',
    ]);
  });

  it("lets an Organization's shared-blueprints shadow the public catalog", () => {
    expect(
      installableVersions(catalog, 'bp-echo', 'globex').map(v => [v.source, v.blueprint.metadata.version]),
    ).toEqual([['shared-blueprints', '0.0.5']]);
  });

  it('shows private Blueprints to their Organization only', () => {
    expect([
      installableVersions(catalog, 'bp-acme-payments', 'acme').length,
      installableVersions(catalog, 'bp-acme-payments', 'globex').length,
    ]).toEqual([1, 0]);
  });

  it('refuses a version registered twice', () => {
    const r = catalog.register({
      blueprint: withVersion(blueprints.kustomize, '0.1.0'),
      source: 'catalog',
      files: kfiles,
    });
    expect(r.ok ? 'registered' : r.errors.map(e => e.code)).toEqual(['duplicate-version']);
  });

  it('reports every invalid input with its index and registers none of them half-way', () => {
    const r = InMemoryBlueprintCatalog.fromVersions([
      {
        blueprint: withVersion(blueprints.kustomize, '1.0.0'),
        source: 'catalog',
        files: kfiles,
      },
      {
        blueprint: withVersion(blueprints.kustomize, 'one'),
        source: 'catalog',
        files: kfiles,
      },
    ]);
    expect(r.ok ? [] : r.errors.map(e => [e.code, e.path])).toEqual([
      ['invalid-version', 'versions[1].metadata.version'],
    ]);
  });

  it('finds the exact version a plan refers to', () => {
    expect(
      findBlueprintVersion(catalog, {
        name: 'bp-echo',
        version: '0.2.0',
        source: 'catalog',
      })?.blueprint.metadata.version,
    ).toBe('0.2.0');
    expect(
      findBlueprintVersion(catalog, {
        name: 'bp-echo',
        version: '0.0.5',
        source: 'shared-blueprints',
        organization: 'acme',
      }),
    ).toBeUndefined();
  });

  it('derives overlays from the spec and the overlay folders', () => {
    const v = installableVersions(catalog, 'bp-echo', 'acme')[0];
    expect([availableOverlays(v), defaultOverlay(v)]).toEqual([['small'], 'small']);
  });
});
