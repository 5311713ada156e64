import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

/**
 * Where the catalyst plugin's migrations are and the table knex records them in. Its own table, so
 * the plugin can share a database (SQLite file, PostgreSQL schema) with another plugin's knex
 * migrations without either taking the other's history for its own.
 */
export const MIGRATIONS: Knex.MigratorConfig = {
  directory: resolvePackagePath('@internal/plugin-catalyst-backend', 'migrations'),
  tableName: 'catalyst_knex_migrations',
};

/** `pg_advisory_xact_lock` key of the catalyst migrations: "cata", "lyst" (per database). */
const PG_MIGRATION_LOCK = [0x63617461, 0x6c797374];

/**
 * Brings the catalyst plugin's tables up to date; safe to call on every start, by several replicas
 * at once. On PostgreSQL the migrations run inside one transaction holding an advisory lock: knex's
 * own lock table is created without a lock, and two replicas starting on an empty database raced
 * to create it (one failed to start; worse, both could insert its single row, after which knex
 * took the migrations for locked forever). The next replica waits for the lock and finds nothing
 * left to do. SQLite has one writer per file and needs none of this.
 *
 * So on PostgreSQL every migration runs in that transaction: one that cannot (`CREATE INDEX
 * CONCURRENTLY`) needs another way in.
 */
export async function applyMigrations(knex: Knex): Promise<void> {
  if (knex.client.dialect !== 'postgresql') {
    await knex.migrate.latest(MIGRATIONS);
    return;
  }
  await knex.transaction(async trx => {
    await trx.raw('select pg_advisory_xact_lock(?, ?)', PG_MIGRATION_LOCK);
    await trx.migrate.latest(MIGRATIONS);
  });
}
