import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join, resolve } from 'node:path';

// the repository root: two levels above the launcher package
const ROOT = resolve(dirname(require.resolve('@internal/portal/package.json')), '../..');

export interface RunningPortal {
  /** http://localhost:<port>, as a browser should use it (guest sign-in checks the origin). */
  baseUrl: string;
  dataDir: string;
  ports: { backend: number; nats: number; devcluster: number; idp: number };
  /** Everything the launcher printed so far. */
  output(): string;
  /** Ctrl-C: SIGINT to the launcher; resolves with its exit code once it has stopped everything. */
  stop(): Promise<number | null>;
  /** With `underShell`: SIGKILL to the shell that started the launcher (it passes nothing on). */
  killParent(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolvePromise, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolvePromise(port));
    });
  });
}

export function tempDataDir(): string {
  return fs.mkdtempSync(join(os.tmpdir(), 'catalyst-e2e-'));
}

/**
 * Starts the portal exactly as `npm start` does (the built launcher), on spare ports and the given
 * data dir, and waits for its "portal ready" line.
 */
export async function startPortal(
  options: {
    dataDir?: string;
    timeoutMs?: number;
    underShell?: boolean;
    /** More environment for the launcher and what it starts, e.g. `APP_CONFIG_*` for the backend. */
    env?: Record<string, string>;
  } = {},
): Promise<RunningPortal> {
  const dataDir = options.dataDir ?? tempDataDir();
  const ports = {
    backend: await freePort(),
    nats: await freePort(),
    devcluster: await freePort(),
    // the local identity provider too, or two journeys (or a journey beside `npm start`) collide on 7009
    idp: await freePort(),
  };
  const launcher = [process.execPath, join(ROOT, 'packages/portal/bin/catalyst-portal.js'), 'start'];
  // Under a shell that waits for the launcher (the `; exit` keeps bash from exec-ing it), like npm.
  const [command, ...args] = options.underShell ? ['bash', '-c', '"$0" "$@"; exit $?', ...launcher] : launcher;
  const child: ChildProcess = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...options.env,
      CATALYST_DATA_DIR: dataDir,
      CATALYST_PORT: String(ports.backend),
      CATALYST_NATS_PORT: String(ports.nats),
      CATALYST_DEVCLUSTER_PORT: String(ports.devcluster),
      CATALYST_IDP_PORT: String(ports.idp),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  /** The launcher's pid; undefined once it is gone (a pid of 0 would signal our own process group). */
  const launcherPid = (): number | undefined => {
    if (!options.underShell) return child.pid;
    const children = fs.readFileSync(`/proc/${child.pid}/task/${child.pid}/children`, 'utf8').trim();
    const pid = Number(children.split(' ')[0]);
    return pid > 0 ? pid : undefined;
  };
  let out = '';
  child.stdout!.on('data', d => (out += d.toString()));
  child.stderr!.on('data', d => (out += d.toString()));
  const exited = new Promise<number | null>(r => child.once('exit', code => r(code)));

  const deadline = Date.now() + (options.timeoutMs ?? 240_000);
  while (!out.includes('portal ready')) {
    if (child.exitCode !== null) throw new Error(`the portal stopped during start:\n${out}`);
    if (Date.now() > deadline) {
      child.kill('SIGINT');
      await exited;
      throw new Error(`the portal was not ready in time:\n${out}`);
    }
    await new Promise(r => setTimeout(r, 200));
  }
  return {
    baseUrl: `http://localhost:${ports.backend}`,
    dataDir,
    ports,
    output: () => out,
    stop: async () => {
      const pid = child.exitCode === null ? launcherPid() : undefined;
      if (pid) process.kill(pid, 'SIGINT');
      return exited;
    },
    killParent: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}
