import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { freePort } from './freePort';

export interface TestNatsServer {
  url: string;
  port: number;
  storeDir: string;
  /** SIGTERM and wait; the store is kept so `restart()` resumes the same JetStream state. */
  stop(): Promise<void>;
  /** Starts again on the same port and store (for reconnect/resume tests). */
  restart(): Promise<void>;
  /** SIGKILL, no goodbye: what a crash looks like to clients. */
  kill(): Promise<void>;
  /** Stops and deletes the store. */
  dispose(): Promise<void>;
}

function greets(port: number): Promise<boolean> {
  return new Promise(resolvePromise => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(500, () => {
      s.destroy();
      resolvePromise(false);
    });
    s.once('data', d => {
      s.destroy();
      resolvePromise(d.toString().startsWith('INFO'));
    });
    s.once('error', () => resolvePromise(false));
  });
}

export interface TestNatsServerOptions {
  /**
   * A nats-server configuration file (accounts, users, permissions), used as it is. The server
   * still listens on 127.0.0.1, a free port and a temp store: the command line's `-a`, `-p`, `-js`
   * and `-sd` override what the file says, so a production example can be tested unchanged.
   */
  configFile?: string;
  /**
   * Environment of the server process, added to this process's: the values of the `$NAME`
   * references in `configFile` (passwords), which nats-server resolves from its environment.
   */
  env?: Record<string, string>;
}

/** Keeps the last few KiB a child wrote, to say why it would not start. */
function tail(limit = 4096) {
  let text = '';
  return {
    add: (chunk: Buffer) => {
      text = (text + chunk.toString()).slice(-limit);
    },
    text: () => text.trim(),
  };
}

/**
 * A real nats-server (Debian package) with JetStream on 127.0.0.1 and a free port, for tests.
 * Every test that needs NATS uses this: the protocol and JetStream semantics are the real ones.
 */
export async function startTestNatsServer(options: TestNatsServerOptions = {}): Promise<TestNatsServer> {
  const port = await freePort();
  const storeDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-nats-'));
  const config = options.configFile ? ['-c', options.configFile] : [];
  let child: ChildProcess | undefined;

  const start = async () => {
    const output = tail();
    child = spawn('nats-server', [...config, '-a', '127.0.0.1', '-p', String(port), '-js', '-sd', storeDir], {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    child.stderr?.on('data', output.add);
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`nats-server exited with ${child.exitCode}: ${output.text()}`);
      if (await greets(port)) return;
      await new Promise(r => setTimeout(r, 50));
    }
    throw new Error(`nats-server did not start within 10 s: ${output.text()}`);
  };
  const stopWith = async (signal: NodeJS.Signals) => {
    const c = child;
    child = undefined;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>(resolvePromise => {
      c.once('exit', () => resolvePromise());
      c.kill(signal);
    });
  };

  try {
    await start();
  } catch (error) {
    // A server that would not start (a config it refused) leaves no store behind.
    await stopWith('SIGKILL');
    fs.rmSync(storeDir, { recursive: true, force: true });
    throw error;
  }
  return {
    url: `nats://127.0.0.1:${port}`,
    port,
    storeDir,
    stop: () => stopWith('SIGTERM'),
    kill: () => stopWith('SIGKILL'),
    restart: async () => {
      await stopWith('SIGTERM');
      await start();
    },
    dispose: async () => {
      await stopWith('SIGTERM');
      fs.rmSync(storeDir, { recursive: true, force: true });
    },
  };
}
