import log from '../__fixtures__/projection/acme-prod.log.json';
import { createRandom } from '../__fixtures__/projection/generateEventLog';
import {
  CATALYST_EVENT_TYPES,
  catalystEventDataSchemas,
  createCatalystEvent,
  KnownCatalystEvent,
  validateEvent,
} from './catalystEvent';
import { natsSubjectForEvent } from './eventSubject';
import {
  catalystSubject,
  decodeSubjectToken,
  encodeSubjectToken,
  environmentSubjectFilter,
  fluxSubject,
  gitSubject,
  k8sSubject,
  SubjectResult,
} from './subjects';

const subjectOf = (r: SubjectResult) => (r.ok ? r.subject : `!${r.issue.path}`);

describe('subjects', () => {
  it.each([
    [
      'k8s pod',
      k8sSubject('acme-prod', 'Pod', 'marketing-site', 'wordpress-7d9f-a'),
      'ws.acme-prod.k8s.pod.marketing-site.wordpress-7d9f-a',
    ],
    [
      'cluster-scoped Namespace',
      k8sSubject('acme-prod', 'Namespace', null, 'marketing-site'),
      'ws.acme-prod.k8s.namespace._.marketing-site',
    ],
    [
      'a dotted name is encoded',
      k8sSubject('acme-prod', 'Service', 'shop', 'api.v2'),
      'ws.acme-prod.k8s.service.shop.api=2Ev2',
    ],
    [
      'wildcards and spaces are encoded',
      k8sSubject('acme-prod', 'Pod', 'a*b', 'x > y'),
      'ws.acme-prod.k8s.pod.a=2Ab.x=20=3E=20y',
    ],
    ['an unknown kind is rejected', k8sSubject('acme-prod', 'Secret' as 'Pod', 'ns', 'x'), '!kind'],
    ['an empty name is rejected', k8sSubject('acme-prod', 'Pod', 'ns', ''), '!name'],
    ['an invalid Environment is rejected', k8sSubject('acme.prod', 'Pod', 'ns', 'x'), '!environment'],
    ['an Environment with a wildcard is rejected', fluxSubject('acme-*', 'x'), '!environment'],
    ['Kustomization', fluxSubject('acme-prod', 'marketing-site'), 'ws.acme-prod.flux.marketing-site'],
    ['HelmRelease', fluxSubject('acme-prod', 'shop', 'HelmRelease', 'shop'), 'ws.acme-prod.flux.helmrelease.shop.shop'],
    [
      'GitRepository',
      fluxSubject('acme-prod', 'environment', 'GitRepository'),
      'ws.acme-prod.flux.gitrepository.flux-system.environment',
    ],
    ['commit', gitSubject('acme-prod', 'c1c1c1c1'), 'ws.acme-prod.git.c1c1c1c1'],
    ['an upper-case commit is rejected', gitSubject('acme-prod', 'C1C1C1C1'), '!commit'],
    ['a commit with a dot is rejected', gitSubject('acme-prod', 'abc.def0'), '!commit'],
    [
      'domain event',
      catalystSubject('acme-prod', 'change-request', 'approved'),
      'ws.acme-prod.catalyst.change-request.approved',
    ],
    ['a domain event token with > is rejected', catalystSubject('acme-prod', 'application', '>'), '!event'],
    ['an aggregate with a dot is rejected', catalystSubject('acme-prod', 'app.x', 'installed'), '!aggregate'],
    ['Environment filter', environmentSubjectFilter('acme-prod'), 'ws.acme-prod.>'],
  ])('%s', (_name, result, expected) => {
    expect(subjectOf(result)).toBe(expected);
  });

  it('encodes any string into one safe token and decodes it back', () => {
    const random = createRandom(42);
    const alphabet = ['a', 'Z', '0', '-', '.', '*', '>', ' ', '\t', '=', '_', '/', 'é', '日', '😀', '%'];
    for (let i = 0; i < 500; i++) {
      const value = Array.from(
        { length: 1 + Math.floor(random() * 12) },
        () => alphabet[Math.floor(random() * alphabet.length)],
      ).join('');
      const token = encodeSubjectToken(value);
      expect({ value, safe: /^[A-Za-z0-9=-]+$/.test(token), back: decodeSubjectToken(token) }).toEqual({
        value,
        safe: true,
        back: value,
      });
    }
  });

  it.each(['a.b', 'x=4', 'x=zz', '=C3'])('refuses to decode %s', token => {
    expect(decodeSubjectToken(token)).toBeNull();
  });
});

describe('validateEvent', () => {
  const entries = log as Array<{ event: unknown; expect: string }>;
  const valid = entries.filter(e => e.expect !== 'rejected').map(e => e.event);

  it.each(valid.map(e => [(e as { id: string }).id, e] as const))('accepts fixture event %s', (_id, event) => {
    const result = validateEvent(event);
    expect(result.ok).toBe(true);
  });

  it('has a data schema for every event type constant', () => {
    expect(Object.keys(catalystEventDataSchemas).sort()).toEqual(Object.values(CATALYST_EVENT_TYPES).sort());
  });

  const base = entries[0].event as Record<string, unknown>;
  it.each([
    ['a missing specversion', { ...base, specversion: undefined }, ['specversion']],
    ['CloudEvents 0.3', { ...base, specversion: '0.3' }, ['specversion']],
    ['a time without offset', { ...base, time: '2026-11-20T08:00:00' }, ['time']],
    ['a type with spaces', { ...base, type: 'io catalyst' }, ['type']],
    ['another content type', { ...base, datacontenttype: 'text/plain' }, ['datacontenttype']],
    ['no Environment', { ...base, catalystenv: '' }, ['catalystenv']],
    [
      'known type with wrong data',
      { ...base, data: { environment: 'acme-prod' } },
      ['data.organization', 'data.envType'],
    ],
    [
      'a k8s object without resourceVersion',
      {
        ...base,
        type: CATALYST_EVENT_TYPES.k8sObjectUpserted,
        data: { kind: 'Pod', object: { metadata: { name: 'x' } } },
      },
      ['data.object.metadata.resourceVersion'],
    ],
    [
      'an upper-case commit sha',
      {
        ...base,
        type: CATALYST_EVENT_TYPES.gitCommit,
        data: { sha: 'ABCDEF12', author: { name: 'x' }, message: 'm', time: '2026-11-20T08:00:00Z', applications: [] },
      },
      ['data.sha'],
    ],
    ['not an object', 'hello', ['']],
  ])('rejects %s', (_name, input, paths) => {
    const result = validateEvent(input);
    expect(result.ok ? [] : result.issues.map(i => i.path)).toEqual(paths);
  });

  it('accepts unknown types as envelopes the projector skips', () => {
    const result = validateEvent({ ...base, type: 'io.catalyst.future.thing', data: { anything: true } });
    expect(result.ok && !result.known).toBe(true);
  });

  it('builds envelopes with the constant fields filled in', () => {
    const event = createCatalystEvent({
      id: 'e-1',
      source: 'catalyst/test',
      type: CATALYST_EVENT_TYPES.environmentCreated,
      subject: 'environment/acme-dev',
      time: '2026-11-20T08:00:00Z',
      organization: 'acme',
      environment: 'acme-dev',
      data: { environment: 'acme-dev', organization: 'acme', envType: 'dev' },
    });
    expect(validateEvent(event)).toEqual({ ok: true, known: true, event });
  });
});

describe('natsSubjectForEvent', () => {
  const known = (log as Array<{ event: unknown }>)
    .map(e => validateEvent(e.event))
    .filter((r): r is { ok: true; known: true; event: KnownCatalystEvent } => r.ok && r.known);

  it('derives a valid subject for every known fixture event', () => {
    const subjects = known.map(r => natsSubjectForEvent(r.event));
    expect(subjects.filter(s => !s.ok)).toEqual([]);
    expect(new Set(subjects.map(s => subjectOf(s).split('.')[2]))).toEqual(new Set(['catalyst', 'flux', 'git', 'k8s']));
  });

  it.each([
    ['evt-001', 'ws.acme-prod.catalyst.environment.created'],
    ['evt-002', 'ws.acme-prod.flux.gitrepository.flux-system.environment'],
    ['evt-003', 'ws.acme-prod.git.c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1c1'],
    ['evt-006', 'ws.acme-prod.flux.marketing-site-postgres'],
    ['evt-008', 'ws.acme-prod.k8s.namespace._.marketing-site-postgres'],
    ['evt-010', 'ws.acme-prod.k8s.deployment.marketing-site-postgres.postgres'],
    ['evt-025', 'ws.acme-prod.catalyst.change-request.opened'],
  ])('%s → %s', (id, subject) => {
    const event = known.find(r => r.event.id === id)?.event;
    expect(event && subjectOf(natsSubjectForEvent(event))).toBe(subject);
  });
});
