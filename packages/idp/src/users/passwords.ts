import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt cost: these are demo passwords on loopback, and every test sign-in pays the cost, so
// Node's default N=2^14 rather than OWASP's 2^17 for production password stores. The parameters
// are stored with each hash, so a stronger cost only applies to new hashes.
const N = 16384;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number, length: number): Promise<Buffer> {
  return new Promise((resolvePromise, reject) => {
    // Node refuses scrypt when 128 * N * r exceeds maxmem (32 MiB by default): give it twice that.
    scrypt(password, salt, length, { N: n, r, p, maxmem: 128 * n * r * 2 }, (error, key) =>
      error ? reject(error) : resolvePromise(key),
    );
  });
}

/** `scrypt:N:r:p:<salt>:<key>` (base64url), so the cost can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P, KEY_LENGTH);
  return ['scrypt', N, R, P, salt.toString('base64url'), key.toString('base64url')].join(':');
}

const HASH_PATTERN = /^scrypt:(\d+):(\d+):(\d+):([A-Za-z0-9_-]+):([A-Za-z0-9_-]+)$/;

export function isPasswordHash(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = HASH_PATTERN.exec(value);
  if (!m) return false;
  const n = Number(m[1]);
  // A power of two, and small enough that a hand-edited file cannot make one sign-in eat the machine.
  return n >= 1024 && n <= 1 << 20 && (n & (n - 1)) === 0 && Number(m[2]) <= 32 && Number(m[3]) <= 16;
}

/** Constant-time comparison of a password with a stored hash; false for anything malformed. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const m = HASH_PATTERN.exec(stored);
  if (!m || !isPasswordHash(stored)) return false;
  const expected = Buffer.from(m[5], 'base64url');
  if (expected.length < 16) return false;
  const key = await derive(
    password,
    Buffer.from(m[4], 'base64url'),
    Number(m[1]),
    Number(m[2]),
    Number(m[3]),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

/** A hash no password matches, verified against for unknown users so they take as long as known ones. */
export const UNUSABLE_HASH = `scrypt:${N}:${R}:${P}:${Buffer.alloc(16).toString('base64url')}:${Buffer.alloc(
  KEY_LENGTH,
).toString('base64url')}`;
