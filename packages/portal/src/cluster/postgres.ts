import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PortalError } from '../PortalError';
import { ChildSpec, RestartPolicy } from '../Supervisor';
import { waitFor } from '../waitFor';

/** Where Debian's `postgresql` package puts each major version's server binaries. */
const DEBIAN_POSTGRES_ROOT = '/usr/lib/postgresql';
/** The superuser the backends connect as: Backstage creates one database per plugin. */
export const POSTGRES_USER = 'postgres';

/** The newest `/usr/lib/postgresql/<version>/bin` that has a server. */
export function findPostgres(): { bin: string; version: number } | undefined {
  if (!existsSync(DEBIAN_POSTGRES_ROOT)) return undefined;
  const versions = readdirSync(DEBIAN_POSTGRES_ROOT)
    .filter(v => /^\d+$/.test(v) && existsSync(join(DEBIAN_POSTGRES_ROOT, v, 'bin', 'initdb')))
    .map(Number)
    .sort((a, b) => b - a);
  return versions.length
    ? { bin: join(DEBIAN_POSTGRES_ROOT, String(versions[0]), 'bin'), version: versions[0] }
    : undefined;
}

/**
 * PostgreSQL refuses to run as root. Under root (CI containers, the dev VM) the server runs as the
 * `postgres` user the Debian package creates; otherwise as the current user.
 */
export function postgresServerUser(): { uid: number; gid: number } | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find(l => l.startsWith('postgres:'));
  if (!line) throw new PortalError('running as root and there is no `postgres` user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function chownTree(path: string, user: { uid: number; gid: number }) {
  chownSync(path, user.uid, user.gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) chownTree(full, user);
    else chownSync(full, user.uid, user.gid);
  }
}

export interface PostgresOptions {
  bin: string;
  /** `<cluster dir>/postgres`; the cluster itself is in `data/`. */
  dir: string;
  host: string;
  port: number;
  password: string;
  logFile: string;
  /** false trades crash safety for speed (tests): fsync and synchronous commits off. */
  durable: boolean;
  restart?: RestartPolicy;
}

/**
 * Creates the database cluster on first start (initdb: UTF-8, password authentication with SCRAM,
 * as production); a second start finds `data/PG_VERSION` and keeps everything.
 */
export async function initPostgres(options: PostgresOptions): Promise<boolean> {
  const data = join(options.dir, 'data');
  if (existsSync(join(data, 'PG_VERSION'))) return false;
  const user = postgresServerUser();
  rmSync(data, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const pwfile = join(options.dir, 'pwfile');
  writeFileSync(pwfile, `${options.password}\n`, { mode: 0o600 });
  if (user) chownTree(options.dir, user);
  try {
    await promisify(execFile)(
      join(options.bin, 'initdb'),
      [
        '-D',
        data,
        '-U',
        POSTGRES_USER,
        `--pwfile=${pwfile}`,
        '--auth=scram-sha-256',
        '--encoding=UTF8',
        '--locale=C.UTF-8',
        '--no-instructions',
      ],
      { cwd: options.dir, ...(user ?? {}) },
    );
  } catch (e) {
    rmSync(data, { recursive: true, force: true });
    throw new PortalError(`initdb failed: ${(e as { stderr?: string }).stderr || (e as Error).message}`);
  } finally {
    rmSync(pwfile, { force: true });
  }
  return true;
}

/** True when the server accepts connections (Debian's pg_isready). */
export function postgresReady(bin: string, host: string, port: number): Promise<boolean> {
  return promisify(execFile)(join(bin, 'pg_isready'), ['-q', '-h', host, '-p', String(port), '-U', POSTGRES_USER]).then(
    () => true,
    () => false,
  );
}

/** The server as a supervised part: loopback only, no Unix socket, stopped with a fast shutdown. */
export function postgresSpec(options: PostgresOptions): ChildSpec {
  const user = postgresServerUser();
  const speed = options.durable
    ? []
    : ['-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  return {
    name: 'postgres',
    command: join(options.bin, 'postgres'),
    args: [
      '-D',
      join(options.dir, 'data'),
      '-p',
      String(options.port),
      '-c',
      `listen_addresses=${options.host}`,
      '-c',
      'unix_socket_directories=',
      // Backstage opens a pool per plugin database on every replica (docs/deploy.md, sizing).
      '-c',
      'max_connections=300',
      ...speed,
    ],
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' },
    logFile: options.logFile,
    ...(user ?? {}),
    // SIGTERM would wait for every client to disconnect, and the backends' pools never do.
    stopSignal: 'SIGINT',
    ready: signal =>
      waitFor(() => postgresReady(options.bin, options.host, options.port), { timeoutMs: 60_000, signal }),
    readyTimeoutMs: 60_000,
    ...(options.restart ? { restart: options.restart } : {}),
  };
}
