import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PortalError } from '../PortalError';

const MARKER_FILE = 'catalyst-cluster.json';
const LOCK_FILE = 'cluster.lock';
const SECRETS_FILE = 'secrets.json';
export const CLUSTER_DIR_FORMAT = 1;

/**
 * Made once per cluster dir and kept (0600), so a second start reuses the database, the NATS
 * stores and the sessions: PostgreSQL's superuser password, the NATS user's password, the Git
 * host's token and Backstage's session secret.
 */
export interface ClusterSecrets {
  postgresPassword: string;
  natsPassword: string;
  gitToken: string;
  sessionSecret: string;
}

export interface PreparedClusterDir {
  path: string;
  created: boolean;
  secrets: ClusterSecrets;
  /** `<path>/logs/<part>.log` */
  logFile(part: string): string;
  /** Removes the lock; call once every child has stopped. */
  release(): void;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// nats-server reads a `$VAR` value as a config value: a leading letter keeps it a string.
const secret = () => `s${randomBytes(24).toString('hex')}`;

function readSecrets(path: string): ClusterSecrets {
  const file = join(path, SECRETS_FILE);
  if (!existsSync(file)) {
    const made: ClusterSecrets = {
      postgresPassword: secret(),
      natsPassword: secret(),
      gitToken: secret(),
      sessionSecret: secret(),
    };
    writeFileSync(file, `${JSON.stringify(made, null, 2)}\n`, { mode: 0o600 });
    return made;
  }
  try {
    const read = JSON.parse(readFileSync(file, 'utf8')) as Partial<ClusterSecrets>;
    for (const key of ['postgresPassword', 'natsPassword', 'gitToken', 'sessionSecret'] as const) {
      if (typeof read[key] !== 'string' || !read[key]) throw new Error(`${key} is missing`);
    }
    return read as ClusterSecrets;
  } catch (e) {
    throw new PortalError(`cluster dir ${path} is corrupt: ${SECRETS_FILE} is unreadable (${(e as Error).message})`);
  }
}

/**
 * Creates the cluster dir on first start (marker, logs/, secrets) or checks an existing one, and
 * locks it so two launchers never run the same topology. Every failure is one line naming the path.
 */
export function prepareClusterDir(path: string, now: Date): PreparedClusterDir {
  if (existsSync(path) && !statSync(path).isDirectory()) {
    throw new PortalError(`cluster dir ${path} exists but is not a directory`);
  }
  let created = false;
  if (!existsSync(path) || readdirSync(path).length === 0) {
    mkdirSync(join(path, 'logs'), { recursive: true });
    writeFileSync(
      join(path, MARKER_FILE),
      `${JSON.stringify({ format: CLUSTER_DIR_FORMAT, createdAt: now.toISOString() }, null, 2)}\n`,
    );
    created = true;
  } else {
    let format: unknown;
    try {
      format = (JSON.parse(readFileSync(join(path, MARKER_FILE), 'utf8')) as { format?: unknown }).format;
    } catch {
      throw new PortalError(
        `${path} is not a Catalyst cluster dir (no readable ${MARKER_FILE}); set CATALYST_CLUSTER_DIR to an empty directory or an existing cluster dir`,
      );
    }
    if (format !== CLUSTER_DIR_FORMAT) {
      throw new PortalError(
        `cluster dir ${path} has layout format ${JSON.stringify(format)}, this Catalyst expects ${CLUSTER_DIR_FORMAT}`,
      );
    }
    mkdirSync(join(path, 'logs'), { recursive: true });
  }

  const lockPath = join(path, LOCK_FILE);
  if (existsSync(lockPath)) {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new PortalError(`cluster dir ${path} is in use by another Catalyst launcher (pid ${pid})`);
    }
  }
  const secrets = readSecrets(path);
  writeFileSync(lockPath, `${process.pid}\n`);
  return {
    path,
    created,
    secrets,
    logFile: part => join(path, 'logs', `${part}.log`),
    release() {
      try {
        if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}
