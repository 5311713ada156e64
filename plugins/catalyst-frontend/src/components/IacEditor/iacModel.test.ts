import { staticSiteDetail } from '../../__testUtils__/fixtures';
import { applicationYaml, iacSite, VALUES_YAML } from './__testUtils__/iacApplication';
import { checkIac, headTexts, IacTexts, serverProblems } from './iacModel';

const heads = headTexts(iacSite);
const check = (texts: IacTexts) => checkIac({ application: iacSite, blueprint: staticSiteDetail, heads, texts });

describe('checkIac', () => {
  it('finds nothing to do in the head as it is', () => {
    expect(check({})).toEqual({ problems: [], edited: false });
    expect(check({ ...heads })).toEqual({ problems: [], edited: false });
  });

  it.each([
    [
      'a changed setting',
      { 'values.yaml': 'domain: site.acme.example\nreplicas: 3\ntitle: Hello\n' },
      { values: { domain: 'site.acme.example', replicas: 3, title: 'Hello' } },
    ],
    [
      'a version, a size and a pause in application.yaml',
      { 'application.yaml': applicationYaml({ version: '1.2.0', overlay: 'large', paused: true }) },
      { version: '1.2.0', overlay: 'large', paused: true },
    ],
    [
      'only comments, order and quotes',
      { 'values.yaml': '# the site\ntitle: "Hello"\nreplicas: 2\ndomain: site.acme.example\n' },
      undefined,
    ],
  ])('turns %s into the update body', (_what, texts, body) => {
    const result = check(texts);
    expect(result.problems).toEqual([]);
    expect(result.body).toEqual(body);
  });

  it('resumes a paused Application when the annotation goes', () => {
    const paused = {
      ...iacSite,
      paused: true,
      files: { ...iacSite.files, 'applications/site/application.yaml': applicationYaml({ paused: true }) },
    };
    const result = checkIac({
      application: paused,
      blueprint: staticSiteDetail,
      heads: headTexts(paused),
      texts: { 'application.yaml': applicationYaml() },
    });
    expect(result.body).toEqual({ paused: false });
  });

  it.each([
    ['unclosed flow list', 'domain: a.example\nreplicas: [2\n', 'yaml-syntax', 3, /Flow sequence/],
    ['duplicate key', 'domain: a.example\ndomain: b.example\n', 'yaml-duplicate-key', 2, /Map keys must be unique/],
    ['tab indentation', 'domain: a.example\n\treplicas: 2\n', 'yaml-syntax', 2, /Tabs/],
    ['a list instead of a map', '- domain\n- replicas\n', 'invalid-values', 1, /must be a map of settings/],
  ])('flags invalid YAML in values.yaml: %s', (_what, text, code, line, message) => {
    const result = check({ 'values.yaml': text });
    expect(result.body).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'values.yaml', code, line, message: expect.stringMatching(message) }),
    ]);
    expect(result.problems[0].message).not.toMatch(/at line/);
  });

  it.each([
    ['above the maximum', 'domain: site.acme.example\nreplicas: 11\n', 'values.replicas', 2, /must be <= 10/],
    ['of the wrong type', 'domain: site.acme.example\nreplicas: two\n', 'values.replicas', 2, /must be integer/],
    ['a required setting missing', 'replicas: 2\n', 'values.domain', 1, /domain is required/],
    ['not a host name', 'domain: "not a host"\n', 'values.domain', 1, /must match format "hostname"/],
  ])('flags a schema violation in values.yaml: %s', (_what, text, path, line, message) => {
    const result = check({ 'values.yaml': text });
    expect(result.body).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({
        file: 'values.yaml',
        code: 'invalid-values',
        path,
        line,
        message: expect.stringMatching(message),
      }),
    ]);
  });

  it('validates the values against the schema of the version application.yaml asks for', () => {
    const long = `domain: site.acme.example\ntitle: Hello\nmessage: ${'x'.repeat(501)}\n`;
    // 1.1.0 has no `message` (and no additionalProperties: false): fine at the head's version
    expect(check({ 'values.yaml': long }).problems).toEqual([]);
    const upgraded = check({ 'values.yaml': long, 'application.yaml': applicationYaml({ version: '1.2.0' }) });
    expect(upgraded.problems).toEqual([expect.objectContaining({ path: 'values.message', line: 3 })]);
  });

  it("counts the size's values beneath the file's, as the server does", () => {
    // 1.1.0 made to require `cacheSize`, which only the small size sets
    const sized = {
      ...staticSiteDetail,
      versionDetails: staticSiteDetail.versionDetails.map(v =>
        v.version === '1.1.0'
          ? {
              ...v,
              configSchema: {
                ...v.configSchema,
                required: [...(((v.configSchema as { required?: string[] }).required as string[]) ?? []), 'cacheSize'],
                properties: {
                  ...(v.configSchema as { properties?: object }).properties,
                  cacheSize: { type: 'string' },
                },
              },
              overlayValues: { small: { cacheSize: '64mb' } },
            }
          : v,
      ),
    };
    const edit = { 'values.yaml': 'domain: site.acme.example\nreplicas: 3\ntitle: Hello\n' };
    expect(checkIac({ application: iacSite, blueprint: sized, heads, texts: edit }).problems).toEqual([]);
    // moved to large, which sets nothing: the requirement is the file's again
    const large = checkIac({
      application: iacSite,
      blueprint: sized,
      heads,
      texts: { ...edit, 'application.yaml': applicationYaml({ overlay: 'large' }) },
    });
    expect(large.problems).toEqual([expect.objectContaining({ file: 'values.yaml', path: 'values.cacheSize' })]);
  });

  it.each([
    [
      'metadata.name',
      applicationYaml({ name: 'other' }),
      /^metadata\.name cannot be changed here \(it is "site" at the head\)/,
    ],
    [
      'spec.blueprintRef.name',
      applicationYaml().replace('name: bp-static-site', 'name: bp-wordpress'),
      /^spec\.blueprintRef\.name cannot be changed/,
    ],
    [
      'spec.placement.mode',
      applicationYaml().replace('single-region', 'active-active'),
      /^spec\.placement\.mode cannot be changed/,
    ],
    [
      'spec.dependencies[0].application',
      applicationYaml().replace('application: site-postgres', 'application: db2'),
      /^spec\.dependencies\[0\]\.application cannot/,
    ],
    [
      'spec.overlay',
      applicationYaml({ overlay: null }),
      /^spec\.overlay cannot be removed: pick one of small, medium, large/,
    ],
    [
      'spec.blueprintRef.version',
      applicationYaml({ version: '9.9.9' }),
      /bp-static-site has no version 9\.9\.9 \(it has 1\.0\.0, 1\.1\.0, 1\.2\.0\)/,
    ],
    ['spec.overlay', applicationYaml({ overlay: 'huge' }), /small.*medium.*large/],
    [
      'metadata.annotations["catalyst.openova.io/paused"]',
      applicationYaml({ paused: true }).replace("'true'", "'yes'").replace('"true"', '"yes"'),
      /must be "true" \(paused\), or absent to resume/,
    ],
  ])('flags an edit of application.yaml the service cannot make: %s', (path, text, message) => {
    const result = check({ 'application.yaml': text });
    expect(result.body).toBeUndefined();
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'application.yaml', path, message: expect.stringMatching(message) }),
    ]);
  });

  it('places the problem on the line of the field', () => {
    const text = applicationYaml({ name: 'other' });
    const [p] = check({ 'application.yaml': text }).problems;
    expect(text.split('\n')[p.line - 1]).toContain('name: other');
    expect(text.split('\n')[p.line - 1].slice(p.column - 1, p.endColumn - 1)).toBe('name: other');
  });

  it('flags invalid YAML in application.yaml and says what to pick', () => {
    expect(check({ 'application.yaml': 'kind: [\n' }).problems).toEqual([
      expect.objectContaining({ file: 'application.yaml', code: 'yaml-syntax' }),
    ]);
  });

  it('offers values.yaml from the values when the folder lacks the file', () => {
    const bare = { ...iacSite, files: {} };
    expect(headTexts(bare)).toEqual({ 'values.yaml': 'domain: site.acme.example\nreplicas: 2\ntitle: Hello\n' });
    expect(VALUES_YAML).toBe(headTexts(iacSite)['values.yaml']);
  });
});

describe('serverProblems', () => {
  it('places the server’s issues in the file they are about and keeps the rest as sentences', () => {
    const texts = {
      'values.yaml': 'domain: x\nreplicas: 11\n',
      'application.yaml': applicationYaml({ version: '1.2.0' }),
    };
    const result = serverProblems(
      [
        { code: 'invalid-values', path: 'values.replicas', message: 'must be <= 10' },
        { code: 'upgrade-blocked', path: 'version', message: '1.2.0 blocks upgrades from 1.1.0' },
        { code: 'has-dependents', path: '', message: 'blog depends on it' },
      ],
      texts,
    );
    expect(result.problems).toEqual([
      expect.objectContaining({ file: 'values.yaml', line: 2, message: 'must be <= 10' }),
      expect.objectContaining({ file: 'application.yaml', path: 'version' }),
    ]);
    expect(texts['application.yaml'].split('\n')[result.problems[1].line - 1]).toContain('version: 1.2.0');
    expect(result.other).toEqual(['blog depends on it']);
  });
});
