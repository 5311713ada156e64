import { checkBlueprintVersion } from '@internal/plugin-catalyst-common';
import { seedBlueprints } from './blueprints';

describe('seed Blueprints', () => {
  const versions = seedBlueprints().flatMap(bp => bp.versions.map(v => ({ bp, v, label: `${bp.name}@${v.version}` })));

  it.each(versions.map(x => [x.label, x]))(
    '%s passes the registration checks its tag will face',
    (_label, { bp, v }) => {
      const result = checkBlueprintVersion({
        source: bp.repo === 'catalog' ? 'catalog' : 'shared-blueprints',
        organization: bp.repo === 'catalog' ? undefined : bp.repo.organization,
        files: v.files,
        tag: `${bp.name}/v${v.version}`,
      });
      if (!result.ok) throw new Error(JSON.stringify(result.errors, null, 2));
      expect(result.version.blueprint.metadata).toEqual({ name: bp.name, version: v.version });
    },
  );

  it('covers what the embedded default promises: 5+ listed Blueprints, a conditional database, a bundle, a private one', () => {
    const all = seedBlueprints();
    const latest = all.map(bp => ({ bp, v: bp.versions[bp.versions.length - 1] }));
    const docs = latest.map(({ bp, v }) => {
      const r = checkBlueprintVersion({
        source: bp.repo === 'catalog' ? 'catalog' : 'shared-blueprints',
        organization: bp.repo === 'catalog' ? undefined : bp.repo.organization,
        files: v.files,
      });
      if (!r.ok) throw new Error(bp.name);
      return r.version.blueprint;
    });
    expect(docs.filter(d => d.spec.visibility === 'listed').length).toBeGreaterThanOrEqual(5);
    expect(docs.some(d => d.spec.card?.category === 'composite')).toBe(true);
    expect(docs.some(d => d.spec.visibility === 'private')).toBe(true);
    expect(docs.some(d => d.spec.visibility === 'unlisted')).toBe(true);
    const cms = docs.find(d => d.metadata.name === 'bp-wordpress')!;
    expect(cms.spec.depends?.[0]).toMatchObject({
      blueprint: 'bp-postgres',
      when: "{{ .config.postgres.mode == 'embedded' }}",
    });
  });
});
