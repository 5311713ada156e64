import { Clock, DevClusterLogger, silentLogger, systemClock } from './types';
import { startApiServer, ClusterDirectory, ServedCluster } from './api/startApiServer';
import { devClusterName, EnvironmentCluster, EnvironmentClusterOptions } from './EnvironmentCluster';
import { discoverEnvironmentRepos, parseEnvironmentName } from './git/discoverEnvironmentRepos';

export interface DevClusterOptions {
  /** Directory holding `<org>/<org>-<env_type>.git` bare repos. */
  gitRoot: string;
  /** Interface to listen on; loopback unless you really mean otherwise. Default `127.0.0.1`. */
  host?: string;
  /** Default 7008; 0 picks a free port (tests). */
  port?: number;
  /** Time from pod creation to Ready. Default 1500. */
  podReadyDelayMs?: number;
  /** How often repos are re-scanned and branch heads polled. Default 500. */
  pollMs?: number;
  /** Time between restarts of a `-crashloop` container. Default 10000. */
  crashLoopRestartMs?: number;
  /** Watch events kept per cluster for resuming; older versions get 410 Gone. Default 2000. */
  historyLimit?: number;
  /** BOOKMARK interval for watches that allow them. Default 60000. */
  bookmarkIntervalMs?: number;
  /** Fail builds on unset `${var}` (Flux's StrictPostBuildSubstitutions gate). Default false, as in Flux. */
  strictSubstitution?: boolean;
  clock?: Clock;
  logger?: DevClusterLogger;
}

export interface DevCluster {
  /** Base URL of the API server, e.g. `http://127.0.0.1:7008`. */
  url: string;
  /** The Kubernetes API server URL of one Environment's cluster: `<url>/clusters/<env>`. */
  clusterUrl(environment: string): string;
  /** `devcluster-<env>`, the name to give the cluster in configuration. */
  clusterName(environment: string): string;
  /** Re-scans the repos, polls the Environment's branch and reconciles now (failed Kustomizations are retried at once). */
  applyNow(environment: string): Promise<void>;
  stop(): Promise<void>;
}

function assertEnvironment(environment: string) {
  if (!parseEnvironmentName(environment)) {
    throw new Error(`devcluster: '${environment}' is not an Environment name (<org>-<prod|stg|uat|dev|poc>)`);
  }
}

interface RuntimeOptions {
  gitRoot: string;
  pollMs: number;
  clock: Clock;
  logger: DevClusterLogger;
  cluster: Omit<EnvironmentClusterOptions, 'environment'>;
}

/**
 * Owns the clusters and the reconcile loop: every tick re-scans the git
 * root, polls each Environment's branch and steps its cluster, then sleeps
 * until the next poll or the next time-based transition, whichever is first.
 * Ticks run one after another, so a store is never reconciled twice at once.
 */
class DevClusterRuntime {
  private readonly clusters = new Map<string, EnvironmentCluster>();
  private queue: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly options: RuntimeOptions) {}

  clusterFor(environment: string): EnvironmentCluster {
    let cluster = this.clusters.get(environment);
    if (!cluster) {
      cluster = EnvironmentCluster.create({ ...this.options.cluster, environment });
      this.clusters.set(environment, cluster);
      this.options.logger.info('devcluster: serving cluster', { environment, cluster: cluster.name });
    }
    return cluster;
  }

  list(): EnvironmentCluster[] {
    return [...this.clusters.values()];
  }

  /** Queues a tick; `force` names an Environment whose failed Kustomizations retry now. */
  enqueue(force?: string): Promise<void> {
    const run = this.queue.then(() => (this.stopped ? undefined : this.tick(force)));
    this.queue = run.catch(error => {
      this.options.logger.error('devcluster: reconcile tick failed', { error: String(error) });
    });
    return run;
  }

  async stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.queue;
  }

  private async tick(force?: string) {
    let nextWakeAt: number | undefined;
    try {
      for (const repo of await discoverEnvironmentRepos(this.options.gitRoot)) {
        this.clusterFor(repo.environment).attachRepo(repo.gitdir);
      }
      for (const cluster of this.clusters.values()) {
        if (this.stopped) return;
        await cluster.poll();
        const { nextWakeAt: wake } = cluster.step({ force: cluster.environment === force });
        if (wake !== undefined && (nextWakeAt === undefined || wake < nextWakeAt)) nextWakeAt = wake;
      }
    } finally {
      this.schedule(nextWakeAt);
    }
  }

  private schedule(nextWakeAt: number | undefined) {
    if (this.stopped) return;
    clearTimeout(this.timer);
    const { pollMs, clock } = this.options;
    const untilWake = nextWakeAt === undefined ? pollMs : Math.max(5, nextWakeAt - clock.now());
    this.timer = setTimeout(() => {
      this.enqueue();
    }, Math.min(pollMs, untilWake));
  }
}

function served(cluster: EnvironmentCluster): ServedCluster {
  return { name: cluster.name, environment: cluster.environment, store: cluster.store };
}

/**
 * Starts the devcluster: a development stand-in for one Kubernetes cluster
 * with Flux per Environment repo, served under `/clusters/<env>` by one HTTP
 * server. Not a real cluster; for development and tests only.
 */
export async function startDevCluster(options: DevClusterOptions): Promise<DevCluster> {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const runtime = new DevClusterRuntime({
    gitRoot: options.gitRoot,
    pollMs: options.pollMs ?? 500,
    clock,
    logger,
    cluster: {
      clock,
      logger,
      podReadyDelayMs: options.podReadyDelayMs ?? 1500,
      crashLoopRestartMs: options.crashLoopRestartMs ?? 10_000,
      historyLimit: options.historyLimit ?? 2000,
      strictSubstitution: options.strictSubstitution ?? false,
    },
  });

  const directory: ClusterDirectory = {
    // A well-formed Environment name gets a cluster even before its repo
    // exists, as a real cluster exists before Flux is bootstrapped.
    get: environment => (parseEnvironmentName(environment) ? served(runtime.clusterFor(environment)) : undefined),
    list: () => runtime.list().map(served),
  };

  const api = await startApiServer({
    directory,
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 7008,
    logger,
    bookmarkIntervalMs: options.bookmarkIntervalMs,
  });
  await runtime.enqueue();

  return {
    url: api.url,
    clusterUrl(environment) {
      assertEnvironment(environment);
      return `${api.url}/clusters/${environment}`;
    },
    clusterName(environment) {
      assertEnvironment(environment);
      return devClusterName(environment);
    },
    async applyNow(environment) {
      assertEnvironment(environment);
      runtime.clusterFor(environment);
      await runtime.enqueue(environment);
    },
    async stop() {
      await runtime.stop();
      await api.stop();
    },
  };
}
