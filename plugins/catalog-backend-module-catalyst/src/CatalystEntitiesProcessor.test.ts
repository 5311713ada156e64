import type { Entity } from '@backstage/catalog-model';
import { CatalystEntitiesProcessor } from './CatalystEntitiesProcessor';

const group = (name: string, namespace = 'acme'): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name, namespace },
  spec: { type: 'team', children: [], members: ['user:acme/mallory'] },
});

describe('CatalystEntitiesProcessor', () => {
  const processor = new CatalystEntitiesProcessor();

  it('refuses Groups named like a Catalyst role Group, from any source', async () => {
    await expect(processor.preProcessEntity(group('catalyst-org-admin'))).rejects.toThrow(
      'Group acme/catalyst-org-admin: names starting with "catalyst-" are reserved',
    );
    await expect(processor.preProcessEntity(group('Catalyst-Sovereign-Admin', 'default'))).rejects.toThrow(/reserved/);
  });

  it('passes other Groups and other kinds through unchanged', async () => {
    const team = group('team-platform');
    await expect(processor.preProcessEntity(team)).resolves.toBe(team);
    const component = { ...team, kind: 'Component', metadata: { name: 'catalyst-docs' } };
    await expect(processor.preProcessEntity(component)).resolves.toBe(component);
  });

  it("refuses Catalyst's kinds and its Organization annotation from any location but Catalyst's own", async () => {
    const url = { type: 'url', target: 'https://git.example/evil/catalog-info.yaml' };
    const application: Entity = {
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'Application',
      metadata: { name: 'shop', namespace: 'acme' },
      spec: {},
    };
    const posing: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'shop',
        namespace: 'acme',
        annotations: { 'catalyst.openova.io/organization': 'acme', 'backstage.io/kubernetes-id': 'shop' },
      },
      spec: { type: 'service', owner: 'group:acme/team-platform', lifecycle: 'production' },
    };
    await expect(processor.preProcessEntity(application, url)).rejects.toThrow(
      "Application acme/shop from url:https://git.example/evil/catalog-info.yaml: the kind Application is Catalyst's own",
    );
    await expect(processor.preProcessEntity(posing, url)).rejects.toThrow(
      /Component acme\/shop from url:.*the annotation catalyst.openova.io\/organization is Catalyst's own/,
    );
    // the same entities from Catalyst's registry and templates providers pass
    await expect(processor.preProcessEntity(application, { type: 'catalyst', target: 'registry' })).resolves.toBe(
      application,
    );
    await expect(processor.preProcessEntity(posing, { type: 'catalyst', target: 'templates/acme/bp-x' })).resolves.toBe(
      posing,
    );
  });
});
