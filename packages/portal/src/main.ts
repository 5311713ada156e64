import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { prepareDataDir, PreparedDataDir } from './dataDir';
import { backendPart, embeddedParts } from './parts';
import { PortalError } from './PortalError';
import { assertPortFree } from './ports';
import { PortalSettings, readSettings } from './settings';
import { ChildSpec, Supervisor } from './Supervisor';
import { describeSupervisorEvent } from './supervisorMessages';

function say(line: string) {
  process.stdout.write(`catalyst: ${line}\n`);
}

function which(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Fails early, with the fix in the message, when a prerequisite of the embedded portal is absent. */
function checkPrerequisites(s: PortalSettings): { natsServer: string } {
  const natsServer = which('nats-server');
  if (!natsServer) {
    throw new PortalError('nats-server is not installed; `npm start` installs it (Debian package nats-server)');
  }
  if (!existsSync(join(s.rootDir, 'packages/app/dist/index.html'))) {
    throw new PortalError('the portal app is not built (packages/app/dist is missing); run `npm start`');
  }
  if (!existsSync(join(s.rootDir, 'packages/devcluster/dist/index.cjs.js'))) {
    throw new PortalError('the devcluster is not built (packages/devcluster/dist is missing); run `npm start`');
  }
  if (!existsSync(join(s.rootDir, 'packages/idp/dist/index.cjs.js'))) {
    throw new PortalError('the identity provider is not built (packages/idp/dist is missing); run `npm start`');
  }
  return { natsServer };
}

/**
 * `catalyst-portal start`: data dir → nats-server → devcluster → identity provider → backend serving
 * the app, each waited for. nats-server, the devcluster and the identity provider are restarted when
 * they crash (the backend reconnects to them); Ctrl-C stops everything in reverse order. Returns the
 * process exit code.
 */
export async function runPortal(rootDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const supervisor = new Supervisor();
  let dataDir: PreparedDataDir | undefined;
  const emergency = () => supervisor.killAllNow();
  process.once('exit', emergency);
  try {
    const s = readSettings(rootDir, env);
    await assertPortFree(s.host, s.backendPort, 'backend', 'CATALYST_PORT');
    await assertPortFree(s.host, s.natsPort, 'nats-server', 'CATALYST_NATS_PORT');
    await assertPortFree(s.host, s.devclusterPort, 'devcluster', 'CATALYST_DEVCLUSTER_PORT');
    await assertPortFree(s.host, s.idpPort, 'identity provider', 'CATALYST_IDP_PORT');
    dataDir = prepareDataDir(s.dataDir, new Date());
    const { natsServer } = checkPrerequisites(s);
    say(`data dir ${s.dataDir}${dataDir.created ? ' (new: it will be seeded)' : ''}`);

    const stopped = new Promise<number>(resolvePromise => {
      for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
        process.once(signal, () => resolvePromise(0));
      }
      // `npm start` does not pass a SIGTERM on to its script, and a supervisor that kills our parent
      // sends us nothing: once orphaned, stop instead of leaving nats-server, the devcluster and the
      // backend running with nobody to stop them.
      const parent = process.ppid;
      let orphaned = false;
      setInterval(() => {
        if (orphaned || process.ppid === parent) return;
        orphaned = true;
        say('the process that started the portal has exited');
        resolvePromise(0);
      }, 1000).unref();
      supervisor.onEvent(event => {
        say(describeSupervisorEvent(event));
        // A part that is not restarted (the backend), or one that keeps crashing, ends the portal.
        if (event.type === 'gave-up' || event.type === 'exited') resolvePromise(1);
      });
    });

    // Ctrl-C, orphaning or a part giving up while a later part starts: stop now rather than after
    // the start finishes (the backend's can take minutes). The abandoned start fails quietly.
    const startPart = async (spec: ChildSpec) => {
      const started = supervisor.start(spec);
      const first = await Promise.race([started.then(() => 'ready' as const), stopped.then(() => 'stopped' as const)]);
      if (first === 'stopped') started.catch(() => {});
      return first === 'ready';
    };

    for (const part of [...embeddedParts(s, env, natsServer), backendPart(s, env)]) {
      if (!(await startPart(part.spec))) break;
      say(part.readyLine);
    }

    const code = await stopped;
    say('stopping…');
    await supervisor.stopAll();
    say('stopped');
    return code;
  } catch (e) {
    await supervisor.stopAll(3_000);
    if (e instanceof PortalError) {
      process.stderr.write(`catalyst: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    dataDir?.release();
    process.removeListener('exit', emergency);
  }
}
