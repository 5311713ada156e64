import type { JsonObject, JsonValue } from '@backstage/types';
import { BlueprintDetail, compileConfigSchema } from '@internal/plugin-catalyst-common';
import { acmePayments, bundle, byName, postgres, staticSite, wordpress } from './__fixtures__/blueprints';
import { blueprintTemplate } from './blueprintTemplate';
import { dependencyEntries } from './dependencyEntries';
import { toFormSchema } from './formSchema';

const lookup = byName(wordpress, postgres, staticSite, bundle, acmePayments);
const params = (detail: BlueprintDetail) => blueprintTemplate(detail, { lookup }).spec.parameters as JsonObject[];
const step = (detail: BlueprintDetail, title: string) => {
  const found = params(detail).find(p => p.title === title);
  if (!found) throw new Error(`no ${title} step`);
  return found as JsonObject & { properties: Record<string, JsonObject>; required?: string[] };
};

/** The form schema as the form's validator sees it: the scaffolder strips the ui: keys first. */
function withoutUi(value: JsonValue): JsonValue {
  if (Array.isArray(value)) return value.map(withoutUi);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => !k.startsWith('ui:'))
        .map(([k, v]) => [k, withoutUi(v as JsonValue)]),
    );
  }
  return value;
}

describe('blueprintTemplate', () => {
  describe('bp-wordpress (public, conditional dependency, application-ref branch)', () => {
    const entity = blueprintTemplate(wordpress, { lookup });

    it('is template:default/install-bp-wordpress of type catalyst-blueprint, owned like its Blueprint', () => {
      expect(entity).toMatchObject({
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: {
          name: 'install-bp-wordpress',
          namespace: 'default',
          title: 'Install WordPress',
          tags: ['catalyst', 'cms', 'blog', 'php'],
          labels: { 'catalyst.openova.io/visibility': 'listed' },
          annotations: {
            'catalyst.openova.io/blueprint': 'default/bp-wordpress',
            'catalyst.openova.io/blueprint-version': '1.4.0',
            'backstage.io/managed-by-location': 'catalyst:templates/default/bp-wordpress',
            'backstage.io/managed-by-origin-location': 'catalyst:templates/default/bp-wordpress',
          },
          links: [{ url: 'https://wordpress.org/documentation/', title: 'Documentation' }],
        },
        spec: { type: 'catalyst-blueprint', owner: 'group:default/blueprint-catalog' },
      });
      expect(entity.metadata.annotations).not.toHaveProperty('catalyst.openova.io/organization');
      expect(params(wordpress).map(p => p.title)).toEqual(['Where', 'Configuration', 'Dependencies']);
    });

    it('asks where: an installable Environment, a DNS-label name, a version (latest first) and a size', () => {
      const where = step(wordpress, 'Where');
      expect(where.required).toEqual(['environment', 'name']);
      expect(where.properties.environment).toMatchObject({ type: 'string', 'ui:field': 'CatalystEnvironmentPicker' });
      expect(where.properties.environment).not.toHaveProperty('ui:options');
      expect(where.properties.name).toMatchObject({
        type: 'string',
        pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$',
        maxLength: 63,
      });
      expect(where.properties.version).toMatchObject({ enum: ['1.4.0', '1.3.0', '1.2.0'], default: '1.4.0' });
      expect(where.properties.overlay).toMatchObject({ enum: ['small', 'medium', 'large'], default: 'small' });
    });

    it('turns the latest configSchema into the form: required, defaults and bounds kept, hints mapped to fields', () => {
      const values = step(wordpress, 'Configuration').properties.values as JsonObject & {
        properties: Record<string, JsonObject>;
      };
      expect(values.required).toEqual(['domain', 'adminEmail']);
      expect(values.properties.replicas).toEqual({
        type: 'integer',
        minimum: 1,
        maximum: 20,
        default: 2,
        description: 'Web replicas',
      });
      expect(values.properties.title).toMatchObject({ default: 'My WordPress site', maxLength: 120 });
      expect(values.properties.domain).toEqual({
        type: 'string',
        format: 'hostname',
        description: 'Public host name of the site',
        'ui:field': 'CatalystDomainPicker',
      });
      expect(JSON.stringify(values)).not.toContain('x-catalyst-ui');
    });

    it('renders the postgres oneOf as a choice of titled branches; the external branch picks a bp-postgres Application of the Environment', () => {
      const values = step(wordpress, 'Configuration').properties.values as JsonObject & {
        properties: Record<string, JsonObject>;
      };
      const [embedded, external] = values.properties.postgres.oneOf as Array<
        JsonObject & { properties: Record<string, JsonObject> }
      >;
      expect(values.properties.postgres.default).toEqual({ mode: 'embedded' });
      expect(embedded).toMatchObject({
        type: 'object',
        title: 'Embedded (a new PostgreSQL Application)',
        required: ['mode'],
      });
      expect(embedded.properties.mode).toEqual({
        type: 'string',
        const: 'embedded',
        default: 'embedded',
        'ui:widget': 'hidden',
      });
      expect(external.required).toEqual(['mode', 'ref']);
      expect(external.properties.ref).toEqual({
        type: 'string',
        description: 'The PostgreSQL Application to use',
        'ui:field': 'CatalystApplicationRefPicker',
        'ui:options': { blueprint: 'bp-postgres', environment: 'current' },
      });
    });

    it.each<[string, JsonObject, boolean]>([
      [
        'defaults plus the required fields',
        { domain: 'a.example', adminEmail: 'x@a.example', replicas: 2, postgres: { mode: 'embedded' } },
        true,
      ],
      ['domain missing', { adminEmail: 'x@a.example' }, false],
      ['not a host name', { domain: 'not a host', adminEmail: 'x@a.example' }, false],
      ['replicas above maximum', { domain: 'a.example', adminEmail: 'x@a.example', replicas: 21 }, false],
      [
        'external with its ref',
        { domain: 'a.example', adminEmail: 'x@a.example', postgres: { mode: 'external', ref: 'shared-postgres' } },
        true,
      ],
      [
        'external without a ref',
        { domain: 'a.example', adminEmail: 'x@a.example', postgres: { mode: 'external' } },
        false,
      ],
    ])('validates in the form as the backend will: %s', (_, data, valid) => {
      const form = withoutUi(step(wordpress, 'Configuration').properties.values) as JsonObject;
      const compiledForm = compileConfigSchema(form);
      const compiledBlueprint = compileConfigSchema(wordpress.versionDetails[0].configSchema);
      if (!compiledForm.ok || !compiledBlueprint.ok) throw new Error('schemas must compile in strict mode');
      expect(compiledForm.validate(data)).toBe(valid);
      expect(compiledBlueprint.validate(data)).toBe(valid);
    });

    it('offers a new-or-existing choice for the database, noting when it is used', () => {
      const deps = step(wordpress, 'Dependencies').properties.dependencies as JsonObject & {
        properties: Record<string, JsonObject>;
      };
      expect(Object.keys(deps.properties)).toEqual(['db']);
      expect(deps.properties.db).not.toHaveProperty('description');
      expect(deps.properties.db).toMatchObject({
        title: 'db: PostgreSQL (bp-postgres ^1.5)',
        default: { use: 'new' },
        required: ['use'],
        'ui:field': 'CatalystDependencyChoice',
        'ui:options': {
          path: 'db',
          alias: 'db',
          blueprint: 'bp-postgres',
          range: '^1.5',
          shortName: 'postgres',
          when: ".config.postgres.mode == 'embedded'",
        },
      });
    });

    it('plans, then installs, with the form values, and links the Application and the commit', () => {
      const input = {
        environment: '${{ parameters.environment }}',
        application: '${{ parameters.name }}',
        blueprint: 'bp-wordpress',
        version: '${{ parameters.version }}',
        overlay: '${{ parameters.overlay }}',
        values: '${{ parameters.values }}',
        dependencies: '${{ parameters.dependencies }}',
      };
      expect(entity.spec.steps).toEqual([
        { id: 'plan', name: 'Plan', action: 'catalyst:application:plan', input },
        { id: 'install', name: 'Install', action: 'catalyst:application:install', input },
      ]);
      expect((entity.spec.output as JsonObject).links).toEqual([
        { title: 'Open the Application', icon: 'catalog', url: '${{ steps.install.output.applicationUrl }}' },
        {
          title: 'The commit',
          url: '${{ steps.install.output.commitUrl }}',
          if: '${{ steps.install.output.commitUrl }}',
        },
        {
          title: 'The change request',
          url: '${{ steps.install.output.changeRequestUrl }}',
          if: '${{ steps.install.output.changeRequestUrl }}',
        },
      ]);
    });
  });

  describe('bp-bundle-starter (composite)', () => {
    it('asks for a name prefix and no size, and a choice for every part and nested dependency by alias path', () => {
      const where = step(bundle, 'Where');
      expect(where.properties.name.title).toBe('Name prefix');
      expect(where.properties).not.toHaveProperty('overlay');
      const deps = step(bundle, 'Dependencies').properties.dependencies as JsonObject & {
        properties: Record<string, JsonObject>;
      };
      expect(Object.keys(deps.properties)).toEqual(['cms', 'cms.db', 'landing', 'cache']);
      expect(deps.properties['cms.db']).toMatchObject({
        title: 'cms.db: PostgreSQL (bp-postgres ^1.5)',
        'ui:options': { path: 'cms.db', alias: 'db', parent: 'cms' },
      });
      expect(deps.properties['cms.db'].description).toContain(
        'Needed by cms (bp-wordpress), only if cms is created new.',
      );
      // bp-redis is not known to the lookup: still a choice, titled by its name
      expect(deps.properties.cache.title).toBe('cache: bp-redis (bp-redis ^1.1)');
      const install = (blueprintTemplate(bundle, { lookup }).spec.steps as JsonObject[])[1].input as JsonObject;
      expect(install).not.toHaveProperty('overlay');
    });
  });

  describe('bp-acme-payments (private to acme)', () => {
    const entity = blueprintTemplate(acmePayments, { lookup });

    it("lives in the Organization's namespace, carries its annotation, and is owned by its team", () => {
      expect(entity.metadata).toMatchObject({
        name: 'install-bp-acme-payments',
        namespace: 'acme',
        labels: { 'catalyst.openova.io/visibility': 'private' },
        annotations: {
          'catalyst.openova.io/blueprint': 'acme/bp-acme-payments',
          'catalyst.openova.io/organization': 'acme',
        },
      });
      expect(entity.metadata.description).toBe(
        "ACME's internal payment-intent service. Installs bp-acme-payments (latest 1.0.0) into an Environment as one commit, with its dependencies. Private to acme.",
      );
      expect(entity.spec.owner).toBe('group:acme/team-platform');
      expect(blueprintTemplate(acmePayments, { lookup, organizationTeams: ['team-web'] }).spec.owner).toBe(
        'group:default/acme',
      );
    });

    it("offers only the Organization's Environments and masks the password, also on the review step", () => {
      expect(step(acmePayments, 'Where').properties.environment['ui:options']).toEqual({ organization: 'acme' });
      const values = step(acmePayments, 'Configuration').properties.values as JsonObject & {
        properties: Record<string, JsonObject>;
      };
      expect(values.properties.apiKey).toEqual({
        type: 'string',
        minLength: 16,
        'ui:field': 'CatalystPassword',
        'ui:backstage': { review: { mask: '••••••••' } },
      });
    });
  });
});

describe('toFormSchema', () => {
  it('walks schema keywords only: a property named like a keyword is still a schema', () => {
    const form = toFormSchema({
      type: 'object',
      properties: { default: { type: 'string', 'x-catalyst-ui-hint': 'password' }, enum: { type: 'string' } },
      default: { default: 'x-catalyst-ui-hint' },
    });
    expect(form).toEqual({
      type: 'object',
      properties: {
        default: { type: 'string', 'ui:field': 'CatalystPassword', 'ui:backstage': { review: { mask: '••••••••' } } },
        enum: { type: 'string' },
      },
      default: { default: 'x-catalyst-ui-hint' },
    });
  });

  it('titles an untitled branch by its fixed values', () => {
    const form = toFormSchema({ type: 'object', oneOf: [{ properties: { mode: { const: 'a' }, n: { const: 2 } } }] });
    expect((form.oneOf as JsonObject[])[0]).toMatchObject({
      type: 'object',
      title: 'mode: a, n: 2',
      properties: { n: { type: 'integer', const: 2, default: 2, 'ui:widget': 'hidden' } },
    });
  });
});

describe('dependencyEntries', () => {
  it('stops at a cycle instead of recursing forever', () => {
    const a: BlueprintDetail = {
      ...postgres,
      name: 'bp-a',
      versions: ['1.0.0'],
      latestVersion: '1.0.0',
      versionDetails: [
        {
          ...postgres.versionDetails[0],
          version: '1.0.0',
          depends: [{ blueprint: 'bp-b', version: '^1', alias: 'b' }],
        },
      ],
    };
    const b: BlueprintDetail = {
      ...a,
      name: 'bp-b',
      versionDetails: [{ ...a.versionDetails[0], depends: [{ blueprint: 'bp-a', version: '^1', alias: 'a' }] }],
    };
    expect(dependencyEntries(a, byName(a, b)).map(e => e.path)).toEqual(['b', 'b.a']);
  });

  it('follows the version each range resolves to, not the latest', () => {
    const old: BlueprintDetail = {
      ...wordpress,
      name: 'bp-old-cms',
      versionDetails: [
        { ...wordpress.versionDetails[0], depends: [{ blueprint: 'bp-wordpress', version: '~1.2.0', alias: 'cms' }] },
      ],
      versions: ['1.4.0'],
    };
    const entries = dependencyEntries(old, lookup);
    expect(entries.map(e => [e.path, e.version, e.range])).toEqual([
      ['cms', '1.2.0', '~1.2.0'],
      ['cms.db', '1.6.0', '^1.4'],
    ]);
  });
});
