import { ChildProcess, execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './freePort';

/** Where Debian's `postgresql` package puts each major version's server binaries. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';

/** What a client needs to reach one database (the shape knex and `pg` take). */
export interface TestPostgresConnection {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export interface TestPostgres {
  host: string;
  port: number;
  /** The major version running, e.g. `15`. */
  version: number;
  /** Its client and server binaries (`psql`, `pg_dump`, …). */
  binDir: string;
  /** A fresh, empty database (owner: the superuser); returns its name. */
  createDatabase(): Promise<string>;
  connection(database: string): TestPostgresConnection;
  /** Fast shutdown (clients are disconnected); the data is kept for `restart()`. */
  stop(): Promise<void>;
  /** Starts again on the same port and data (for reconnect tests). */
  restart(): Promise<void>;
  /** SIGKILL to the server and all its backends: what a crash looks like; `restart()` recovers. */
  kill(): Promise<void>;
  /** Stops and deletes the data. */
  dispose(): Promise<void>;
}

/** The newest `/usr/lib/postgresql/<version>/bin` that has a server. */
function findPostgres(): { bin: string; version: number } {
  const versions = fs.existsSync(DEBIAN_POSTGRES_ROOT)
    ? fs
        .readdirSync(DEBIAN_POSTGRES_ROOT)
        .filter(v => /^\d+$/.test(v) && fs.existsSync(join(DEBIAN_POSTGRES_ROOT, v, 'bin', 'initdb')))
        .map(Number)
        .sort((a, b) => b - a)
    : [];
  if (versions.length === 0) {
    throw new Error(
      `No PostgreSQL server under ${DEBIAN_POSTGRES_ROOT}/<version>/bin: install the Debian package ` +
        '`postgresql` (scripts/test.sh does)',
    );
  }
  return { bin: join(DEBIAN_POSTGRES_ROOT, String(versions[0]), 'bin'), version: versions[0] };
}

/**
 * PostgreSQL refuses to run as root. Under root (CI containers, this dev VM) the server runs as the
 * `postgres` user the Debian package creates; otherwise as the current user.
 */
function serverUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = fs
    .readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(l => l.startsWith('postgres:'));
  if (!line) throw new Error('Running as root and there is no `postgres` user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function logTail(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8').slice(-4000).trim();
  } catch {
    return '';
  }
}

let databases = 0;

/**
 * A real PostgreSQL (Debian package) for tests: a new cluster in a temp dir (initdb), a server on
 * 127.0.0.1 and a free port with password authentication (SCRAM, as production), no Unix socket.
 * Durability is traded for speed (`fsync=off`): the data lives as long as the test.
 *
 * The cluster's default collation is a linguistic one (ICU `en-US`, punctuation ignored at first),
 * as a production database created with `en_US.UTF-8` has, not byte order: code that relies on the
 * database's ORDER BY of names would pass on SQLite and fail in production, and fails here instead.
 */
export async function startTestPostgres(): Promise<TestPostgres> {
  const { bin, version } = findPostgres();
  const user = serverUser();
  const port = await freePort();
  const password = randomBytes(16).toString('hex');
  const root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-pg-'));
  const dataDir = join(root, 'data');
  const logFile = join(root, 'postgres.log');
  const superuser = 'postgres';
  const asServer = user ? { uid: user.uid, gid: user.gid } : {};

  try {
    fs.writeFileSync(join(root, 'pwfile'), `${password}\n`, { mode: 0o600 });
    if (user) {
      fs.chownSync(root, user.uid, user.gid);
      fs.chownSync(join(root, 'pwfile'), user.uid, user.gid);
    }
    await promisify(execFile)(
      join(bin, 'initdb'),
      [
        '-D',
        dataDir,
        '-U',
        superuser,
        `--pwfile=${join(root, 'pwfile')}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--locale-provider=icu',
        '--icu-locale=en-US-u-ka-shifted',
        '--no-sync',
        '--no-instructions',
      ],
      { ...asServer, cwd: root },
    );
  } catch (error) {
    fs.rmSync(root, { recursive: true, force: true });
    throw new Error(`initdb failed: ${(error as { stderr?: string }).stderr || (error as Error).message}`);
  }

  const clientEnv = { ...process.env, PGPASSWORD: password };
  const ready = () =>
    promisify(execFile)(join(bin, 'pg_isready'), ['-q', '-h', '127.0.0.1', '-p', String(port), '-U', superuser], {
      env: clientEnv,
    }).then(
      () => true,
      () => false,
    );

  let child: ChildProcess | undefined;
  const start = async () => {
    const log = fs.openSync(logFile, 'a');
    try {
      child = spawn(
        join(bin, 'postgres'),
        [
          '-D',
          dataDir,
          '-p',
          String(port),
          '-c',
          'listen_addresses=127.0.0.1',
          '-c',
          'unix_socket_directories=',
          '-c',
          'fsync=off',
          '-c',
          'synchronous_commit=off',
          '-c',
          'full_page_writes=off',
        ],
        // Its own process group, so kill() takes the backends down with the postmaster.
        { ...asServer, cwd: root, detached: true, stdio: ['ignore', log, log] },
      );
    } finally {
      fs.closeSync(log);
    }
    const deadline = Date.now() + 30_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        throw new Error(`postgres exited with ${child.exitCode}: ${logTail(logFile)}`);
      }
      if (await ready()) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`postgres did not start within 30 s: ${logTail(logFile)}`);
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null || c.pid === undefined) return;
    const exited = new Promise<void>(resolvePromise => c.once('exit', () => resolvePromise()));
    // SIGINT is PostgreSQL's fast shutdown; SIGKILL goes to the whole group (postmaster and backends).
    if (signal === 'SIGKILL') process.kill(-c.pid, 'SIGKILL');
    else c.kill(signal);
    await exited;
  };

  try {
    await start();
  } catch (error) {
    await stopWith('SIGKILL');
    fs.rmSync(root, { recursive: true, force: true });
    throw error;
  }

  return {
    host: '127.0.0.1',
    port,
    version,
    binDir: bin,
    connection: database => ({ host: '127.0.0.1', port, user: superuser, password, database }),
    createDatabase: async () => {
      databases += 1;
      const name = `catalyst_test_${process.pid}_${databases}`;
      await promisify(execFile)(join(bin, 'createdb'), ['-h', '127.0.0.1', '-p', String(port), '-U', superuser, name], {
        env: clientEnv,
      });
      return name;
    },
    stop: () => stopWith('SIGINT'),
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGINT');
      await start();
    },
    dispose: async () => {
      await stopWith('SIGINT');
      fs.rmSync(root, { recursive: true, force: true });
    },
  };
}
