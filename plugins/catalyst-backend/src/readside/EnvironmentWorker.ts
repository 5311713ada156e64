import type { LoggerService } from '@backstage/backend-plugin-api';
import { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { CatalystClusterConfig, clustersForEnvironment } from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import type { GitRepository } from '../git/GitRepository';
import { rebuildSubject, ReadSideEnvironment } from './names';
import { JetStreamProjector } from './projector/JetStreamProjector';
import { GitCommitPublisher } from './publishers/GitCommitPublisher';
import { knownObjects } from './publishers/kubernetesEvents';
import { KubernetesInformerPublisher } from './publishers/KubernetesInformerPublisher';
import type { KvBlueprintUsage } from './usage/KvBlueprintUsage';
import { errorMessage } from './util';

export interface EnvironmentWorkerOptions {
  environment: ReadSideEnvironment;
  nats: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  kvm: Kvm;
  heads: KV;
  /**
   * The Environment's repo as the write side sees it (EnvironmentRepositories.openIfExists: a bare
   * repo, or a Git host's repo through its mirror); undefined while it does not exist.
   */
  openRepository: (environment: string) => Promise<GitRepository | undefined>;
  clusters: CatalystClusterConfig[];
  publisher: CatalystEventPublisher;
  /** The replica's Blueprint usage view; the projector keeps this Environment's records in it. */
  usage?: KvBlueprintUsage;
  /** The Applications of this Environment whose soak observation a projected batch changed. */
  onSoakChanged?: (applications: string[]) => void;
  logger: LoggerService;
  holdsLease: () => boolean;
  gitPollMs?: number;
  /** How long the informers' first lists wait for the projector to catch up before comparing. */
  catchUpTimeoutMs?: number;
}

/**
 * Everything that must run on exactly one replica for an Environment, started when this replica
 * takes the Environment's lease and stopped when it loses it: the projector, the informers of every
 * cluster serving the Environment, the Git watcher, and the answer to rebuild requests.
 */
export class EnvironmentWorker {
  readonly projector: JetStreamProjector;
  private readonly git: GitCommitPublisher;
  private readonly informers: KubernetesInformerPublisher[];
  private subscription: Subscription | undefined;
  private starting: Promise<void> | undefined;

  private constructor(private readonly options: EnvironmentWorkerOptions) {
    const { environment, logger } = options;
    const envLogger = logger.child({ environment: environment.name });
    this.projector = JetStreamProjector.create({
      js: options.js,
      jsm: options.jsm,
      kvm: options.kvm,
      environment: environment.name,
      organization: environment.organization,
      logger: envLogger,
      holdsLease: options.holdsLease,
      usage: options.usage,
      ...(options.onSoakChanged ? { onSoakChanged: options.onSoakChanged } : {}),
    });
    this.git = GitCommitPublisher.create({
      environment,
      openRepository: () => options.openRepository(environment.name),
      publisher: options.publisher,
      heads: options.heads,
      logger: envLogger,
      pollMs: options.gitPollMs,
    });
    const catchUp = options.catchUpTimeoutMs ?? 30_000;
    this.informers = clustersForEnvironment(options.clusters, environment.name).map(target =>
      KubernetesInformerPublisher.create({
        target,
        environment,
        publisher: options.publisher,
        logger: envLogger,
        knownObjects: async kind => {
          // Compare with the read model only once it has folded what the stream held.
          const caughtUp = await Promise.race([
            this.projector.whenCaughtUp().then(() => true),
            new Promise<boolean>(r => setTimeout(() => r(false), catchUp).unref?.()),
          ]);
          return caughtUp ? knownObjects(this.projector.currentState(), kind) : undefined;
        },
      }),
    );
  }

  static create(options: EnvironmentWorkerOptions): EnvironmentWorker {
    return new EnvironmentWorker(options);
  }

  get environment(): ReadSideEnvironment {
    return this.options.environment;
  }

  start(): void {
    const { logger, environment, nats } = this.options;
    this.projector.start();
    this.git.start();
    this.subscription = nats.subscribe(rebuildSubject(environment.name), {
      callback: (error, msg) => {
        if (error) return;
        this.projector.rebuild().then(
          result => msg.respond(JSON.stringify({ ok: true, ...result })),
          failure => msg.respond(JSON.stringify({ ok: false, error: errorMessage(failure) })),
        );
      },
    });
    // Informers list in the background: a cluster that is down must not hold the projector back.
    this.starting = Promise.all(this.informers.map(i => i.start()))
      .then(() => undefined)
      .catch(error =>
        logger.error('Informers failed to start', { environment: environment.name, error: errorMessage(error) }),
      );
    logger.info('Read side running for Environment', {
      environment: environment.name,
      clusters: this.informers.length,
    });
  }

  /**
   * Called after each lease renewal. The projector stops for good when, about to write, it finds the
   * lease older than it may trust (a stalled event loop can delay renewals that long) even though
   * the renewal then succeeds; without this the Environment would keep a lease and a dead projector.
   */
  keepRunning(): void {
    if (this.projector.isRunning()) return;
    this.options.logger.info('Projector resumed: lease renewed', { environment: this.options.environment.name });
    this.projector.resume();
  }

  async stop(): Promise<void> {
    this.subscription?.unsubscribe();
    await this.starting;
    await Promise.all([...this.informers.map(i => i.stop()), this.git.stop(), this.projector.stop()]);
  }
}
