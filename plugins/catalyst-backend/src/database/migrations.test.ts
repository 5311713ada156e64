import fs from 'node:fs';
import { resolve } from 'node:path';
import { mockServices } from '@backstage/backend-test-utils';
import { DatabaseManager } from '@backstage/backend-defaults/database';
import { ConfigReader } from '@backstage/config';
import knexFactory, { Knex } from 'knex';
import { parse } from 'yaml';
import { TEST_DATABASE_ENGINES, TestDatabaseEngine, useTestDatabases } from '../__testUtils__/database';
import { DatabaseOrganizationStore } from './DatabaseOrganizationStore';
import { applyMigrations, MIGRATIONS } from './migrations';

jest.setTimeout(60_000);

/** knex's own bookkeeping, which stays when every migration is rolled back. */
const BOOKKEEPING = [MIGRATIONS.tableName!, `${MIGRATIONS.tableName}_lock`];

async function tableNames(db: Knex): Promise<string[]> {
  const rows: Array<{ name: string }> =
    db.client.dialect === 'postgresql'
      ? (await db.raw(`select tablename as name from pg_tables where schemaname = current_schema()`)).rows
      : await db.raw(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%'`);
  return rows.map(r => r.name).sort();
}

/** Every table with its columns and their types, as knex reads them from the engine. */
async function schemaOf(db: Knex): Promise<Record<string, unknown>> {
  const schema: Record<string, unknown> = {};
  for (const table of await tableNames(db)) {
    if (!BOOKKEEPING.includes(table)) schema[table] = await db(table).columnInfo();
  }
  return schema;
}

/**
 * The `backend.database` block production runs with (app-config.production.yaml), its
 * `${POSTGRES_*}` filled in with the test server's; the embedded default's engine for SQLite.
 */
function backendDatabaseConfig(engine: TestDatabaseEngine, values: Record<string, string | number>) {
  if (engine === 'sqlite') return { client: 'better-sqlite3', connection: ':memory:' };
  const production = parse(fs.readFileSync(resolve(__dirname, '../../../../app-config.production.yaml'), 'utf8'));
  return JSON.parse(
    JSON.stringify(production.backend.database).replace(/\$\{(\w+)\}/g, (_, name: string) => String(values[name])),
  );
}

describe.each(TEST_DATABASE_ENGINES)('catalyst migrations on %s', engine => {
  const databases = useTestDatabases(engine);

  it('migrate up and down one at a time, each down() undoing exactly its up()', async () => {
    const db = await databases.create();
    await db.migrate.rollback(MIGRATIONS, true);
    // Every down() works on this engine and leaves nothing behind.
    expect(await tableNames(db)).toEqual([...BOOKKEEPING].sort());

    const schemas = [await schemaOf(db)];
    while ((await db.migrate.list(MIGRATIONS))[1].length > 0) {
      await db.migrate.up(MIGRATIONS);
      schemas.push(await schemaOf(db));
    }
    expect(Object.keys(schemas[schemas.length - 1])).toEqual(
      expect.arrayContaining(['catalyst_environments', 'catalyst_organizations']),
    );
    for (let step = schemas.length - 1; step > 0; step--) {
      await db.migrate.down(MIGRATIONS);
      expect(await schemaOf(db)).toEqual(schemas[step - 1]);
    }
    await applyMigrations(db);
    expect(await schemaOf(db)).toEqual(schemas[schemas.length - 1]);
  });

  it('are applied once: a second run (another replica, a restart) changes nothing', async () => {
    const db = await databases.create();
    const store = DatabaseOrganizationStore.create(db);
    await store.createOrganization({
      name: 'acme',
      displayName: 'Acme',
      sovereign: 'local',
      teams: [],
      createdBy: 'user:default/ada',
      createdAt: '2026-03-01T00:00:00.000Z',
    });
    const [, pending] = await db.migrate.list(MIGRATIONS);
    expect(pending).toEqual([]);
    await Promise.all([applyMigrations(db), applyMigrations(db)]);
    expect((await store.listOrganizations()).map(o => o.name)).toEqual(['acme']);
  });

  /** The catalyst plugin's client from Backstage's database service, configured as the backend is. */
  async function backstageClient(): Promise<Knex> {
    let values = {};
    if (engine === 'postgres') {
      const c = (await databases.postgres()).connection('postgres');
      values = { POSTGRES_HOST: c.host, POSTGRES_PORT: c.port, POSTGRES_USER: c.user, POSTGRES_PASSWORD: c.password };
    }
    const config = new ConfigReader({ backend: { database: backendDatabaseConfig(engine, values) } });
    return DatabaseManager.fromConfig(config)
      .forPlugin('catalyst', { logger: mockServices.logger.mock(), lifecycle: mockServices.lifecycle.mock() })
      .getClient();
  }

  it("run through Backstage's database service with the backend's configuration", async () => {
    const db = await backstageClient();
    try {
      await applyMigrations(db);
      const store = DatabaseOrganizationStore.create(db);
      await store.createOrganization({
        name: 'acme',
        displayName: 'Acme',
        sovereign: 'local',
        teams: ['team-platform'],
        createdBy: 'user:default/ada',
        createdAt: '2026-03-01T00:00:00.000Z',
      });
      expect(await store.getOrganization('acme')).toMatchObject({ teams: ['team-platform'] });
    } finally {
      await db.destroy();
    }
  });

  // One SQLite file has one writer (the embedded default's one process): nothing to race there,
  // and no server to hold several plugins' databases.
  if (engine === 'postgres') {
    it('replicas starting at once on an empty database all come up', async () => {
      const pg = await databases.postgres();
      // Without serialization about two rounds in three collide creating knex's own tables; five
      // rounds of six replicas make a pass by luck unlikely (under 1 %).
      for (let round = 0; round < 5; round++) {
        const connection = pg.connection(await pg.createDatabase());
        const replicas = [...Array(6)].map(() => knexFactory({ client: 'pg', connection, pool: { min: 0, max: 2 } }));
        try {
          const started = await Promise.allSettled(replicas.map(db => applyMigrations(db)));
          expect(started.filter(r => r.status === 'rejected')).toEqual([]);
          expect((await replicas[0].migrate.list(MIGRATIONS))[1]).toEqual([]);
          // knex's lock table holds exactly one row; two would make every later start see a lock.
          expect(await replicas[0](`${MIGRATIONS.tableName}_lock`).select('is_locked')).toEqual([{ is_locked: 0 }]);
        } finally {
          await Promise.all(replicas.map(db => db.destroy()));
        }
      }
    });

    it('get a database of their own on the server from Backstage', async () => {
      const db = await backstageClient();
      try {
        await applyMigrations(db);
        const { rows } = await db.raw('select current_database() as name');
        expect(rows).toEqual([{ name: 'backstage_plugin_catalyst' }]);
        expect(await db.schema.hasTable('catalyst_organizations')).toBe(true);
      } finally {
        await db.destroy();
      }
    });
  }
});
