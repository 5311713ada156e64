import names from '../__fixtures__/naming/names.yaml';
import versions from '../__fixtures__/naming/versions.yaml';
import {
  NameCheck,
  dependencyApplicationName,
  hasControlCharacter,
  parseBlueprintTag,
  parseEnvironmentName,
  validateAlias,
  validateApplicationName,
  validateBlueprintName,
  validateEnvironmentName,
  validateOrganizationName,
  validateRelativePath,
  validateSovereignName,
  validateVersion,
  validateVersionRange,
} from '.';

type Row = { value: string; code?: string };
const table = names as unknown as Record<string, Row[]>;
const versionTable = versions as unknown as {
  version: Row[];
  range: Row[];
  tag: Array<Row & { blueprint?: string; version?: string }>;
  dependencyName: Array<{ app: string; blueprint: string; expected: string }>;
};

const validators: Record<string, (v: string) => NameCheck> = {
  organization: v => validateOrganizationName(v),
  environment: v => validateEnvironmentName(v),
  application: v => validateApplicationName(v),
  blueprint: v => validateBlueprintName(v),
  alias: v => validateAlias(v, 'spec.depends[0].alias'),
  relativePath: v => validateRelativePath(v, 'files'),
  sovereign: v => validateSovereignName(v),
};

/** First error code, or undefined when valid: one comparable value per row. */
function code(r: { ok: boolean; errors?: Array<{ code: string }> }): string | undefined {
  return r.ok ? undefined : r.errors?.[0]?.code;
}

const rows = Object.entries(table).flatMap(([kind, list]) => list.map(row => ({ kind, ...row })));

describe('name validators', () => {
  it.each(rows)('$kind $value → $code', ({ kind, value, code: expected }) => {
    expect(code(validators[kind](value))).toBe(expected);
  });

  it('reports the path it was given', () => {
    expect(validateApplicationName('Bad', 'dependencies.db.name')).toEqual({
      ok: false,
      errors: [
        expect.objectContaining({
          code: 'invalid-name',
          path: 'dependencies.db.name',
        }),
      ],
    });
  });

  it.each([42, null, undefined, { name: 'acme' }, ['acme']])('refuses non-string %p', value => {
    expect(code(validateOrganizationName(value))).toBe('invalid-name');
  });

  it('splits an Environment name at the last hyphen', () => {
    expect(parseEnvironmentName('omantel-internal-prod')).toEqual({
      ok: true,
      organization: 'omantel-internal',
      envType: 'prod',
    });
  });

  it('never echoes control characters into messages', () => {
    const r = validateApplicationName('a\u0000b\u001b[31m');
    expect(hasControlCharacter(r.ok ? '' : r.errors[0].message)).toBe(false);
  });
});

describe('versions, ranges and tags', () => {
  it.each(versionTable.version)('version $value → $code', ({ value, code: expected }) => {
    expect(code(validateVersion(value, 'metadata.version'))).toBe(expected);
  });

  it.each(versionTable.range)('range $value → $code', ({ value, code: expected }) => {
    expect(code(validateVersionRange(value, 'spec.depends[0].version'))).toBe(expected);
  });

  it.each(versionTable.tag)('tag $value → $code', ({ value, code: expected, blueprint, version }) => {
    const r = parseBlueprintTag(value);
    expect(r.ok ? { blueprint: r.blueprint, version: r.version } : { code: code(r) }).toEqual(
      expected ? { code: expected } : { blueprint, version },
    );
  });

  it.each(versionTable.dependencyName)('dependency name $app + $blueprint', ({ app, blueprint, expected }) => {
    const name = dependencyApplicationName(app, blueprint);
    expect(name).toBe(expected);
    expect(validateApplicationName(name)).toEqual({ ok: true });
  });

  it('keeps truncated dependency names distinct and stable', () => {
    const long = 'x'.repeat(60);
    const a = dependencyApplicationName(long, 'bp-postgres');
    const b = dependencyApplicationName(long, 'bp-postgresql');
    expect(a).not.toBe(b);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(dependencyApplicationName(long, 'bp-postgres')).toBe(a);
  });
});
