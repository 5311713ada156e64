import { createHash } from 'node:crypto';

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

// The alphabet Kubernetes uses for generated name suffixes (no vowels, no
// look-alike digits), so names look like the ones real controllers produce.
const SAFE_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A deterministic name suffix of `length` characters derived from `seed`. */
export function safeSuffix(seed: string, length: number): string {
  const digest = createHash('sha256').update(seed).digest();
  let out = '';
  for (let i = 0; i < length; i++) {
    out += SAFE_ALPHABET[digest[i] % SAFE_ALPHABET.length];
  }
  return out;
}

/** A deterministic UUID-shaped id (object uids must be unique per object, not random). */
export function deterministicUid(seed: string): string {
  const hex = sha256Hex(seed);
  return [hex.slice(0, 8), hex.slice(8, 12), `4${hex.slice(13, 16)}`, `8${hex.slice(17, 20)}`, hex.slice(20, 32)].join(
    '-',
  );
}
