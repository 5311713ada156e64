import { issuesToFieldErrors, withApplicationRefChoices } from './settingsForm';

describe('withApplicationRefChoices', () => {
  const schema = {
    type: 'object',
    properties: {
      domain: { type: 'string' },
      postgres: {
        type: 'object',
        oneOf: [
          { properties: { mode: { const: 'embedded' } } },
          {
            properties: {
              mode: { const: 'external' },
              ref: {
                type: 'string',
                'x-catalyst-ui-hint': 'application-ref',
                'x-catalyst-ui-filter': { blueprint: 'bp-postgres' },
              },
            },
          },
        ],
      },
    },
  };
  const apps = [
    { name: 'shared-postgres', blueprint: 'bp-postgres' },
    { name: 'blog-postgres', blueprint: 'bp-postgres' },
    { name: 'blog', blueprint: 'bp-wordpress' },
  ];

  it('offers the Applications of the filtered Blueprint inside oneOf branches, without touching the input', () => {
    const out = withApplicationRefChoices(schema, apps) as any;
    expect(out.properties.postgres.oneOf[1].properties.ref.enum).toEqual(['blog-postgres', 'shared-postgres']);
    expect((schema as any).properties.postgres.oneOf[1].properties.ref.enum).toBeUndefined();
    expect(out.properties.domain).toBe(schema.properties.domain);
  });

  it('leaves the field free when no Application matches', () => {
    expect(withApplicationRefChoices(schema, [{ name: 'blog', blueprint: 'bp-wordpress' }])).toBe(schema);
  });
});

describe('issuesToFieldErrors', () => {
  it('puts value issues on their fields and keeps the rest apart', () => {
    expect(
      issuesToFieldErrors([
        { code: 'invalid-values', path: 'values.replicas', message: 'must be <= 10' },
        { code: 'invalid-values', path: 'values.image.tag', message: 'must be string' },
        { code: 'invalid-values', path: 'values.replicas', message: 'must be integer' },
        { code: 'invalid-values', path: 'values.databases[1]', message: 'must match pattern' },
        { code: 'invalid-values', path: 'values["odd key"]', message: 'bad' },
        { code: 'invalid-values', path: 'values', message: "must have required property 'domain'" },
        { code: 'governed-environment', path: '', message: 'acme-prod is governed' },
        { code: 'upgrade-blocked', path: 'version', message: '1.0.x must be reinstalled' },
      ]),
    ).toEqual({
      fields: {
        replicas: { __errors: ['must be <= 10', 'must be integer'] },
        image: { tag: { __errors: ['must be string'] } },
        databases: { 1: { __errors: ['must match pattern'] } },
        'odd key': { __errors: ['bad'] },
        __errors: ["must have required property 'domain'"],
      },
      other: ['acme-prod is governed', 'version: 1.0.x must be reinstalled'],
    });
  });
});
