import { parse } from 'yaml';
import { parseYaml } from './safeYaml';
import { stringifyYaml } from './stringifyYaml';

/** Deterministic PRNG so a failing case can be replayed. */
function mulberry32(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Strings that YAML readers like to turn into something else, or that need escaping.
const NASTY = [
  '',
  ' ',
  'a ',
  ' a',
  'yes',
  'No',
  'ON',
  'off',
  'y',
  '~',
  'null',
  'NULL',
  'true',
  'False',
  '0',
  '-1',
  '+1',
  '1.10',
  '.5',
  '1e3',
  '1_000',
  '0755',
  '0x1F',
  '0o17',
  '0b101',
  '1:20',
  '.inf',
  '-.Inf',
  '.NaN',
  '2024-01-01',
  '2024-1-1 10:00:00',
  '<<',
  '=',
  '- a',
  '-a',
  '? a',
  ': a',
  'a: b',
  'a:',
  'a #b',
  '#c',
  '&a',
  '*a',
  '!tag',
  '|',
  '>',
  "'q'",
  '"q"',
  '%x',
  '@x',
  '`x`',
  '{a}',
  '[a]',
  'a,b',
  'x{a}',
  'tab\there',
  'line\nbreak',
  'trail\n',
  'two\n\n',
  'last\n\n\n',
  '\nlead',
  ' indented\nx',
  'cr\r\nlf',
  'nul\u0000',
  'del\u007f',
  'c1\u0085',
  'ls\u2028',
  'bom\ufeff',
  'é ü 漢字',
  '😀',
  'lone\ud800',
  'a\\b',
  '${app_name}.svc',
  'oci://charts.example.org/x:1.0.0',
  './applications/x',
  '1.4.0',
  '10m',
  '1Gi',
  'a'.repeat(1100),
];

function randomValue(random: () => number, depth: number): unknown {
  const r = random();
  if (depth > 3 || r < 0.45) {
    const kind = Math.floor(random() * 6);
    if (kind === 0) return NASTY[Math.floor(random() * NASTY.length)];
    if (kind === 1) return Math.floor(random() * 2000) - 1000;
    if (kind === 2) return Math.round(random() * 1e6) / 1e3;
    if (kind === 3) return random() < 0.5;
    if (kind === 4) return null;
    let s = '';
    for (let i = 0, n = Math.floor(random() * 12); i < n; i++) s += String.fromCharCode(Math.floor(random() * 0x250));
    return s;
  }
  if (r < 0.7) {
    return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1));
  }
  const out: Record<string, unknown> = {};
  for (let i = 0, n = Math.floor(random() * 4); i < n; i++) {
    out[String(randomValue(random, 9))] = randomValue(random, depth + 1);
  }
  return out;
}

describe('stringifyYaml round trip', () => {
  it.each(NASTY.map(s => [s]))('keeps %j a string for YAML 1.2 and 1.1 readers', s => {
    const text = stringifyYaml({ v: s, list: [s], [s]: 1 });
    const expected = { v: s, list: [s], [s]: 1 };
    expect([parseYaml(text), parse(text, { version: '1.1' })]).toEqual([{ ok: true, value: expected }, expected]);
  });

  it('reads back every random JSON value unchanged', () => {
    const random = mulberry32(2026);
    for (let i = 0; i < 1500; i++) {
      const value = { doc: randomValue(random, 0) };
      const text = stringifyYaml(value);
      const back = parseYaml(text, { maxDepth: 64 });
      expect({ i, back: back.ok ? back.value : back.errors }).toEqual({
        i,
        back: JSON.parse(JSON.stringify(value)),
      });
    }
  });

  it('writes top-level scalars, lists and empty containers', () => {
    expect([
      stringifyYaml('x'),
      stringifyYaml([]),
      stringifyYaml({}),
      stringifyYaml([[1, 2], []]),
      stringifyYaml(null),
    ]).toEqual(['x\n', '[]\n', '{}\n', '- - 1\n  - 2\n- []\n', 'null\n']);
  });

  it('writes multi-line strings as literal blocks', () => {
    expect(stringifyYaml({ a: 'one\ntwo\n', b: 'x\ny', c: 'k\n\n' })).toBe(
      'a: |\n  one\n  two\nb: |-\n  x\n  y\nc: |+\n  k\n\n',
    );
  });
});
