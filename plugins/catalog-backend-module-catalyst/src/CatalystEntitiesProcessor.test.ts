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
});
