import { ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, readFileSync, WriteStream } from 'node:fs';
import { PortalError } from './PortalError';

/**
 * How a part that crashes is brought back: after a backoff that doubles with every crash still in
 * the window, until it crashed `maxCrashes` times within `windowMs` — then the supervisor gives up.
 */
export interface RestartPolicy {
  initialBackoffMs: number;
  maxBackoffMs: number;
  maxCrashes: number;
  windowMs: number;
}

/**
 * Back after half a second (the backend's NATS client retries every second, so a one-off crash costs
 * it about a second), then 1, 2, 4, 8 s, at most 10 s. Five crashes within two minutes: a part that
 * keeps dying is broken, not unlucky.
 */
export const DEFAULT_RESTART_POLICY: RestartPolicy = {
  initialBackoffMs: 500,
  maxBackoffMs: 10_000,
  maxCrashes: 5,
  windowMs: 120_000,
};

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
  /** Restart it when it dies after being ready; without a policy its death ends the portal. */
  restart?: RestartPolicy;
  /** What `stopAll` sends first (default SIGTERM; PostgreSQL's fast shutdown is SIGINT). */
  stopSignal?: NodeJS.Signals;
  /** Run as this user (PostgreSQL refuses to run as root). */
  uid?: number;
  gid?: number;
}

/** How a process ended: its exit code, or the signal that killed it. */
export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export type SupervisorEvent =
  /**
   * A part with a restart policy died; it is started again after `restartInMs`. `crashes` counts its
   * crashes within the policy's window, including this one; at `maxCrashes` it would have given up.
   */
  | {
      type: 'crashed';
      name: string;
      exit: Exit;
      why: string;
      crashes: number;
      maxCrashes: number;
      windowMs: number;
      restartInMs: number;
      logFile: string;
    }
  /** A restarted part is ready again, `downMs` after it died. */
  | { type: 'restarted'; name: string; pid: number; downMs: number }
  /** It crashed `crashes` times within the window: no more restarts. */
  | { type: 'gave-up'; name: string; exit: Exit; why: string; crashes: number; windowMs: number; logFile: string }
  /** A part without a restart policy died. */
  | { type: 'exited'; name: string; exit: Exit; why: string; logFile: string };

interface Part {
  spec: ChildSpec;
  log: WriteStream;
  child?: ChildProcess;
  exited?: Promise<Exit>;
  /** Aborts the current ready wait (the child died, or everything is stopping). */
  abort?: AbortController;
  crashTimes: number[];
  /** When the running part last died (Date.now()), for the downtime a restart reports. */
  diedAt?: number;
  restartTimer?: NodeJS.Timeout;
  restarting?: Promise<void>;
}

const RESTART_MARK = '--- catalyst: ';

/** The last non-empty lines a child wrote to its log, for an error line that says why it died. */
export function tail(file: string, lines = 1): string {
  try {
    const all = readFileSync(file, 'utf8')
      .split('\n')
      .map(l => l.trim())
      .filter(l => l && !l.startsWith(RESTART_MARK));
    return all.slice(-lines).join(' | ');
  } catch {
    return '';
  }
}

export function describeExit(exit: Exit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;
}

function alive(child: ChildProcess | undefined): child is ChildProcess {
  return !!child?.pid && child.exitCode === null && child.signalCode === null;
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals) {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // already gone
  }
}

/**
 * Starts the portal's processes in order, each in its own process group (so Ctrl-C reaches only the
 * launcher, which then stops them in reverse order), restarts the ones with a restart policy when
 * they crash, and stops them all — and only them — on exit. A restarted part keeps its place in the
 * start order and its log file (appended to).
 */
export class Supervisor {
  private readonly parts: Part[] = [];
  private stopping = false;
  private listener: (event: SupervisorEvent) => void = () => {};

  /** Hears crashes, restarts, give-ups and deaths of parts that are not restarted. */
  onEvent(listener: (event: SupervisorEvent) => void) {
    this.listener = listener;
  }

  /** Starts a part and waits until it is ready; a failure is a PortalError naming its log. */
  async start(spec: ChildSpec): Promise<void> {
    const part: Part = { spec, log: createWriteStream(spec.logFile, { flags: 'a' }), crashTimes: [] };
    this.parts.push(part);
    const failure = await this.launch(part);
    if (failure) throw new PortalError(failure.message);
  }

  /**
   * Spawns the part's process and waits for it to be ready. Returns why it failed, or undefined
   * once ready; from then on its death goes to `died`.
   */
  private async launch(part: Part): Promise<{ message: string; exit: Exit; why: string } | undefined> {
    const { spec } = part;
    const child = spawn(spec.command, spec.args, {
      cwd: spec.cwd,
      env: spec.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(spec.uid !== undefined ? { uid: spec.uid } : {}),
      ...(spec.gid !== undefined ? { gid: spec.gid } : {}),
    });
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.on('data', chunk => {
        part.log.write(chunk);
        if (spec.echo) process.stdout.write(chunk);
      });
    }
    const exited = new Promise<Exit>(resolvePromise => {
      child.once('exit', (code, signal) => resolvePromise({ code, signal }));
      child.once('error', () => resolvePromise({ code: -1, signal: null }));
    });
    const abort = new AbortController();
    Object.assign(part, { child, exited, abort });

    let ready = false;
    let exit: Exit | undefined;
    exited.then(e => {
      exit = e;
      abort.abort();
      if (ready && !this.stopping && part.child === child) this.died(part, e, describeExit(e));
    });
    ready = await spec.ready(abort.signal);
    if (ready) {
      // Died between answering and now: the exit handler above saw it as not ready yet.
      if (exit !== undefined && !this.stopping) this.died(part, exit, describeExit(exit));
      return undefined;
    }
    if (exit === undefined && !this.stopping) {
      // Alive but never answered: it counts as failed, and must not linger.
      signalGroup(child, 'SIGKILL');
      await exited;
      const seconds = Math.round(spec.readyTimeoutMs / 1000);
      const why = `not ready within ${seconds} s`;
      return {
        message: `${spec.name} was not ready within ${seconds} s (log: ${spec.logFile})`,
        exit: exit ?? { code: null, signal: 'SIGKILL' },
        why,
      };
    }
    const finalExit = exit ?? (await exited);
    await new Promise(r => part.log.write('', r));
    const why = tail(spec.logFile) || describeExit(finalExit);
    return { message: `${spec.name} stopped during start: ${why} (log: ${spec.logFile})`, exit: finalExit, why };
  }

  /** A part that was ready ended on its own: restart it, give up on it, or report it. */
  private died(part: Part, exit: Exit, why: string) {
    const { spec } = part;
    const policy = spec.restart;
    if (!policy) {
      this.listener({ type: 'exited', name: spec.name, exit, why, logFile: spec.logFile });
      return;
    }
    const now = Date.now();
    // A restart that failed keeps the first death: the part has been down since then.
    part.diedAt ??= now;
    part.crashTimes = [...part.crashTimes.filter(t => now - t < policy.windowMs), now];
    const crashes = part.crashTimes.length;
    if (crashes >= policy.maxCrashes) {
      this.listener({
        type: 'gave-up',
        name: spec.name,
        exit,
        why,
        crashes,
        windowMs: policy.windowMs,
        logFile: spec.logFile,
      });
      return;
    }
    const restartInMs = Math.min(policy.initialBackoffMs * 2 ** (crashes - 1), policy.maxBackoffMs);
    this.listener({
      type: 'crashed',
      name: spec.name,
      exit,
      why,
      crashes,
      maxCrashes: policy.maxCrashes,
      windowMs: policy.windowMs,
      restartInMs,
      logFile: spec.logFile,
    });
    part.restartTimer = setTimeout(() => {
      part.restartTimer = undefined;
      part.restarting = this.restart(part, crashes).finally(() => {
        part.restarting = undefined;
      });
    }, restartInMs);
  }

  private async restart(part: Part, crashes: number) {
    if (this.stopping) return;
    part.log.write(`${RESTART_MARK}restarting ${part.spec.name} after crash ${crashes} ---\n`);
    const failure = await this.launch(part);
    if (this.stopping) return;
    // A restart that fails to come up is one more crash, with its own backoff.
    if (failure) {
      this.died(part, failure.exit, failure.why);
      return;
    }
    const downMs = Date.now() - (part.diedAt ?? Date.now());
    part.diedAt = undefined;
    this.listener({ type: 'restarted', name: part.spec.name, pid: part.child!.pid!, downMs });
  }

  /** The pid of a part's current process, if it is running. */
  pid(name: string): number | undefined {
    const child = this.parts.find(p => p.spec.name === name)?.child;
    return alive(child) ? child.pid : undefined;
  }

  /** SIGTERM in reverse start order, SIGKILL after `graceMs`; pending restarts are cancelled. */
  async stopAll(graceMs = 10_000): Promise<void> {
    this.stopping = true;
    for (const part of this.parts) {
      clearTimeout(part.restartTimer);
      part.abort?.abort();
    }
    for (const part of [...this.parts].reverse()) {
      // A restart caught between spawn and ready: its child is part.child, stopped below.
      const { child, exited } = part;
      if (alive(child)) {
        signalGroup(child, part.spec.stopSignal ?? 'SIGTERM');
        const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
        await exited;
        clearTimeout(timer);
      }
      await part.restarting;
      await new Promise(r => part.log.end(r));
    }
    this.parts.length = 0;
  }

  /** Last resort when the launcher itself is exiting abnormally: no waiting is possible here. */
  killAllNow(): void {
    for (const { child } of this.parts) {
      if (alive(child)) signalGroup(child, 'SIGKILL');
    }
  }
}
