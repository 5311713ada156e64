import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { PortalError } from './PortalError';

/** Version of the data dir layout; bump with a migration when the layout changes. */
export const DATA_DIR_FORMAT = 1;
export const MARKER_FILE = 'catalyst.json';
const LOCK_FILE = 'catalyst.lock';
/** Sub-directories every initialised data dir has (SQLite, JetStream store, bare Git repos, logs). */
export const DATA_DIR_PARTS = ['db', 'jetstream', 'git', 'logs'] as const;
const SQLITE_HEADER = 'SQLite format 3\u0000';

export interface PreparedDataDir {
  path: string;
  created: boolean;
  /** Removes the lock; call once every child has stopped. */
  release(): void;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Every `*.git` directory below `git/`, however deep (catalog.git, <org>/<repo>.git). */
function findBareRepos(gitRoot: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, depth: number) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const full = join(dir, entry.name);
      if (entry.name.endsWith('.git')) out.push(full);
      else if (depth < 3) walk(full, depth + 1);
    }
  };
  walk(gitRoot, 0);
  return out;
}

function checkExisting(path: string): void {
  const show = (p: string) => relative(path, p) || '.';
  const markerPath = join(path, MARKER_FILE);
  let marker: unknown;
  try {
    marker = JSON.parse(readFileSync(markerPath, 'utf8'));
  } catch (e) {
    throw new PortalError(
      `data dir ${path} is corrupt: ${MARKER_FILE} is unreadable (${
        (e as Error).message
      }); restore it from a backup or delete ${path} to start fresh`,
    );
  }
  const format = (marker as { format?: unknown })?.format;
  if (format !== DATA_DIR_FORMAT) {
    throw new PortalError(
      `data dir ${path} has layout format ${JSON.stringify(format)}, this Catalyst expects ${DATA_DIR_FORMAT}`,
    );
  }
  for (const part of DATA_DIR_PARTS) {
    if (!isDir(join(path, part))) {
      throw new PortalError(
        `data dir ${path} is incomplete: ${part}/ is missing; restore it or delete ${path} to start fresh`,
      );
    }
  }
  for (const repo of findBareRepos(join(path, 'git'))) {
    for (const required of ['HEAD', 'objects', 'refs']) {
      if (!existsSync(join(repo, required))) {
        throw new PortalError(`data dir ${path} is corrupt: ${show(repo)} is not a Git repository (no ${required})`);
      }
    }
  }
  for (const entry of readdirSync(join(path, 'db'))) {
    if (!/\.sqlite$/.test(entry)) continue;
    const file = join(path, 'db', entry);
    if (statSync(file).size === 0) continue; // created but never written: SQLite accepts it
    const buf = Buffer.alloc(SQLITE_HEADER.length);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, buf.length, 0);
    } finally {
      closeSync(fd);
    }
    if (buf.toString('latin1') !== SQLITE_HEADER) {
      throw new PortalError(`data dir ${path} is corrupt: db/${entry} is not an SQLite database`);
    }
  }
}

/**
 * Creates the data dir on first start, or checks that an existing one is whole, and takes a lock so
 * two portals never share it. Every failure is a PortalError with one line naming the path.
 */
export function prepareDataDir(path: string, now: Date): PreparedDataDir {
  let created = false;
  if (existsSync(path) && !isDir(path)) {
    throw new PortalError(`data dir ${path} exists but is not a directory`);
  }
  if (!existsSync(path) || readdirSync(path).length === 0) {
    try {
      mkdirSync(path, { recursive: true });
      for (const part of DATA_DIR_PARTS) mkdirSync(join(path, part), { recursive: true });
      writeFileSync(
        join(path, MARKER_FILE),
        `${JSON.stringify({ format: DATA_DIR_FORMAT, createdAt: now.toISOString() }, null, 2)}\n`,
      );
    } catch (e) {
      throw new PortalError(`cannot create data dir ${path}: ${(e as Error).message}`);
    }
    created = true;
  } else if (!existsSync(join(path, MARKER_FILE))) {
    throw new PortalError(
      `${path} is not a Catalyst data dir (no ${MARKER_FILE}); set CATALYST_DATA_DIR to an empty directory or an existing data dir`,
    );
  } else {
    checkExisting(path);
  }

  const lockPath = join(path, LOCK_FILE);
  if (existsSync(lockPath)) {
    const pid = Number(readFileSync(lockPath, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && pidAlive(pid)) {
      throw new PortalError(`data dir ${path} is in use by another Catalyst portal (pid ${pid})`);
    }
  }
  writeFileSync(lockPath, `${process.pid}\n`);
  return {
    path,
    created,
    release() {
      try {
        if (readFileSync(lockPath, 'utf8').trim() === String(process.pid)) unlinkSync(lockPath);
      } catch {
        // already gone: nothing to release
      }
    },
  };
}
