import { substituteVariables, validateVariableNames } from './substitute';

const vars = { app_name: 'web', replicas: '3', empty: '' };

describe('substituteVariables', () => {
  it.each([
    ['name: ${app_name}', 'name: web'],
    ['replicas: ${replicas}', 'replicas: 3'],
    ['replicas: ${missing:=2}', 'replicas: 2'],
    ['replicas: ${replicas:=2}', 'replicas: 3'],
    ['x: ${missing:-d}', 'x: d'],
    ['x: ${empty:=d}', 'x: d'],
    ['x: ${empty=d}', 'x: '],
    ['x: ${missing=d}', 'x: d'],
    ['x: "${missing}"', 'x: ""'],
    ['literal: $${app_name}', 'literal: ${app_name}'],
    ['shell: $HOME and $app_name stay', 'shell: $HOME and $app_name stay'],
    ['cost: $5', 'cost: $5'],
    ['url: http://${app_name}.${app_name}.svc:${port:=80}', 'url: http://web.web.svc:80'],
    ['default with colon: ${img:=nginx:1.27}', 'default with colon: nginx:1.27'],
  ])('%j → %j', (input, expected) => {
    expect(substituteVariables(input, vars)).toEqual({ ok: true, text: expected });
  });

  it.each([
    ['${}', /unsupported variable expression/],
    ['${app_name/x/y}', /unsupported variable expression/],
    ['${1abc}', /unsupported variable expression/],
    ['${app_name', /bad substitution/],
  ])('rejects %j', (input, message) => {
    const result = substituteVariables(input, vars);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(message);
  });

  it('leaves unset variables empty like Flux, unless strict mode is on', () => {
    expect(substituteVariables('x: ${nope}', {})).toEqual({ ok: true, text: 'x: ' });
    expect(substituteVariables('x: ${nope}', {}, { strict: true })).toEqual({
      ok: false,
      message: 'variable not set (strict mode): "nope"',
    });
  });

  it('validates variable names like Flux', () => {
    expect(validateVariableNames({ ok_name: 'x', _x1: 'y' })).toBeUndefined();
    expect(validateVariableNames({ 'bad-name': 'x' })).toMatch(/'bad-name' var name is invalid/);
  });
});
