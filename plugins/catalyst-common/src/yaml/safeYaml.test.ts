import cases from '../__fixtures__/yaml/cases.yaml';
import { SafeYamlOptions, parseYaml, parseYamlAll } from './safeYaml';
import { stringifyYaml, stringifyYamlDocuments } from './stringifyYaml';

type Case = {
  name: string;
  text: string;
  options?: SafeYamlOptions;
  value?: unknown;
  code?: string;
};

function outcome(r: { ok: true; value: unknown } | { ok: false; errors: Array<{ code: string }> }) {
  return r.ok ? { value: r.value } : { code: r.errors[0].code };
}

describe('parseYaml', () => {
  it.each(cases as unknown as Case[])('$name', c => {
    expect(outcome(parseYaml(c.text, c.options))).toEqual(c.code ? { code: c.code } : { value: c.value });
  });

  it('refuses a document over the default 1 MiB limit without parsing it', () => {
    const big = `a: "${'x'.repeat(1024 * 1024)}"\n`;
    expect(outcome(parseYaml(big))).toEqual({ code: 'yaml-too-large' });
  });

  it('prefixes issues with the given path and says where the syntax error is', () => {
    const r = parseYaml('a: [1\n', { path: 'files["blueprint.yaml"]' });
    expect(r).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'yaml-syntax',
          path: 'files["blueprint.yaml"]',
          message: expect.stringMatching(/line \d+/),
        }),
      ],
    });
  });

  it('keeps __proto__ as an own key and does not pollute Object.prototype', () => {
    const r = parseYaml('__proto__: { polluted: true }\n');
    const value = r.ok ? (r.value as object) : {};
    expect(Object.keys(value)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reads every document of a stream with parseYamlAll', () => {
    expect(parseYamlAll('a: 1\n---\nb: 2\n')).toEqual({
      ok: true,
      values: [{ a: 1 }, { b: 2 }],
    });
  });

  it('reports the document index of a bad document in a stream', () => {
    expect(parseYamlAll('a: 1\n---\nb: [\n')).toEqual({
      ok: false,
      errors: [expect.objectContaining({ code: 'yaml-syntax', path: '[1]' })],
    });
  });
});

describe('stringifyYaml', () => {
  const value = { b: { z: 1, a: [1, { k: 'v' }] }, a: 'x' };

  it('keeps insertion order by default and sorts every map when asked', () => {
    expect(stringifyYaml(value)).toBe('b:\n  z: 1\n  a:\n    - 1\n    - k: v\na: x\n');
    expect(stringifyYaml(value, { sortKeys: true })).toBe('a: x\nb:\n  a:\n    - 1\n    - k: v\n  z: 1\n');
  });

  it('is byte-identical for equal input', () => {
    expect(stringifyYaml(JSON.parse(JSON.stringify(value)))).toBe(stringifyYaml(value));
  });

  it('never emits anchors for repeated objects', () => {
    const shared = { x: 1 };
    expect(stringifyYaml({ a: shared, b: shared })).toBe('a:\n  x: 1\nb:\n  x: 1\n');
  });

  it.each(['yes', 'no', 'on', 'off', 'y', 'N', 'true', '0755', '1.10', '3', 'null', '~', '2024-01-01', '1_000', ''])(
    'quotes the string %p so YAML 1.1 readers (kustomize) keep it a string',
    s => {
      const text = stringifyYaml({ v: s });
      expect(parseYaml(text)).toEqual({ ok: true, value: { v: s } });
      expect(text).toMatch(/^v: ["']/);
    },
  );

  it('does not fold long lines', () => {
    const long = 'word '.repeat(40).trim();
    expect(stringifyYaml({ long })).toBe(`long: ${long}\n`);
  });

  it('joins several documents with ---', () => {
    expect(stringifyYamlDocuments([{ a: 1 }, { b: 2 }])).toBe('a: 1\n---\nb: 2\n');
  });
});
