import cases from '../__fixtures__/expressions/cases.yaml';
import { ExpressionContext } from './evaluate';
import { evaluateWhen, renderTemplateValues, validateTemplateValues, validateWhen } from './templates';

const { context } = cases as unknown as { context: ExpressionContext };

describe('values templates', () => {
  it('renders a values tree, keeping types of whole-string templates', () => {
    const values = {
      databases: ['{{ .application.name }}'],
      size: 'medium',
      replicas: '{{ .config.replicas }}',
      nested: {
        host: 'db.{{ .environment.name }}.svc',
        enabled: '{{ .config.enabled }}',
      },
      count: 3,
    };
    expect(renderTemplateValues(values, context)).toEqual({
      ok: true,
      value: {
        databases: ['marketing-site'],
        size: 'medium',
        replicas: 2,
        nested: { host: 'db.acme-prod.svc', enabled: true },
        count: 3,
      },
    });
  });

  it('does not evaluate templates that arrive inside values (no template injection)', () => {
    const injected = {
      ...context,
      config: { title: '{{ .config.constructor }}{{ .environment.name }}' },
    };
    expect(renderTemplateValues({ title: '{{ .config.title }}', t2: 'x {{ .config.title }}' }, injected)).toEqual({
      ok: true,
      value: {
        title: '{{ .config.constructor }}{{ .environment.name }}',
        t2: 'x {{ .config.constructor }}{{ .environment.name }}',
      },
    });
  });

  it('keeps __proto__ keys as data when copying values', () => {
    const values = JSON.parse('{"__proto__": {"polluted": "{{ .application.name }}"}}') as object;
    const r = renderTemplateValues(values, context);
    const out = r.ok ? (r.value as object) : {};
    expect(Object.keys(out)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('reports the JSON path of every bad template', () => {
    const issues = validateTemplateValues(
      {
        databases: ['{{ .application.name() }}'],
        deep: { x: ['ok', '{{ .secret }}'] },
      },
      ['spec', 'depends', 0, 'values'],
    );
    expect(issues.map(i => [i.code, i.path])).toEqual([
      ['expression-syntax', 'spec.depends[0].values.databases[0]'],
      ['expression-unknown-root', 'spec.depends[0].values.deep.x[1]'],
    ]);
  });
});

describe('when', () => {
  it.each([
    [undefined, true],
    [true, true],
    [false, false],
    ["{{ .config.postgres.mode == 'embedded' }}", true],
    ["{{ .config.postgres.mode == 'external' }}", false],
    ['{{ .config.missing }}', false],
    ['{{ .config.tags }}', true],
  ] as Array<[string | boolean | undefined, boolean]>)('%p → %p', (when, expected) => {
    expect(evaluateWhen(when, context, 'spec.depends[0].when')).toEqual({
      ok: true,
      value: expected,
    });
  });

  it.each([
    ['true', 'invalid-when'],
    ['x {{ true }}', 'invalid-when'],
    ['{{ true }} {{ false }}', 'invalid-when'],
    ['{{ .config.a( }}', 'expression-syntax'],
  ])('refuses %p', (when, code) => {
    expect(validateWhen(when, 'spec.depends[0].when').map(i => i.code)).toEqual([code]);
  });

  it('refuses non-string, non-boolean predicates', () => {
    expect(validateWhen(1, 'spec.depends[0].when').map(i => i.code)).toEqual(['invalid-when']);
  });
});
