import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { buildCatalogEntities, CatalogInput } from './buildCatalogEntities';
import { CatalystEntitiesProcessor } from '@internal/plugin-catalog-backend-module-catalyst';

const input: CatalogInput = {
  organizations: [
    {
      name: 'acme',
      displayName: 'ACME Corp',
      sovereign: 'local',
      teams: ['team-platform'],
      environments: ['acme-dev'],
    },
  ],
  blueprints: [
    {
      name: 'bp-postgres',
      namespace: 'default',
      source: 'catalog',
      visibility: 'listed',
      latestVersion: '1.6.0',
      versions: ['1.6.0', '1.5.0'],
      card: { title: 'PostgreSQL', category: 'database', tags: ['sql', 'Not Valid!'] },
      owner: { team: 'team-platform' },
      composite: false,
      depends: [],
    },
    {
      name: 'bp-acme-payments',
      namespace: 'acme',
      source: 'shared-blueprints',
      organization: 'acme',
      visibility: 'private',
      latestVersion: '1.0.0',
      versions: ['1.0.0'],
      card: { title: 'Payments', category: 'service' },
      owner: { team: 'team-platform' },
      composite: false,
      depends: ['bp-postgres'],
    },
  ],
  environments: [
    {
      name: 'acme-dev',
      organization: 'acme',
      envType: 'dev',
      placement: { preset: 'small', regions: [] },
      policy: { rules: [] },
      governed: false,
      repository: 'file:///x',
      applicationCount: 2,
    },
  ],
  applications: [
    {
      name: 'payments',
      environment: 'acme-dev',
      organization: 'acme',
      blueprint: 'bp-acme-payments',
      version: '1.0.0',
      source: 'shared-blueprints',
      overlay: 'medium',
      placement: { mode: 'single-region', regions: [] },
      dependencies: [{ alias: 'db', blueprint: 'bp-postgres', application: 'payments-postgres', mode: 'embedded' }],
      dependents: [],
      paused: false,
    },
    {
      name: 'payments-postgres',
      environment: 'acme-dev',
      organization: 'acme',
      blueprint: 'bp-postgres',
      version: '1.6.0',
      source: 'catalog',
      placement: { mode: 'single-region', regions: [] },
      dependencies: [],
      dependents: ['payments'],
      paused: false,
    },
  ],
  clusterFor: env => `devcluster-${env}`,
};

describe('buildCatalogEntities', () => {
  const entities = buildCatalogEntities(input);
  const find = (kind: string, namespace: string, name: string) =>
    entities.find(
      e => e.kind === kind && (e.metadata.namespace ?? 'default') === namespace && e.metadata.name === name,
    )!;

  it('publishes the Organization and its teams as Groups', () => {
    expect(find('Group', 'default', 'acme').spec).toEqual({
      type: 'organization',
      profile: { displayName: 'ACME Corp' },
      children: ['group:acme/team-platform'],
    });
    expect(find('Group', 'acme', 'team-platform').spec).toEqual({
      type: 'team',
      parent: 'group:default/acme',
      children: [],
    });
  });

  it('puts private Blueprints in their Organization namespace, owned by the owning team', () => {
    expect(find('Blueprint', 'acme', 'bp-acme-payments').spec).toMatchObject({
      owner: 'group:acme/team-platform',
      visibility: 'private',
    });
    expect(find('Blueprint', 'default', 'bp-postgres').spec).toMatchObject({
      owner: 'group:default/blueprint-catalog',
      type: 'database',
    });
    expect(find('Blueprint', 'default', 'bp-postgres').metadata.tags).toEqual(['sql']);
  });

  it('gives Applications the refs, the kubernetes annotations and no live status', () => {
    const app = find('Application', 'acme-dev', 'payments');
    expect(app.spec).toMatchObject({
      type: 'service',
      environment: 'environment:acme/acme-dev',
      blueprint: 'blueprint:acme/bp-acme-payments',
      dependsOn: ['application:acme-dev/payments-postgres'],
    });
    expect(app.metadata.annotations).toMatchObject({
      'backstage.io/kubernetes-label-selector': 'catalyst.openova.io/application=payments',
      'backstage.io/kubernetes-namespace': 'payments',
      'backstage.io/kubernetes-cluster': 'devcluster-acme-dev',
    });
    expect(JSON.stringify(app)).not.toMatch(/Running|Installing|status/);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(buildCatalogEntities(input))).toBe(JSON.stringify(entities));
  });
});

describe('CatalystEntitiesProcessor', () => {
  const processor = new CatalystEntitiesProcessor();
  const entities = buildCatalogEntities(input);

  it('accepts the custom kinds it publishes and rejects malformed ones naming the field', async () => {
    for (const e of entities.filter(x => x.apiVersion.startsWith('catalyst'))) {
      await expect(processor.validateEntityKind(e)).resolves.toBe(true);
    }
    const app = entities.find(e => e.kind === 'Application')!;
    await expect(
      processor.validateEntityKind({ ...app, spec: { ...app.spec, environment: 'acme-dev' } }),
    ).rejects.toThrow('Application payments: spec.environment: must be a full entity ref');
    await expect(
      processor.validateEntityKind({ apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'x' } }),
    ).resolves.toBe(false);
  });

  it('emits partOf, dependsOn, ownedBy and installedFrom relations both ways', async () => {
    const emitted: CatalogProcessorResult[] = [];
    const app = entities.find(e => e.kind === 'Application' && e.metadata.name === 'payments')!;
    await processor.postProcessEntity(app, { type: 'catalyst', target: 'x' }, r => emitted.push(r));
    const rel = emitted
      .filter((r): r is Extract<CatalogProcessorResult, { type: 'relation' }> => r.type === 'relation')
      .map(
        r =>
          `${r.relation.source.kind}:${r.relation.source.name} ${r.relation.type} ${r.relation.target.kind}:${r.relation.target.name}`,
      );
    expect(rel).toEqual(
      expect.arrayContaining([
        'Application:payments ownedBy group:acme',
        'Application:payments partOf environment:acme-dev',
        'environment:acme-dev hasPart Application:payments',
        'Application:payments installedFrom blueprint:bp-acme-payments',
        'Application:payments dependsOn application:payments-postgres',
        'application:payments-postgres dependencyOf Application:payments',
      ]),
    );
  });
});
