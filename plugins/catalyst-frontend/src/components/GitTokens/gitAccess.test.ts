import type { GitToken } from '@internal/plugin-catalyst-common';
import {
  catalystGitBaseUrl,
  checkGitTokenForm,
  cloneUrlOf,
  createFailureOf,
  gitTokenState,
  isOnGitHost,
} from './gitAccess';

const now = Date.parse('2026-12-03T12:00:00Z');
const token: GitToken = {
  id: 'gt-000000000001',
  name: 'laptop',
  organization: 'acme',
  userRef: 'user:default/ada',
  createdAt: '2026-11-20T09:00:00Z',
  expiresAt: null,
  lastUsedAt: null,
  revokedAt: null,
};

describe('clone URLs', () => {
  it('puts the Git surface under the catalyst API', () => {
    expect(catalystGitBaseUrl('https://portal.example.org/api/catalyst/', 'acme')).toBe(
      'https://portal.example.org/api/catalyst/git/acme',
    );
    expect(cloneUrlOf('https://portal.example.org/api/catalyst/git/acme', 'acme-dev')).toBe(
      'https://portal.example.org/api/catalyst/git/acme/acme-dev.git',
    );
    expect(cloneUrlOf('https://portal.example.org/api/catalyst/git/acme/', 'shared-blueprints')).toBe(
      'https://portal.example.org/api/catalyst/git/acme/shared-blueprints.git',
    );
  });

  it.each([
    ['file:///var/lib/catalyst/git/acme/acme-dev.git', false],
    ['git/acme/acme-dev.git', false],
    ['https://git.example.org/acme/acme-dev.git', true],
    ['http://gitea:3000/acme/acme-dev.git', true],
    ['ssh://git@git.example.org/acme/acme-dev.git', true],
    ['git@git.example.org:acme/acme-dev.git', true],
  ])('%s is on a Git host: %s', (repository, expected) => {
    expect(isOnGitHost(repository)).toBe(expected);
  });
});

describe('gitTokenState', () => {
  it.each([
    ['active without expiry', {}, 'active'],
    ['active before its expiry', { expiresAt: '2026-12-04T00:00:00Z' }, 'active'],
    ['expired at its expiry', { expiresAt: '2026-12-03T12:00:00Z' }, 'expired'],
    [
      'revoked, whatever its expiry',
      { expiresAt: '2026-12-01T00:00:00Z', revokedAt: '2026-11-30T00:00:00Z' },
      'revoked',
    ],
  ])('%s', (_case, over, expected) => {
    expect(gitTokenState({ ...token, ...over }, now)).toBe(expected);
  });
});

describe('checkGitTokenForm', () => {
  it('builds the body, the expiry as a number and absent when empty', () => {
    expect(checkGitTokenForm({ name: ' laptop ', organization: 'acme', expiresInDays: '30' })).toEqual({
      ok: true,
      body: { name: 'laptop', organization: 'acme', expiresInDays: 30 },
    });
    expect(checkGitTokenForm({ name: 'ci: build@eu-1', organization: 'acme', expiresInDays: ' ' })).toEqual({
      ok: true,
      body: { name: 'ci: build@eu-1', organization: 'acme' },
    });
  });

  it.each([
    ['an empty name', { name: '  ' }, { name: 'give the token a name (where it is used)' }],
    ['a name with other characters', { name: 'laptop!' }, { name: 'letters, digits, spaces and . _ : @ / - only' }],
    ['no Organization', { organization: '' }, { organization: 'pick the Organization whose repos it opens' }],
    [
      '0 days',
      { expiresInDays: '0' },
      { expiresInDays: 'a whole number of days from 1 to 365, or empty for no expiry' },
    ],
    [
      '366 days',
      { expiresInDays: '366' },
      { expiresInDays: 'a whole number of days from 1 to 365, or empty for no expiry' },
    ],
    [
      '1.5 days',
      { expiresInDays: '1.5' },
      { expiresInDays: 'a whole number of days from 1 to 365, or empty for no expiry' },
    ],
  ])('names the field for %s', (_case, over, fields) => {
    expect(checkGitTokenForm({ name: 'laptop', organization: 'acme', expiresInDays: '', ...over })).toEqual({
      ok: false,
      fields,
    });
  });
});

describe('createFailureOf', () => {
  const responseError = (error: object) =>
    Object.assign(new Error('Request failed'), { body: { error }, cause: error });

  it('puts the server’s issues on their fields and keeps the others as sentences', () => {
    const error = responseError({
      name: 'InputError',
      message: 'Invalid request',
      code: 'invalid-request',
      issues: [
        { code: 'invalid-request', path: 'expiresInDays', message: 'Too big: expected number to be <=365' },
        { code: 'invalid-request', path: 'body', message: 'Unrecognized key: "scopes"' },
      ],
    });
    expect(createFailureOf(error)).toEqual({
      fields: { expiresInDays: 'Too big: expected number to be <=365' },
      other: ['body: Unrecognized key: "scopes"'],
    });
  });

  it('says the server’s message when no issue names a field', () => {
    const error = responseError({
      name: 'NotAllowedError',
      message: 'Git tokens belong to people',
      code: 'not-allowed',
    });
    expect(createFailureOf(error)).toEqual({ fields: {}, other: ['Git tokens belong to people'] });
    expect(createFailureOf(new Error('Failed to fetch'))).toEqual({ fields: {}, other: ['Failed to fetch'] });
  });
});
