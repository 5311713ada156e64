import { diffConfigSchemas, schemaFields } from './schemaDiff';

const v1 = {
  type: 'object',
  required: ['domain'],
  properties: {
    domain: { type: 'string', format: 'hostname' },
    replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
    image: { type: 'object', properties: { tag: { type: 'string', default: '1.26-alpine' } } },
  },
};
const v2 = {
  type: 'object',
  required: ['domain', 'title'],
  properties: {
    domain: { type: 'string', format: 'hostname' },
    replicas: { type: 'integer', minimum: 1, maximum: 20, default: 2 },
    image: { type: 'object', properties: { tag: { type: 'string', default: '1.27-alpine' } } },
    title: { type: 'string', maxLength: 80 },
  },
};

describe('schemaFields', () => {
  it('lists nested fields by path, with required marks', () => {
    expect(schemaFields(v1)).toEqual([
      { path: 'domain', facts: { type: 'string', format: 'hostname', required: 'yes' } },
      { path: 'image', facts: { type: 'object' } },
      { path: 'image.tag', facts: { type: 'string', default: '1.26-alpine' } },
      { path: 'replicas', facts: { type: 'integer', default: '2', minimum: '1', maximum: '10' } },
    ]);
  });

  it('merges oneOf branches into the fields of their object', () => {
    const fields = schemaFields({
      type: 'object',
      properties: {
        postgres: {
          type: 'object',
          oneOf: [
            { properties: { mode: { const: 'embedded' } }, required: ['mode'] },
            { properties: { mode: { const: 'external' }, ref: { type: 'string' } }, required: ['mode', 'ref'] },
          ],
        },
      },
    });
    expect(fields).toEqual([
      { path: 'postgres', facts: { type: 'object' } },
      { path: 'postgres.mode', facts: { const: 'embedded | external' } },
      { path: 'postgres.ref', facts: { type: 'string' } },
    ]);
  });

  it('has no fields without a schema', () => {
    expect(schemaFields(undefined)).toEqual([]);
  });
});

describe('diffConfigSchemas', () => {
  it('reports added, removed and changed fields', () => {
    expect(diffConfigSchemas(v1, v2)).toEqual([
      { path: 'image.tag', change: 'changed', details: ['default: 1.26-alpine → 1.27-alpine'] },
      { path: 'replicas', change: 'changed', details: ['maximum: 10 → 20'] },
      { path: 'title', change: 'added', details: ['maxLength: 80', 'required: yes', 'type: string'] },
    ]);
    expect(diffConfigSchemas(v2, v1)).toContainEqual({
      path: 'title',
      change: 'removed',
      details: ['maxLength: 80', 'required: yes', 'type: string'],
    });
  });

  it('says when a field becomes required', () => {
    const after = { ...v1, required: ['domain', 'replicas'] };
    expect(diffConfigSchemas(v1, after)).toEqual([
      { path: 'replicas', change: 'changed', details: ['required: no → yes'] },
    ]);
  });

  it('finds nothing between equal schemas', () => {
    expect(diffConfigSchemas(v1, JSON.parse(JSON.stringify(v1)))).toEqual([]);
  });
});
