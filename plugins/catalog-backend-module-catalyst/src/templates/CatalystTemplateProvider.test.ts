import { mockServices } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { DeferredEntity, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import { createCatalystBackendClient } from '@internal/plugin-catalyst-node';
import { join } from 'node:path';
import { releaseBlueprintVersion } from '@internal/catalyst-test-utils';
import { CatalystTestBackend, startCatalystTestBackend } from '../__testUtils__/catalystBackend';
import { CatalystTemplateProvider } from './CatalystTemplateProvider';

jest.setTimeout(60_000);

describe('CatalystTemplateProvider against the catalyst backend', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startCatalystTestBackend();
  });
  afterAll(async () => {
    await b?.stop();
  });

  /** The provider as the catalog module wires it: the catalog plugin's own service credentials. */
  function connectedProvider() {
    const auth = mockServices.auth({ pluginId: 'catalog' });
    const provider = CatalystTemplateProvider.create({
      client: createCatalystBackendClient({ discovery: b.discovery, auth }),
      auth,
      logger: mockServices.logger.mock(),
    });
    const mutations: DeferredEntity[][] = [];
    const connection: EntityProviderConnection = {
      applyMutation: async mutation => {
        if (mutation.type !== 'full') throw new Error('expected full mutations only');
        mutations.push(mutation.entities);
      },
      refresh: async () => undefined,
    };
    return { provider, connection, mutations };
  }
  const refOf = (e: Entity) => `${e.metadata.namespace}/${e.metadata.name}`;

  it('publishes one Template per listed or private Blueprint, the private one in its Organization', async () => {
    const { provider, connection, mutations } = connectedProvider();
    await provider.connect(connection);
    await expect(provider.refresh()).resolves.toBe(true);
    expect(mutations).toHaveLength(1);
    const entities = mutations[0].map(d => d.entity);
    expect(entities.map(refOf)).toEqual([
      'acme/install-bp-acme-payments',
      'default/install-bp-bundle-starter',
      'default/install-bp-grafana',
      'default/install-bp-postgres',
      'default/install-bp-redis',
      'default/install-bp-static-site',
      'default/install-bp-wordpress',
    ]);
    expect(mutations[0].every(d => d.locationKey === 'catalyst-templates')).toBe(true);
    const payments = entities.find(e => e.metadata.name === 'install-bp-acme-payments')!;
    expect(payments.metadata.annotations).toMatchObject({ 'catalyst.openova.io/organization': 'acme' });
    // bp-echo is unlisted: no Template (it stays installable by name from a hand-written template)
    expect(entities.map(e => e.metadata.name)).not.toContain('install-bp-echo');
  });

  it('nests the dependencies of dependency Blueprints (the bundle: cms.db)', async () => {
    const { provider, connection, mutations } = connectedProvider();
    await provider.connect(connection);
    await provider.refresh();
    const bundle = mutations[0].map(d => d.entity).find(e => e.metadata.name === 'install-bp-bundle-starter')!;
    const deps = (
      bundle.spec!.parameters as Array<{ title: string; properties: Record<string, { properties: object }> }>
    ).find(p => p.title === 'Dependencies')!;
    expect(Object.keys(deps.properties.dependencies.properties)).toEqual(['cms', 'cms.db', 'landing', 'cache']);
  });

  it('applies nothing when nothing changed, and regenerates when a Blueprint version appears', async () => {
    const { provider, connection, mutations } = connectedProvider();
    await provider.connect(connection);
    await expect(provider.refresh()).resolves.toBe(true);
    await expect(provider.refresh()).resolves.toBe(false);
    expect(mutations).toHaveLength(1);

    releaseBlueprintVersion({
      repo: join(b.dataDir, 'git/catalog.git'),
      blueprint: 'bp-wordpress',
      from: '1.4.0',
      to: '1.5.0',
      edit: yaml => yaml.replace('Self-hosted CMS for sites and blogs', 'Self-hosted CMS, now with 1.5'),
    });
    await b.triggerTask('catalyst-blueprint-registry');

    await expect(provider.refresh()).resolves.toBe(true);
    expect(mutations).toHaveLength(2);
    const wordpress = mutations[1].map(d => d.entity).find(e => e.metadata.name === 'install-bp-wordpress')!;
    expect(wordpress.metadata.annotations!['catalyst.openova.io/blueprint-version']).toBe('1.5.0');
    expect(wordpress.metadata.description).toContain('Self-hosted CMS, now with 1.5');
    const where = (
      wordpress.spec!.parameters as Array<{
        title: string;
        properties: Record<string, { enum?: string[]; default?: string }>;
      }>
    )[0];
    expect(where.properties.version).toMatchObject({ enum: ['1.5.0', '1.4.0', '1.3.0', '1.2.0'], default: '1.5.0' });
    // every other Template is still there: the mutation is full
    expect(mutations[1]).toHaveLength(mutations[0].length);
  });

  it('refuses to run before the catalog connected it', async () => {
    const { provider } = connectedProvider();
    await expect(provider.refresh()).rejects.toThrow('CatalystTemplateProvider is not connected');
  });
});
