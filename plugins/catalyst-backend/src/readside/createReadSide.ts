import {
  ApplicationView,
  BlueprintUsageEntry,
  CatalystClusterConfig,
  kvKey,
  SoakObservation,
  soakObservationOfView,
} from '@internal/plugin-catalyst-common';
import os from 'node:os';
import type { HttpAuthService, LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { ServiceUnavailableError } from '@backstage/errors';
import { jetstream, jetstreamManager, JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import { NatsConnection, nuid } from '@nats-io/transport-node';
import type express from 'express';
import type { CatalystAudit } from '../audit/CatalystAudit';
import type { CatalystAccess, CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import { ReplicatedKvm } from '../nats/ReplicatedKvm';
import { EnvironmentWorker } from './EnvironmentWorker';
import { readClusterConfig } from './kubernetes/clusters';
import { assertEnvironmentName, rebuildSubject, ReadSideEnvironment } from './names';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { GitRepository } from '../git/GitRepository';
import { KvLeases } from './ownership/KvLeases';
import { openGitHeadsBucket } from './publishers/GitCommitPublisher';
import { JetStreamEventPublisher } from './publishers/JetStreamEventPublisher';
import { createReadSideRouter, environmentNotFound } from './sse/createReadSideRouter';
import { EventStreamSettings } from './sse/EventStreamSession';
import { KvHubRegistry } from './sse/KvEnvironmentHub';
import { JetStreamStreams, StreamLimits } from './streams/JetStreamStreams';
import { KvBlueprintUsage } from './usage/KvBlueprintUsage';
import { errorMessage } from './util';

/** Timings a test or a small deployment may change; the defaults suit production. */
export interface ReadSideTuning {
  /** Ownership lease lifetime; renewed every third of it. Default 15 s. */
  leaseTtlMs: number;
  /** How often the Environment registry is read again. Default 10 s. */
  registryRefreshMs: number;
  /** Git head polling. Default 1 s. */
  gitPollMs: number;
  /** How long a hub lingers after its last reader. Default 60 s. */
  hubLingerMs: number;
  eventStream: Partial<EventStreamSettings>;
  streams: Partial<StreamLimits>;
}

export interface ReadSideOptions {
  config: Config;
  logger: LoggerService;
  /** Already connected (connectNats). */
  nats: NatsConnection;
  gitRoot: string;
  /** How the Git watcher opens an Environment's repo (see EnvironmentWorkerOptions); default: the bare repos under `gitRoot`. */
  openRepository?: (environment: string) => Promise<GitRepository | undefined>;
  /** The Environment registry; read again periodically, so Environments may appear at runtime. */
  environments: () => Promise<Array<{ name: string; organization: string; envType: string }>>;
  access: CatalystAccess;
  httpAuth: HttpAuthService;
  /** Where the router's refusals go (see CatalystAudit). */
  audit: CatalystAudit;
  /** See ReadSideRouterOptions.accessChanges. */
  accessChanges?: (listener: (userRef: string) => void) => () => void;
  /** Not used: ownership is a NATS KV lease per Environment (see README, "Read side"). */
  scheduler?: SchedulerService;
  /**
   * This replica's name in the ownership leases and logs (e.g. the pod name); default
   * `<hostname>-<pid>-<random>`. Must differ between replicas.
   */
  replicaId?: string;
  /**
   * Copies JetStream keeps of every stream and KV bucket the read side creates
   * (`catalyst.nats.replicas`): 1 on one nats-server, 3 on a three-node cluster. Default 1.
   */
  natsReplicas?: number;
  tuning?: Partial<ReadSideTuning>;
}

export interface ReadSide {
  /** The write side publishes domain events through this. */
  publisher: CatalystEventPublisher;
  /** Mount under /api/catalyst: GET /events, GET /environments/:env/status, …/applications/:app/status. */
  router: express.Router;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Rebuilds one Environment's KV from its stream, on whichever replica owns the Environment. */
  rebuild(environment: string): Promise<void>;
  /**
   * What the soak rule needs of an Application in a (source) Environment: its pin and since when it
   * has run healthily at it, from this replica's mirror of the read model; null when it does not.
   */
  soakObservation(environment: string, application: string): Promise<SoakObservation | null>;
  /**
   * Calls `listener` when a batch this replica projected changed an Application's soak observation
   * (the projector of an Environment runs on one replica, so each change is reported once).
   * Returns the unsubscribe.
   */
  onSoakChanged(listener: (environment: string, application: string) => void): () => void;
  /**
   * The live views of an Environment's Applications (status with its reason, applied revision), from
   * this replica's mirror of the read model: what GraphQL's `Application.status` answers. The caller
   * authorized the read.
   */
  applicationViews(environment: string): Promise<Map<string, ApplicationView>>;
  /**
   * "Applications using this Blueprint": every Application Git pins to `blueprint` in the given
   * Environments (the caller's readable ones), with its live status, sorted by Environment then
   * Application; with `organization`, only that Organization's shared-blueprints Applications.
   * Served from this replica's mirror of the shared usage view, which every Environment's
   * projector keeps; it reads no Environment, so it does not grow with their number. An
   * Application appears once the projector has folded the commit that installed it.
   */
  blueprintUsage(
    blueprint: string,
    options: { environments: readonly string[]; organization?: string },
  ): Promise<BlueprintUsageEntry[]>;
}

const DEFAULT_TUNING: ReadSideTuning = {
  leaseTtlMs: 15_000,
  registryRefreshMs: 10_000,
  gitPollMs: 1000,
  hubLingerMs: 60_000,
  eventStream: {},
  streams: {},
};

/**
 * The whole read side of one backend replica (DESIGN §6, §10):
 * - event spine: one stream per Organization, the publisher the write side uses;
 * - per Environment, on the one replica holding its lease: projector, informers, Git watcher;
 * - on every replica: KV mirrors feeding its own SSE clients and REST reads.
 */
class DefaultReadSide implements ReadSide {
  readonly publisher: JetStreamEventPublisher;
  readonly router: express.Router;
  private readonly tuning: ReadSideTuning;
  private readonly clusters: CatalystClusterConfig[];
  private readonly streams: JetStreamStreams;
  private readonly hubs: KvHubRegistry;
  private readonly kvm: Kvm;
  private readonly openRepository: (environment: string) => Promise<GitRepository | undefined>;
  private readonly owner: string;
  private registry = new Map<string, ReadSideEnvironment>();
  private registryReadAt = 0;
  private readonly workers = new Map<string, EnvironmentWorker>();
  private leases: KvLeases | undefined;
  private heads: KV | undefined;
  private usage: KvBlueprintUsage | undefined;
  private readonly soakListeners = new Set<(environment: string, application: string) => void>();
  private timer: NodeJS.Timeout | undefined;
  private ticking: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly options: ReadSideOptions,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
  ) {
    this.tuning = { ...DEFAULT_TUNING, ...options.tuning };
    this.owner = options.replicaId ?? `${os.hostname()}-${process.pid}-${nuid.next().slice(-6)}`;
    this.clusters = readClusterConfig(options.config);
    this.kvm = new ReplicatedKvm(js, options.natsReplicas ?? 1);
    if (options.openRepository) this.openRepository = options.openRepository;
    else {
      const repos = EnvironmentRepositories.create({ gitRoot: options.gitRoot });
      this.openRepository = environment => repos.openIfExists(environment);
    }
    this.streams = JetStreamStreams.create({
      jsm,
      logger: options.logger,
      limits: { replicas: options.natsReplicas ?? 1, ...this.tuning.streams },
    });
    this.publisher = JetStreamEventPublisher.create({
      js,
      logger: options.logger,
      ensureStream: organization => this.streams.ensure(organization, this.environmentsOf(organization)),
      forgetStream: organization => this.streams.forget(organization),
    });
    this.hubs = KvHubRegistry.create({ kvm: this.kvm, logger: options.logger, lingerMs: this.tuning.hubLingerMs });
    this.router = createReadSideRouter({
      httpAuth: options.httpAuth,
      access: options.access,
      hubs: this.hubs,
      environmentExists: name => this.environmentExists(name),
      logger: options.logger,
      eventStream: this.tuning.eventStream,
      audit: options.audit,
      ...(options.accessChanges ? { accessChanges: options.accessChanges } : {}),
    });
  }

  async soakObservation(environment: string, application: string): Promise<SoakObservation | null> {
    const { hub, release } = await this.hubs.acquire(environment);
    try {
      const value = hub.get(kvKey('application', application))?.value;
      return value ? soakObservationOfView(JSON.parse(value) as ApplicationView) : null;
    } finally {
      release();
    }
  }

  onSoakChanged(listener: (environment: string, application: string) => void): () => void {
    this.soakListeners.add(listener);
    return () => this.soakListeners.delete(listener);
  }

  async applicationViews(environment: string): Promise<Map<string, ApplicationView>> {
    const { hub, release } = await this.hubs.acquire(environment);
    try {
      const views = new Map<string, ApplicationView>();
      for (const [, value] of hub.snapshot(key => key.startsWith('application.')).entries) {
        const view = JSON.parse(value) as ApplicationView;
        views.set(view.name, view);
      }
      return views;
    } finally {
      release();
    }
  }

  async blueprintUsage(
    blueprint: string,
    options: { environments: readonly string[]; organization?: string },
  ): Promise<BlueprintUsageEntry[]> {
    if (!this.usage) throw new ServiceUnavailableError('The read side has not started');
    try {
      return await this.usage.usage(blueprint, options);
    } catch (error) {
      throw new ServiceUnavailableError(`The Blueprint usage view is not available: ${errorMessage(error)}`);
    }
  }

  async start(): Promise<void> {
    const { logger, nats } = this.options;
    this.stopped = false;
    this.leases = await KvLeases.create({ kvm: this.kvm, owner: this.owner, ttlMs: this.tuning.leaseTtlMs });
    this.heads = await openGitHeadsBucket(this.kvm);
    this.usage ??= await KvBlueprintUsage.create({ kvm: this.kvm, js: this.js, logger });
    this.usage.start();
    (async () => {
      for await (const status of nats.status()) {
        // A watch's consumer may not survive a server restart; resume every mirror from its revision.
        if (status.type === 'reconnect') {
          this.hubs.restartWatches();
          this.usage?.restartWatch();
        }
      }
    })().catch(() => undefined);
    await this.tick();
    this.schedule();
    logger.info('Read side started', {
      owner: this.owner,
      environments: this.registry.size,
      owned: this.workers.size,
      clusters: this.clusters.map(c => c.name).join(','),
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.ticking;
    const workers = [...this.workers.values()];
    this.workers.clear();
    await Promise.all(
      workers.map(async worker => {
        await worker.stop();
        await this.leases?.release(worker.environment.name);
      }),
    );
    await this.hubs.stop();
    await this.usage?.stop();
  }

  async rebuild(environment: string): Promise<void> {
    if (!(await this.environmentExists(environment))) throw environmentNotFound(environment);
    const local = this.workers.get(environment);
    if (local) {
      await local.projector.rebuild();
      return;
    }
    let reply: { ok: boolean; error?: string };
    try {
      const msg = await this.options.nats.request(rebuildSubject(environment), '', { timeout: 10 * 60 * 1000 });
      reply = msg.json<{ ok: boolean; error?: string }>();
    } catch (error) {
      throw new ServiceUnavailableError(`No replica owns Environment ${environment} right now: ${errorMessage(error)}`);
    }
    if (!reply.ok) throw new Error(`Rebuilding ${environment} failed: ${reply.error}`);
  }

  private environmentsOf(organization: string): string[] {
    return [...this.registry.values()].filter(e => e.organization === organization).map(e => e.name);
  }

  private async environmentExists(name: string): Promise<boolean> {
    if (this.registry.has(name)) return true;
    // A brand-new Environment may not be in the cached registry yet: look again, at most every second.
    if (Date.now() - this.registryReadAt > 1000) await this.refreshRegistry().catch(() => undefined);
    return this.registry.has(name);
  }

  private async refreshRegistry(): Promise<void> {
    const listed = await this.options.environments();
    const next = new Map<string, ReadSideEnvironment>();
    for (const env of listed) {
      try {
        const parsed = assertEnvironmentName(env.name);
        next.set(env.name, { name: env.name, organization: parsed.organization, envType: parsed.envType });
      } catch (error) {
        this.options.logger.warn('Ignoring an Environment with an invalid name', {
          environment: env.name,
          error: errorMessage(error),
        });
      }
    }
    this.registry = next;
    this.registryReadAt = Date.now();
  }

  private schedule() {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = undefined;
        this.schedule();
      });
    }, this.tuning.leaseTtlMs / 3);
    this.timer.unref?.();
  }

  /** Reads the registry when due, keeps streams in shape, and takes, keeps or gives up leases. */
  private async tick(): Promise<void> {
    const { logger } = this.options;
    const leases = this.leases;
    if (!leases || this.stopped) return;
    try {
      if (Date.now() - this.registryReadAt >= this.tuning.registryRefreshMs || this.registry.size === 0) {
        await this.refreshRegistry();
      }
      const organizations = new Set([...this.registry.values()].map(e => e.organization));
      for (const organization of organizations)
        await this.streams.ensure(organization, this.environmentsOf(organization));
    } catch (error) {
      logger.warn('Read side could not refresh Environments or streams', { error: errorMessage(error) });
    }

    await Promise.all(
      [...this.registry.values()].map(async env => {
        const worker = this.workers.get(env.name);
        try {
          if (worker) {
            const kept = await leases.renew(env.name).catch(() => leases.holds(env.name));
            if (!kept) await this.stopWorker(env.name, 'lease lost');
            else worker.keepRunning();
          } else if (!this.stopped && (await leases.tryAcquire(env.name))) {
            this.startWorker(env);
          }
        } catch (error) {
          logger.warn('Lease operation failed', { environment: env.name, error: errorMessage(error) });
        }
      }),
    );
    for (const name of [...this.workers.keys()]) {
      if (!this.registry.has(name)) {
        await this.stopWorker(name, 'Environment no longer registered');
        await leases.release(name);
      }
    }
  }

  private startWorker(environment: ReadSideEnvironment) {
    const leases = this.leases!;
    const worker = EnvironmentWorker.create({
      environment,
      nats: this.options.nats,
      js: this.js,
      jsm: this.jsm,
      kvm: this.kvm,
      heads: this.heads!,
      openRepository: this.openRepository,
      clusters: this.clusters,
      publisher: this.publisher,
      usage: this.usage,
      // a listener's failure is its own: the batch is written and acked, the projector goes on
      onSoakChanged: applications =>
        applications.forEach(app =>
          this.soakListeners.forEach(listener => {
            try {
              listener(environment.name, app);
            } catch (error) {
              this.options.logger.warn('A soak listener failed', {
                environment: environment.name,
                error: String(error),
              });
            }
          }),
        ),
      logger: this.options.logger,
      holdsLease: () => leases.holds(environment.name),
      gitPollMs: this.tuning.gitPollMs,
    });
    this.workers.set(environment.name, worker);
    worker.start();
  }

  private async stopWorker(name: string, reason: string) {
    const worker = this.workers.get(name);
    if (!worker) return;
    this.workers.delete(name);
    this.leases?.drop(name);
    this.options.logger.info('Read side stopping Environment', { environment: name, reason });
    await worker.stop();
  }
}

/**
 * Builds the read side. Nothing runs until `start()`; `plugin.ts` calls it in `init` and `stop()`
 * from a shutdown hook.
 */
export async function createReadSide(options: ReadSideOptions): Promise<ReadSide> {
  const js = jetstream(options.nats);
  const jsm = await jetstreamManager(options.nats);
  return new DefaultReadSide(options, js, jsm);
}
