import { execFile } from 'node:child_process';
import fs from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestPostgres, TestPostgres } from './postgresServer';

jest.setTimeout(60_000);

/** Runs SQL with Debian's psql, as any client would: over TCP with the password. */
async function psql(pg: TestPostgres, database: string, sql: string, password?: string): Promise<string> {
  const c = pg.connection(database);
  const { stdout } = await promisify(execFile)(
    join(pg.binDir, 'psql'),
    [
      '-h',
      c.host,
      '-p',
      String(c.port),
      '-U',
      c.user,
      '-d',
      database,
      '-X',
      '-A',
      '-t',
      '-v',
      'ON_ERROR_STOP=1',
      '-c',
      sql,
    ],
    { env: { ...process.env, PGPASSWORD: password ?? c.password } },
  );
  return stdout.trim();
}

const accepts = (port: number) =>
  new Promise<boolean>(resolve => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startTestPostgres', () => {
  let pg: TestPostgres;

  beforeAll(async () => {
    pg = await startTestPostgres();
  });

  afterAll(async () => {
    await pg?.dispose();
  });

  it('serves new, separate databases on 127.0.0.1 with password authentication', async () => {
    const [a, b] = [await pg.createDatabase(), await pg.createDatabase()];
    expect(a).not.toBe(b);
    await psql(pg, a, 'create table t (x int); insert into t values (1)');
    expect(await psql(pg, a, 'select x from t')).toBe('1');
    await expect(psql(pg, b, 'select x from t')).rejects.toThrow(/relation "t" does not exist/);

    expect(await psql(pg, a, 'show listen_addresses')).toBe('127.0.0.1');
    expect(await psql(pg, a, 'show server_version_num')).toMatch(new RegExp(`^${pg.version}`));
    await expect(psql(pg, a, 'select 1', 'wrong')).rejects.toThrow(/password authentication failed/);
  });

  it('sorts text like a production database created with en_US.UTF-8, not by bytes', async () => {
    const db = await pg.createDatabase();
    expect(
      await psql(pg, db, `select string_agg(x, ' ' order by x) from unnest(array['acme-zeta', 'acmecorp']) x`),
    ).toBe('acmecorp acme-zeta');
  });

  it('keeps the data across restart(), and recovers after kill()', async () => {
    const db = await pg.createDatabase();
    await psql(pg, db, `create table kept (x text); insert into kept values ('before')`);
    await pg.restart();
    expect(await psql(pg, db, 'select x from kept')).toBe('before');

    await pg.kill();
    expect(await accepts(pg.port)).toBe(false);
    await pg.restart();
    // Crash recovery replays what was written before the crash.
    expect(await psql(pg, db, 'select x from kept')).toBe('before');
  });

  it('dispose() stops the server and deletes its data', async () => {
    const other = await startTestPostgres();
    const dataDir = await psql(other, 'postgres', 'show data_directory');
    expect(fs.existsSync(dataDir)).toBe(true);
    await other.dispose();
    expect(fs.existsSync(dataDir)).toBe(false);
    expect(await accepts(other.port)).toBe(false);
  });
});
