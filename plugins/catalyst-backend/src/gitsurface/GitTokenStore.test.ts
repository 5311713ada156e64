import { Knex } from 'knex';
import { TEST_DATABASE_ENGINES, useTestDatabases } from '../__testUtils__/database';
import { GitTokenStore, hashGitSecret } from './GitTokenStore';

jest.setTimeout(60_000);

describe.each(TEST_DATABASE_ENGINES)('GitTokenStore on %s', engine => {
  const databases = useTestDatabases(engine);
  let db: Knex;
  let store: GitTokenStore;
  const at = (minute: number) => new Date(Date.UTC(2026, 11, 3, 12, minute));

  beforeEach(async () => {
    db = await databases.create();
    store = GitTokenStore.create(db);
  });

  const make = (extra: { expiresAt?: string } = {}) =>
    store.create({
      name: 'laptop',
      userRef: 'user:default/layla',
      organization: 'acme',
      createdAt: at(0).toISOString(),
      ...extra,
    });

  it('keeps only the hash of the secret, and finds the token by the secret', async () => {
    const { token, secret } = await make();
    const rows = await db('catalyst_git_tokens').select();
    expect(JSON.stringify(rows)).not.toContain(secret);
    expect(rows[0].token_hash).toBe(hashGitSecret(secret));
    expect(await store.verify(secret, at(1))).toMatchObject({ id: token.id, userRef: 'user:default/layla' });
    expect(await store.verify(`${secret}x`, at(1))).toBeUndefined();
    expect(await store.verify('not-a-catalyst-token', at(1))).toBeUndefined();
  });

  it('records use at most once a minute', async () => {
    const { secret } = await make();
    expect((await store.verify(secret, at(1)))?.lastUsedAt).toBe(at(1).toISOString());
    expect((await store.verify(secret, at(1)))?.lastUsedAt).toBe(at(1).toISOString());
    expect((await store.verify(secret, at(3)))?.lastUsedAt).toBe(at(3).toISOString());
  });

  it('stops a revoked token at once and an expired one at its time; only the owner revokes', async () => {
    const { token, secret } = await make();
    expect(await store.revoke(token.id, 'user:default/vic', at(1).toISOString())).toBeUndefined();
    expect(await store.verify(secret, at(1))).toBeDefined();
    const revoked = await store.revoke(token.id, 'user:default/layla', at(2).toISOString());
    expect(revoked?.revokedAt).toBe(at(2).toISOString());
    expect(await store.verify(secret, at(2))).toBeUndefined();
    // revoking again keeps the first time
    expect((await store.revoke(token.id, 'user:default/layla', at(5).toISOString()))?.revokedAt).toBe(
      at(2).toISOString(),
    );

    const expiring = await make({ expiresAt: at(10).toISOString() });
    expect(await store.verify(expiring.secret, at(9))).toBeDefined();
    expect(await store.verify(expiring.secret, at(10))).toBeUndefined();
    expect((await store.listOf('user:default/layla')).map(t => t.id).sort()).toEqual(
      [token.id, expiring.token.id].sort(),
    );
    expect(await store.listOf('user:default/vic')).toEqual([]);
  });
});
