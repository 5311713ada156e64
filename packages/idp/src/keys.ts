import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** A private JWK as oidc-provider's `jwks` takes it (with `kid`, which the DOM type lacks). */
type SigningJwk = JsonWebKey & { kid: string };

interface KeysFile {
  /** Signs the IdP's cookies (sessions, interactions). */
  cookieKeys: string[];
  /** One RS256 signing key per realm, as a private JWK — Keycloak also keeps keys per realm. */
  realms: Record<string, { keys: SigningJwk[] }>;
}

export interface IdpKeys {
  cookieKeys: string[];
  jwksFor(realm: string): { keys: SigningJwk[] };
}

function newSigningKey(): SigningJwk {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // The RFC 7638 thumbprint of the public part: a kid that changes only with the key.
  const thumbprint = createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { ...jwk, kid: thumbprint, alg: 'RS256', use: 'sig' };
}

/**
 * Loads `keys.json`, adding what is missing (a realm seen for the first time gets its key). Kept
 * on disk so that a restarted IdP still signs with the keys the portal has cached and still reads
 * the session cookies it set: a crash and restart signs nobody out.
 */
export function loadOrCreateKeys(file: string, realms: readonly string[]): IdpKeys {
  let stored: KeysFile = { cookieKeys: [], realms: {} };
  if (existsSync(file)) {
    try {
      stored = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
    } catch (error) {
      throw new Error(`${file} is unreadable (${(error as Error).message}); delete it to make new keys`);
    }
  }
  let changed = false;
  if (!Array.isArray(stored.cookieKeys) || stored.cookieKeys.length === 0) {
    stored.cookieKeys = [randomBytes(32).toString('base64url')];
    changed = true;
  }
  stored.realms = stored.realms ?? {};
  for (const realm of realms) {
    if (!stored.realms[realm]?.keys?.length) {
      stored.realms[realm] = { keys: [newSigningKey()] };
      changed = true;
    }
  }
  if (changed) {
    mkdirSync(dirname(file), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, file);
  }
  return {
    cookieKeys: stored.cookieKeys,
    jwksFor: realm => ({ keys: stored.realms[realm].keys }),
  };
}
