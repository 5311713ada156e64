import fixture from '../__fixtures__/blueprint/cases.yaml';
import { validateBlueprint } from './validateBlueprint';

type Case = {
  name: string;
  base: string;
  patch?: unknown;
  errors?: Array<{ code: string; path: string }>;
};
const { bases, cases } = fixture as unknown as {
  bases: Record<string, unknown>;
  cases: Case[];
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Fixture merge: "$delete" removes a key, lists and scalars replace. */
function patch(base: unknown, p: unknown): unknown {
  if (!isObject(base) || !isObject(p)) return p;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(p)) {
    if (v === '$delete') delete out[k];
    else out[k] = patch(base[k], v);
  }
  return out;
}

describe('validateBlueprint', () => {
  it.each(cases)('$name', c => {
    const r = validateBlueprint(patch(bases[c.base], c.patch ?? {}));
    const actual = r.ok ? [] : r.errors.map(e => ({ code: e.code, path: e.path }));
    expect(actual).toEqual(expect.arrayContaining(c.errors ?? []));
    expect(r.ok).toBe(c.errors === undefined);
  });

  it('fills defaults for optional sections', () => {
    const r = validateBlueprint(
      patch(bases.helm, {
        spec: { configSchema: '$delete', depends: '$delete' },
      }),
    );
    expect(r.ok ? [r.value.spec.configSchema, r.value.spec.depends, r.value.spec.visibility] : r.errors).toEqual([
      { type: 'object' },
      [],
      'listed',
    ]);
  });

  it('reports every problem at once', () => {
    const r = validateBlueprint(
      patch(bases.helm, {
        metadata: { name: 'wordpress', version: '1' },
        spec: {
          depends: [
            {
              blueprint: 'postgres',
              version: 'latest',
              alias: '1db',
              when: '{{ f() }}',
            },
          ],
        },
      }),
    );
    expect(r.ok ? [] : r.errors.map(e => e.code).sort()).toEqual([
      'expression-syntax',
      'invalid-alias',
      'invalid-name',
      'invalid-name',
      'invalid-version',
      'invalid-version-range',
    ]);
  });

  it.each([null, 'text', 42, [], { kind: 'Blueprint' }])('never throws for %p', doc => {
    expect(validateBlueprint(doc).ok).toBe(false);
  });
});
