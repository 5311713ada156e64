import { revisionIncludes, revisionSha, shortRevision } from './revisions';

const A = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const B = 'beefcafe00112233445566778899aabbccddeeff';
const C = '0123456789abcdef0123456789abcdef01234567';

describe('revisions', () => {
  it.each([
    [`main@sha1:${A}`, A],
    [`main/${A}`, A],
    [`sha1:${A.toUpperCase()}`, A],
    ['a1b2c3d', 'a1b2c3d'],
    ['main', null],
    ['', null],
  ])('revisionSha(%s)', (input, sha) => {
    expect(revisionSha(input)).toBe(sha);
  });

  it.each([
    ['same commit', `main@sha1:${A}`, A, [], true],
    ['abbreviated desired', `main@sha1:${A}`, 'a1b2c3d', [], true],
    ['applied newer than desired', `main@sha1:${B}`, A, [B, A, C], true],
    ['applied older than desired', `main@sha1:${C}`, A, [B, A, C], false],
    ['applied unknown', `main@sha1:${C}`, A, [B, A], false],
    ['desired older than every known commit', `main@sha1:${B}`, C, [B, A], true],
    ['nothing applied', null, A, [A], false],
  ] as const)('revisionIncludes: %s', (_name, applied, desired, known, expected) => {
    expect(revisionIncludes(applied, desired, known)).toBe(expected);
  });

  it('shortens the sha and keeps the ref', () => {
    expect(shortRevision(`main@sha1:${A}`)).toBe('main@sha1:a1b2c3d');
    expect(shortRevision('main')).toBe('main');
  });
});
