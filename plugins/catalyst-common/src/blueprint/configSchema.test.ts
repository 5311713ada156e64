import { applicationRefFields, applySchemaDefaults, compileConfigSchema, validateConfigValues } from './configSchema';

const schema = {
  type: 'object',
  required: ['domain'],
  properties: {
    domain: { type: 'string', format: 'hostname' },
    replicas: { type: 'integer', default: 2, minimum: 1, maximum: 20 },
    image: {
      type: 'object',
      default: {},
      properties: { tag: { type: 'string', default: '1.0' } },
    },
    backup: {
      type: 'object',
      properties: { schedule: { type: 'string', default: 'daily' } },
    },
    postgres: {
      type: 'object',
      oneOf: [
        { properties: { mode: { const: 'embedded' } }, required: ['mode'] },
        {
          properties: {
            mode: { const: 'external' },
            ref: {
              type: 'string',
              'x-catalyst-ui-hint': 'application-ref',
              'x-catalyst-ui-filter': { blueprint: 'bp-postgres' },
            },
          },
          required: ['mode', 'ref'],
        },
      ],
    },
    cache: {
      type: 'string',
      'x-catalyst-ui-hint': 'application-ref',
      'x-catalyst-ui-filter': { blueprint: 'bp-redis' },
    },
  },
  additionalProperties: false,
};

describe('configSchema', () => {
  it('compiles once per schema object', () => {
    const a = compileConfigSchema(schema);
    const b = compileConfigSchema(schema);
    expect(a.ok && b.ok && a.validate === b.validate).toBe(true);
  });

  it.each([
    [{ domain: 'acme.com' }, []],
    [{ domain: 'acme.com', replicas: 30 }, [['invalid-values', 'values.replicas']]],
    [{ replicas: 2 }, [['invalid-values', 'values.domain']]],
    [{ domain: 'not a host' }, [['invalid-values', 'values.domain']]],
    [{ domain: 'acme.com', colour: 'red' }, [['invalid-values', 'values.colour']]],
    [{ domain: 'acme.com', 'a/b': 1 }, [['invalid-values', 'values["a/b"]']]],
  ])('validates %p', (values, expected) => {
    expect(validateConfigValues(schema, values).map(i => [i.code, i.path])).toEqual(expected);
  });

  it('applies defaults where keys are missing, into objects that exist', () => {
    expect(applySchemaDefaults(schema, { domain: 'acme.com', replicas: 5 })).toEqual({
      domain: 'acme.com',
      replicas: 5,
      image: { tag: '1.0' },
    });
    expect(applySchemaDefaults(schema, { backup: {} })).toEqual({
      backup: { schedule: 'daily' },
      replicas: 2,
      image: { tag: '1.0' },
    });
  });

  it('does not share default objects between results', () => {
    const a = applySchemaDefaults(schema, {});
    (a.image as Record<string, unknown>).tag = 'changed';
    expect(applySchemaDefaults(schema, {}).image).toEqual({ tag: '1.0' });
  });

  it('finds application-ref fields, also inside oneOf branches', () => {
    expect(applicationRefFields(schema)).toEqual([
      { path: ['postgres', 'ref'], blueprint: 'bp-postgres' },
      { path: ['cache'], blueprint: 'bp-redis' },
    ]);
  });
});
