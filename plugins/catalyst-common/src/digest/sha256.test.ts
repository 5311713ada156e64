import { createHash } from 'node:crypto';
import { canonicalJson, sha256Hex, valuesDigest } from './sha256';

describe('sha256Hex', () => {
  it.each([[''], ['abc'], ['a'.repeat(55)], ['a'.repeat(56)], ['a'.repeat(64)], ['a'.repeat(1000)], ['naïve – ☃ 💥']])(
    'matches node:crypto for %j',
    text => {
      expect(sha256Hex(text)).toBe(createHash('sha256').update(text, 'utf8').digest('hex'));
    },
  );
});

describe('valuesDigest', () => {
  it('ignores key order and undefined members, but not array order or types', () => {
    expect(valuesDigest({ a: 1, b: { c: 'x', d: [1, 2] } })).toBe(
      valuesDigest({ b: { d: [1, 2], c: 'x' }, a: 1, e: undefined }),
    );
    expect(valuesDigest({ d: [1, 2] })).not.toBe(valuesDigest({ d: [2, 1] }));
    expect(valuesDigest({ a: 1 })).not.toBe(valuesDigest({ a: '1' }));
    expect(valuesDigest(undefined)).toBe(valuesDigest({}));
    expect(valuesDigest({})).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it('canonical JSON sorts keys at every level', () => {
    expect(canonicalJson({ z: 1, a: { y: null, b: [true] } })).toBe('{"a":{"b":[true],"y":null},"z":1}');
  });
});
