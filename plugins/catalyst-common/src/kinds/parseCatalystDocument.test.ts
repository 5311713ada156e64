import fixture from '../__fixtures__/kinds/cases.yaml';
import { stringifyYaml } from '../yaml';
import { parseCatalystDocument, validateCatalystDocument } from './parseCatalystDocument';

type Issue = { code: string; path: string };
type Case = {
  name: string;
  doc?: unknown;
  text?: string;
  base?: string;
  patch?: Record<string, unknown>;
  kind?: string;
  errors?: Issue[];
};
const { bases, cases } = fixture as unknown as {
  bases: Record<string, unknown>;
  cases: Case[];
};

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** Deep merge for fixtures: "$delete" removes a key, lists and scalars replace. */
function patch(base: unknown, p: unknown): unknown {
  if (!isObject(base) || !isObject(p)) return p;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(p)) {
    if (v === '$delete') delete out[k];
    else out[k] = patch(base[k], v);
  }
  return out;
}

function textOf(c: Case): string {
  if (c.text !== undefined) return c.text;
  const doc = c.base ? patch(bases[c.base], c.patch ?? {}) : c.doc;
  return stringifyYaml(doc);
}

describe('parseCatalystDocument', () => {
  it.each(cases)('$name', c => {
    const r = parseCatalystDocument(textOf(c));
    const errors = r.ok ? [] : r.errors.map(e => ({ code: e.code, path: e.path }));
    expect(errors).toEqual(expect.arrayContaining(c.errors ?? []));
    expect(r.ok ? r.value.kind : 'invalid').toBe(c.kind ?? 'invalid');
  });

  it('applies schema defaults to valid documents', () => {
    const r = parseCatalystDocument(
      'apiVersion: catalyst.openova.io/v1alpha1\nkind: Application\nmetadata: { name: blog }\nspec:\n  environmentRef: acme-dev\n  blueprintRef: { name: bp-wordpress, version: 1.4.0, source: catalog }\n',
    );
    expect(r.ok ? r.value.spec : r.errors).toEqual({
      environmentRef: 'acme-dev',
      blueprintRef: {
        name: 'bp-wordpress',
        version: '1.4.0',
        source: 'catalog',
      },
      placement: { mode: 'single-region', regions: [] },
      dependencies: [],
    });
  });

  it('gives human messages', () => {
    const r = validateCatalystDocument(patch(bases.organization, { spec: { displayName: '$delete' } }));
    expect(r.ok ? [] : r.errors.map(e => e.message)).toEqual(['displayName is required']);
  });
});

/** Deterministic PRNG for replayable fuzzing. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('fuzz', () => {
  it('never throws for random garbage text', () => {
    const random = mulberry32(42);
    const alphabet = 'abc:-[]{}&*!|>\'"#%@`\n \t0123456789.,?~\u0000\u00e9\\';
    for (let i = 0; i < 1500; i++) {
      let text = '';
      const n = Math.floor(random() * 80);
      for (let j = 0; j < n; j++) text += alphabet[Math.floor(random() * alphabet.length)];
      expect(() => parseCatalystDocument(text)).not.toThrow();
    }
  });

  it('never throws for mutated valid documents', () => {
    const random = mulberry32(1123);
    const junk: unknown[] = [null, 0, -1, 1e309, '', 'x', [], {}, [null], { a: {} }, true, '../..', '{{ .config }}'];
    const names = Object.keys(bases);
    for (let i = 0; i < 1500; i++) {
      const base = JSON.parse(JSON.stringify(bases[names[i % names.length]])) as Record<string, unknown>;
      // Replace one random node somewhere in the document with junk.
      let node: Record<string, unknown> = base;
      for (let depth = 0; depth < 4; depth++) {
        const keys = Object.keys(node);
        if (keys.length === 0) break;
        const key = keys[Math.floor(random() * keys.length)];
        if (isObject(node[key]) && random() < 0.6) node = node[key] as Record<string, unknown>;
        else {
          node[key] = junk[Math.floor(random() * junk.length)];
          break;
        }
      }
      const r = validateCatalystDocument(base);
      // Whatever the outcome, it is a result, never an exception.
      expect(typeof r.ok).toBe('boolean');
    }
  });
});
