import type { GitToken } from '@internal/plugin-catalyst-common';
import { Knex } from 'knex';
import { createHash, randomBytes } from 'node:crypto';
import { GIT_TOKEN_PREFIX } from '@internal/plugin-catalyst-common';

const TABLE = 'catalyst_git_tokens';

interface Row {
  id: string;
  token_hash: string;
  name: string;
  user_ref: string;
  organization: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
}

/** The secret's SHA-256: a 256-bit random secret needs no salt or slow hash to resist guessing. */
export function hashGitSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

function toToken(row: Row): GitToken {
  return {
    id: row.id,
    name: row.name,
    organization: row.organization,
    userRef: row.user_ref,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  };
}

/**
 * Personal Git tokens in the plugin's database (shared by every replica). Secrets are generated
 * here and never stored: a lookup hashes what the Git client sent.
 */
export class GitTokenStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): GitTokenStore {
    return new GitTokenStore(db);
  }

  async create(input: {
    name: string;
    userRef: string;
    organization: string;
    createdAt: string;
    expiresAt?: string;
  }): Promise<{ token: GitToken; secret: string }> {
    const secret = `${GIT_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
    const row: Row = {
      id: `gt-${randomBytes(6).toString('hex')}`,
      token_hash: hashGitSecret(secret),
      name: input.name,
      user_ref: input.userRef,
      organization: input.organization,
      created_at: input.createdAt,
      expires_at: input.expiresAt ?? null,
      last_used_at: null,
      revoked_at: null,
    };
    await this.db(TABLE).insert(row);
    return { token: toToken(row), secret };
  }

  async listOf(userRef: string): Promise<GitToken[]> {
    const rows: Row[] = await this.db(TABLE).where({ user_ref: userRef }).orderBy('created_at', 'desc');
    return rows.map(toToken);
  }

  /** Revokes one of the user's tokens; undefined when they have no token of that id. */
  async revoke(id: string, userRef: string, at: string): Promise<GitToken | undefined> {
    await this.db(TABLE).where({ id, user_ref: userRef }).whereNull('revoked_at').update({ revoked_at: at });
    const row: Row | undefined = await this.db(TABLE).where({ id, user_ref: userRef }).first();
    return row ? toToken(row) : undefined;
  }

  /** The live token a secret belongs to (not revoked, not expired at `now`), recording its use. */
  async verify(secret: string, now: Date): Promise<GitToken | undefined> {
    if (!secret.startsWith(GIT_TOKEN_PREFIX)) return undefined;
    const row: Row | undefined = await this.db(TABLE)
      .where({ token_hash: hashGitSecret(secret) })
      .first();
    if (!row || row.revoked_at) return undefined;
    if (row.expires_at && row.expires_at <= now.toISOString()) return undefined;
    const at = now.toISOString();
    // a use per minute is enough to tell a live token from a forgotten one, without a write per fetch
    if (!row.last_used_at || Date.parse(at) - Date.parse(row.last_used_at) > 60_000) {
      await this.db(TABLE).where({ id: row.id }).update({ last_used_at: at });
      row.last_used_at = at;
    }
    return toToken(row);
  }
}
