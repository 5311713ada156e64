import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath('@internal/plugin-catalyst-backend', 'migrations');

/** Brings the catalyst plugin's tables up to date; safe to call on every start. */
export async function applyMigrations(knex: Knex): Promise<void> {
  await knex.migrate.latest({ directory: migrationsDir, tableName: 'catalyst_knex_migrations' });
}
