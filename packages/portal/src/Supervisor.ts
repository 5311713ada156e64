import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, WriteStream } from 'node:fs';
import { PortalError } from './PortalError';

export interface ChildSpec {
  name: string;
  command: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Every byte the child writes goes here; it also goes to our stdout when `echo` is set. */
  logFile: string;
  echo?: boolean;
  ready: (signal: AbortSignal) => Promise<boolean>;
  readyTimeoutMs: number;
}

interface Running {
  spec: ChildSpec;
  child: ChildProcess;
  log: WriteStream;
  exited: Promise<number | null>;
}

/** The last non-empty lines of a log, for an error line that says why a child died. */
function tail(file: string, lines = 1): string {
  try {
    const all = readFileSync(file, 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(Boolean);
    return all.slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

/**
 * Starts the portal's processes in order, each in its own process group (so Ctrl-C reaches only the
 * launcher, which then stops them in reverse order), and stops them all — and only them — on exit.
 */
export class Supervisor {
  private readonly running: Running[] = [];
  private stopping = false;
  private onCrash?: (name: string, code: number | null) => void;

  /** Called when a child that was ready exits on its own. */
  whenAnyExits(cb: (name: string, code: number | null) => void) {
    this.onCrash = cb;
  }

  async start(spec: ChildSpec): Promise<void> {
    const log = createWriteStream(spec.logFile, { flags: 'a' });
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', chunk => {
        log.write(chunk);
        if (spec.echo) process.stdout.write(chunk);
      });
    }
    const exited = new Promise<number | null>(resolvePromise => {
      child.once('exit', code => resolvePromise(code));
      child.once('error', () => resolvePromise(-1));
    });
    const entry: Running = { spec, child, log, exited };
    this.running.push(entry);

    const abort = new AbortController();
    let exitCode: number | null | undefined;
    let ready = false;
    exited.then(code => {
      exitCode = code;
      abort.abort();
      if (!this.stopping && this.onCrash && ready) this.onCrash(spec.name, code);
    });
    ready = await spec.ready(abort.signal);
    if (!ready) {
      if (exitCode !== undefined) {
        await new Promise(r => log.end(r));
        const why = tail(spec.logFile) || `exit code ${exitCode}`;
        throw new PortalError(`${spec.name} stopped during start: ${why} (log: ${spec.logFile})`);
      }
      throw new PortalError(
        `${spec.name} was not ready within ${Math.round(spec.readyTimeoutMs / 1000)} s (log: ${spec.logFile})`,
      );
    }
  }

  /** SIGTERM in reverse start order, SIGKILL after `graceMs`. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const entry of [...this.running].reverse()) {
      const { child, exited, log } = entry;
      if (child.exitCode === null && child.signalCode === null && child.pid) {
        try {
          process.kill(-child.pid, 'SIGTERM');
        } catch {
          // already gone
        }
        const timer = setTimeout(() => {
          try {
            process.kill(-child.pid!, 'SIGKILL');
          } catch {
            // already gone
          }
        }, graceMs);
        await exited;
        clearTimeout(timer);
      }
      log.end();
    }
    this.running.length = 0;
  }

  /** Last resort when the launcher itself is exiting abnormally: no waiting is possible here. */
  killAllNow(): void {
    for (const { child } of this.running) {
      if (child.pid && child.exitCode === null) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    }
  }
}
