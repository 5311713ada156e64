import knexFactory, { Knex } from 'knex';
import { startTestPostgres, TestPostgres } from '@internal/catalyst-test-utils';
import { applyMigrations } from '../database/migrations';

/** The engines the plugin's tables are tested on: the embedded default and production's. */
export type TestDatabaseEngine = 'sqlite' | 'postgres';
export const TEST_DATABASE_ENGINES: TestDatabaseEngine[] = ['sqlite', 'postgres'];

/**
 * A real database with the catalyst migrations applied: SQLite in memory, or — given a running
 * test PostgreSQL (`startTestPostgres`) — a fresh database on it, through the same `pg` driver
 * and knex client Backstage's database service uses in production.
 */
export async function createTestDatabase(postgres?: TestPostgres): Promise<Knex> {
  const db = postgres
    ? knexFactory({
        client: 'pg',
        connection: postgres.connection(await postgres.createDatabase()),
        // No idle connections held between tests; a few for the tests that write concurrently.
        pool: { min: 0, max: 5 },
      })
    : knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  await applyMigrations(db);
  return db;
}

/**
 * Databases of one engine for the tests of a `describe` block; call it in the block's body (it
 * registers an `afterAll`). PostgreSQL is started at the first `create()` (about 2.5 s: initdb and
 * start) and shared by the block's databases, each of them new; everything is stopped and deleted
 * after the block. Typical use, one run per engine:
 *
 * ```ts
 * describe.each(TEST_DATABASE_ENGINES)('on %s', engine => {
 *   const databases = useTestDatabases(engine);
 *   let db: Knex;
 *   beforeEach(async () => { db = await databases.create(); });
 *   …
 * });
 * ```
 */
export function useTestDatabases(engine: TestDatabaseEngine): {
  create(): Promise<Knex>;
  /** The block's PostgreSQL (started if need be), e.g. to restart it or connect otherwise. */
  postgres(): Promise<TestPostgres>;
} {
  let server: Promise<TestPostgres> | undefined;
  const opened: Knex[] = [];
  const postgres = () => {
    if (engine !== 'postgres') throw new Error(`no PostgreSQL in a ${engine} block`);
    server ??= startTestPostgres();
    return server;
  };

  afterAll(async () => {
    for (const db of opened) await db.destroy();
    // A server that failed to start has cleaned up after itself.
    if (server) await (await server.catch(() => undefined))?.dispose();
  }, 60_000);

  return {
    create: async () => {
      const db = await createTestDatabase(engine === 'postgres' ? await postgres() : undefined);
      opened.push(db);
      return db;
    },
    postgres,
  };
}
