import { Clock, DevClusterLogger, KubeObject } from './types';
import { ObjectStore } from './store/ObjectStore';
import { admit, ServiceIpAllocator } from './store/admission';
import { FluxReconciler } from './flux/FluxReconciler';
import { FLUX_NAMESPACE } from './flux/sources';
import { GitBranchSource } from './git/GitBranchSource';
import { WorkloadControllers } from './workloads/WorkloadControllers';

export interface EnvironmentClusterOptions {
  environment: string;
  clock: Clock;
  logger: DevClusterLogger;
  podReadyDelayMs: number;
  crashLoopRestartMs: number;
  historyLimit: number;
  strictSubstitution: boolean;
}

/** The name every devcluster cluster carries, so no UI mistakes it for a real one. */
export function devClusterName(environment: string): string {
  return `devcluster-${environment}`;
}

// What a fresh cluster has before Flux applies anything.
function initialObjects(): KubeObject[] {
  const namespaces = ['default', 'kube-node-lease', 'kube-public', 'kube-system', FLUX_NAMESPACE];
  return [
    ...namespaces.map(name => ({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } })),
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kubernetes',
        namespace: 'default',
        labels: { component: 'apiserver', provider: 'kubernetes' },
      },
      spec: { clusterIP: '10.96.0.1', ports: [{ name: 'https', port: 443, protocol: 'TCP', targetPort: 6443 }] },
    },
  ];
}

/**
 * One Environment's stand-in cluster: its object store, the Flux-like
 * reconciler for its repo and the workload controllers. `step()` runs them
 * until the store settles.
 */
export class EnvironmentCluster {
  readonly name: string;
  readonly store: ObjectStore;
  private readonly flux: FluxReconciler;
  private readonly workloads: WorkloadControllers;
  private source: GitBranchSource | undefined;
  private gitdir: string | undefined;

  static create(options: EnvironmentClusterOptions): EnvironmentCluster {
    return new EnvironmentCluster(options);
  }

  private constructor(private readonly options: EnvironmentClusterOptions) {
    this.name = devClusterName(options.environment);
    this.store = ObjectStore.create({
      clusterName: this.name,
      clock: options.clock,
      historyLimit: options.historyLimit,
      // State is in memory, so a restarted devcluster starts over: counting versions from the
      // start time in ms keeps them above every version an earlier run handed out (that would need
      // more than one change per millisecond of its life), as etcd's survive an API server restart.
      firstResourceVersion: Math.floor(options.clock.now()),
    });
    const serviceIps = new ServiceIpAllocator();
    for (const object of initialObjects()) {
      const admitted = admit(object, undefined, serviceIps);
      if (admitted.ok) this.store.write(admitted.object);
    }
    this.flux = FluxReconciler.create({
      store: this.store,
      clock: options.clock,
      logger: options.logger,
      serviceIps,
      gitUrl: 'file:///devcluster/not-fetched',
      strictSubstitution: options.strictSubstitution,
    });
    this.workloads = WorkloadControllers.create({
      store: this.store,
      clock: options.clock,
      podReadyDelayMs: options.podReadyDelayMs,
      crashLoopRestartMs: options.crashLoopRestartMs,
    });
  }

  get environment(): string {
    return this.options.environment;
  }

  get hasRepo(): boolean {
    return this.source !== undefined;
  }

  attachRepo(gitdir: string) {
    if (this.gitdir === gitdir) return;
    this.gitdir = gitdir;
    this.source = new GitBranchSource(gitdir);
  }

  /** Reads the branch head; a new commit becomes the reconciler's source. */
  async poll(): Promise<void> {
    if (!this.source) return;
    try {
      const read = await this.source.poll();
      if (read.kind === 'changed') {
        this.options.logger.info('devcluster: new commit', {
          environment: this.environment,
          revision: `main@sha1:${read.sha}`,
        });
        this.flux.setSource({
          kind: 'ready',
          sha: read.sha,
          revision: `main@sha1:${read.sha}`,
          fs: read.fs,
          fetchedAt: this.options.clock.now(),
        });
      } else if (read.kind === 'missing') {
        this.flux.setSource({ kind: 'failed', message: read.message });
      }
    } catch (error) {
      // A ref or object caught mid-write by another process: try again next poll.
      this.options.logger.warn('devcluster: reading the Environment repo failed', {
        environment: this.environment,
        error: String(error),
      });
    }
  }

  /** Runs Flux and the workload controllers until nothing changes; returns when to run again. */
  step(options: { force?: boolean } = {}): { nextWakeAt?: number } {
    let fluxWake: number | undefined;
    let workloadWake: number | undefined;
    for (let round = 0; round < 10; round++) {
      const before = this.store.currentResourceVersion();
      if (this.source) fluxWake = this.flux.sync({ force: options.force === true && round === 0 }).nextWakeAt;
      workloadWake = this.workloads.sync().nextWakeAt;
      if (this.source) this.flux.checkHealth();
      if (this.store.currentResourceVersion() === before) break;
    }
    const wakes = [fluxWake, workloadWake].filter((w): w is number => w !== undefined);
    return { nextWakeAt: wakes.length > 0 ? Math.min(...wakes) : undefined };
  }
}
