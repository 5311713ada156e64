import cases from '../__fixtures__/expressions/cases.yaml';
import { ExpressionContext, evaluateExpression } from './evaluate';
import { parseExpression } from './parser';
import { parseTemplate, renderTemplate } from './templates';

type Fixture = {
  context: ExpressionContext;
  valid: Array<{ expr: string; value: unknown }>;
  invalid: Array<{ expr: string; code: string; column: number }>;
  templates: Array<{ template: string; value: unknown }>;
  badTemplates: Array<{ template: string; code: string; column: number }>;
};
const fixture = cases as unknown as Fixture;

function evaluate(expr: string): unknown {
  const parsed = parseExpression(expr);
  return parsed.ok ? evaluateExpression(parsed.ast, fixture.context) : parsed.errors;
}

function firstError(r: { ok: boolean; errors?: Array<{ code: string; column: number }> }) {
  return r.ok ? 'parsed' : { code: r.errors?.[0].code, column: r.errors?.[0].column };
}

describe('expressions', () => {
  it.each(fixture.valid)('$expr → $value', ({ expr, value }) => {
    expect(evaluate(expr)).toEqual(value);
  });

  it.each(fixture.invalid)('refuses $expr ($code at column $column)', ({ expr, code, column }) => {
    expect(firstError(parseExpression(expr, { path: 'spec.depends[0].when' }))).toEqual({ code, column });
  });

  it('puts the column into the message and keeps the caller path', () => {
    expect(parseExpression('.config.a = 1', { path: 'spec.depends[2].when' })).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          path: 'spec.depends[2].when',
          message: expect.stringMatching(/assignment is not supported.*\(column 11\)$/),
        }),
      ],
    });
  });

  it('limits nesting', () => {
    expect(firstError(parseExpression(`${'('.repeat(40)}true${')'.repeat(40)}`))).toEqual({
      code: 'expression-too-complex',
      column: 33,
    });
    expect(firstError(parseExpression(`${'!'.repeat(40)}true`))).toEqual({
      code: 'expression-too-complex',
      column: 33,
    });
  });

  it('limits length', () => {
    expect(firstError(parseExpression(`.config.${'a'.repeat(2000)}`))).toEqual({
      code: 'expression-too-complex',
      column: 1,
    });
  });

  it('never reads inherited or accessor properties', () => {
    const config = Object.create({ inherited: 'yes' }) as Record<string, unknown>;
    Object.defineProperty(config, 'getter', {
      get: () => 'ran',
      enumerable: true,
    });
    const context = { config, application: {}, environment: {} };
    const read = (expr: string) => {
      const p = parseExpression(expr);
      return p.ok ? evaluateExpression(p.ast, context) : 'error';
    };
    expect([read('.config.inherited'), read('.config.getter')]).toEqual([null, null]);
  });
});

describe('templates', () => {
  it.each(fixture.templates)('$template', ({ template, value }) => {
    const parsed = parseTemplate(template);
    expect(parsed.ok ? renderTemplate(parsed.template, fixture.context) : parsed.errors).toEqual(value);
  });

  it.each(fixture.badTemplates)('refuses $template', ({ template, code, column }) => {
    expect(firstError(parseTemplate(template, 'spec.depends[0].values.x'))).toEqual({ code, column });
  });
});

/** Deterministic PRNG so a failing fuzz case can be replayed. */
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
  const pieces = [
    '.config',
    '.application',
    '.environment',
    '.a',
    '.constructor',
    '.__proto__',
    '==',
    '!=',
    '&&',
    '||',
    '!',
    '(',
    ')',
    "'x'",
    '"y"',
    '1',
    '-2',
    'true',
    'null',
    ' ',
    '[',
    ']',
    ';',
    '`',
    '{{',
    '}}',
    '{',
    '}',
    '=',
    '\\',
    "'",
    '"',
    '\u0000',
    '\n',
    'é',
    '$',
    '.',
    'fn(',
    '%2e',
  ];

  it('never throws on random token soup, and evaluates whatever parses', () => {
    const random = mulberry32(20261123);
    let parsedCount = 0;
    for (let i = 0; i < 3000; i++) {
      const n = 1 + Math.floor(random() * 8);
      let text = '';
      for (let j = 0; j < n; j++) text += pieces[Math.floor(random() * pieces.length)];
      const r = parseExpression(text);
      const t = parseTemplate(`{{ ${text} }}`);
      if (r.ok) {
        parsedCount++;
        evaluateExpression(r.ast, fixture.context);
      }
      if (t.ok) renderTemplate(t.template, fixture.context);
    }
    // The soup must sometimes form valid expressions, or the test would only exercise errors.
    expect(parsedCount).toBeGreaterThan(50);
  });

  it('never throws on random characters', () => {
    const random = mulberry32(7);
    for (let i = 0; i < 2000; i++) {
      let text = '';
      const n = Math.floor(random() * 30);
      for (let j = 0; j < n; j++) text += String.fromCharCode(Math.floor(random() * 128));
      expect(() => parseTemplate(text)).not.toThrow();
    }
  });
});
