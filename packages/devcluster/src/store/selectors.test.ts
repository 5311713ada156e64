import { matchesLabels, parseFieldSelector, parseLabelSelector, requirementsFromLabelSelector } from './selectors';

const labels = { app: 'web', tier: 'frontend', 'app.kubernetes.io/instance': 'web' };

describe('label selectors', () => {
  it.each([
    ['app=web', true],
    ['app==web', true],
    ['app!=web', false],
    ['app in (web,db)', true],
    ['app notin (web)', false],
    ['tier', true],
    ['!tier', false],
    ['missing', false],
    ['!missing', true],
    ['app.kubernetes.io/instance=web,tier in ( frontend , backend ),!missing', true],
    ['missing!=x', true],
  ])('%s matches: %s', (selector, expected) => {
    const parsed = parseLabelSelector(selector);
    expect(parsed.ok).toBe(true);
    expect(parsed.ok && matchesLabels(labels, parsed.value)).toBe(expected);
  });

  it.each(['a b', 'app=web=x', '=web', 'app in web', 'app=-bad-'])('rejects %j', selector => {
    const parsed = parseLabelSelector(selector);
    expect(parsed).toEqual({ ok: false, message: expect.stringMatching(/^unable to parse requirement/) });
  });

  it('converts spec.selector with matchLabels and matchExpressions', () => {
    const requirements = requirementsFromLabelSelector({
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['frontend'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    });
    expect(matchesLabels(labels, requirements)).toBe(true);
    expect(matchesLabels({ ...labels, legacy: 'x' }, requirements)).toBe(false);
  });
});

describe('field selectors', () => {
  it('accepts metadata fields for every kind and extra fields per kind', () => {
    expect(parseFieldSelector('metadata.name=a,metadata.namespace!=b', 'Deployment').ok).toBe(true);
    expect(parseFieldSelector('status.phase=Running', 'Pod').ok).toBe(true);
    expect(parseFieldSelector('status.phase=Running', 'Deployment')).toEqual({
      ok: false,
      message: 'field label not supported: status.phase',
    });
  });
});
