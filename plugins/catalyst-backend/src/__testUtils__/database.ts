import knexFactory, { Knex } from 'knex';
import { applyMigrations } from '../database/migrations';

/** A real SQLite database in memory with the catalyst migrations applied. */
export async function createTestDatabase(): Promise<Knex> {
  const db = knexFactory({ client: 'better-sqlite3', connection: ':memory:', useNullAsDefault: true });
  await applyMigrations(db);
  return db;
}
