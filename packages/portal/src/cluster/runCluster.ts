import { PortalError } from '../PortalError';
import { DEFAULT_RESTART_POLICY } from '../Supervisor';
import { describeSupervisorEvent } from '../supervisorMessages';
import { readClusterSettings } from './clusterSettings';
import { RunningCluster, startCluster } from './startCluster';

function say(line: string) {
  process.stdout.write(`catalyst cluster: ${line}\n`);
}

/**
 * `catalyst-portal cluster` (`npm run start:cluster`): the scaled topology on loopback, supervised
 * until Ctrl-C. Every part is restarted when it crashes, the replicas too (as Kubernetes restarts a
 * pod): the point of several replicas is that one dying is survived, so only a part that keeps
 * crashing ends the cluster. Returns the process exit code.
 */
export async function runCluster(rootDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  const abort = new AbortController();
  let cluster: RunningCluster | undefined;
  let resolveStopped: (code: number) => void = () => {};
  const stopped = new Promise<number>(r => {
    resolveStopped = r;
  });
  const onSignal = () => {
    abort.abort();
    resolveStopped(0);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) process.once(signal, onSignal);
  // `npm run` does not pass a SIGTERM on: once orphaned, stop rather than leave the parts running.
  const parent = process.ppid;
  const orphanCheck = setInterval(() => {
    if (process.ppid !== parent) onSignal();
  }, 1000);
  orphanCheck.unref();
  try {
    const settings = readClusterSettings(rootDir, env);
    say(`cluster dir ${settings.clusterDir}`);
    cluster = await startCluster({
      settings,
      env,
      durable: true,
      devTools: true,
      restart: DEFAULT_RESTART_POLICY,
      replicaRestart: DEFAULT_RESTART_POLICY,
      say,
      signal: abort.signal,
    });
    cluster.supervisor.onEvent(event => {
      say(describeSupervisorEvent(event));
      if (event.type === 'gave-up' || event.type === 'exited') resolveStopped(1);
    });
    say(
      `ready: open ${cluster.url} (haproxy in front of ${settings.replicas} replicas: ${cluster.replicaUrls.join(
        ', ',
      )}; logs in ${settings.clusterDir}/logs; Ctrl-C stops everything)`,
    );
    const code = await stopped;
    say('stopping…');
    await cluster.stop();
    say('stopped');
    return code;
  } catch (e) {
    await cluster?.stop();
    if (e instanceof PortalError) {
      process.stderr.write(`catalyst cluster: ${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    clearInterval(orphanCheck);
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('SIGHUP', onSignal);
  }
}
