import { Entity } from '@backstage/catalog-model';
import {
  catalystNamesOf,
  isCatalystApplication,
  isCatalystAvailable,
  isCatalystBlueprint,
  isCatalystEnvironment,
} from './conditions';

const entity = (kind: string, annotations: Record<string, string> = {}): Entity => ({
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind,
  metadata: { name: 'x', annotations },
});

describe('conditions', () => {
  it.each([
    ['Blueprint', { 'catalyst.openova.io/blueprint': 'default/bp-x' }, true],
    ['Blueprint', {}, false],
    ['Environment', { 'catalyst.openova.io/environment': 'acme-dev' }, true],
    ['Application', { 'catalyst.openova.io/application': 'site', 'catalyst.openova.io/environment': 'acme-dev' }, true],
    ['Application', { 'catalyst.openova.io/application': 'site' }, false],
    ['Component', { 'catalyst.openova.io/application': 'site' }, false],
  ])('%s with %j is available: %s', (kind, annotations, expected) => {
    expect(isCatalystAvailable(entity(kind, annotations))).toBe(expected);
  });

  it('matches kinds case-insensitively, as the catalog does', () => {
    expect(isCatalystBlueprint(entity('blueprint'))).toBe(true);
    expect(isCatalystEnvironment(entity('ENVIRONMENT'))).toBe(true);
    expect(isCatalystApplication(entity('Component'))).toBe(false);
  });

  it('reads the names a page loads from the annotations', () => {
    expect(catalystNamesOf(entity('Blueprint', { 'catalyst.openova.io/blueprint': 'acme/bp-private' }))).toEqual({
      blueprint: 'bp-private',
      blueprintOrganization: 'acme',
    });
    expect(catalystNamesOf(entity('Blueprint', { 'catalyst.openova.io/blueprint': 'default/bp-redis' }))).toEqual({
      blueprint: 'bp-redis',
    });
    expect(
      catalystNamesOf(
        entity('Application', {
          'catalyst.openova.io/application': 'site',
          'catalyst.openova.io/environment': 'acme-dev',
          'catalyst.openova.io/blueprint': 'bp-static-site',
          'catalyst.openova.io/organization': 'acme',
        }),
      ),
    ).toEqual({ application: 'site', environment: 'acme-dev', blueprint: 'bp-static-site', organization: 'acme' });
  });
});
