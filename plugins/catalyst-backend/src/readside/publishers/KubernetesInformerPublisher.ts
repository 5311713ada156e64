import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AppsV1Api,
  CoreV1Api,
  CustomObjectsApi,
  Informer,
  KubeConfig,
  KubernetesListObject,
  KubernetesObject,
  makeInformer,
  ObjectCache,
} from '@kubernetes/client-node';
import { CatalystEvent, EnvironmentClusterTarget, validateEvent } from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import { kubeConfigFor } from '../kubernetes/clusters';
import type { ReadSideEnvironment } from '../names';
import { backoffMs, errorMessage, sleep } from '../util';
import { KnownObject, missingObjectEvents, objectEvent, WatchedKind } from './kubernetesEvents';

type ListFn = () => Promise<KubernetesListObject<KubernetesObject>>;

interface Resource {
  kind: WatchedKind;
  path: string;
  list: (kc: KubeConfig) => ListFn;
}

const custom = (group: string, version: string, plural: string) => (kc: KubeConfig) => {
  const api = kc.makeApiClient(CustomObjectsApi);
  return () =>
    api.listClusterCustomObject({ group, version, plural }) as Promise<KubernetesListObject<KubernetesObject>>;
};

/** Every kind the read model folds, listed and watched across all namespaces. */
const RESOURCES: Resource[] = [
  { kind: 'Namespace', path: '/api/v1/namespaces', list: kc => () => kc.makeApiClient(CoreV1Api).listNamespace() },
  {
    kind: 'Deployment',
    path: '/apis/apps/v1/deployments',
    list: kc => () => kc.makeApiClient(AppsV1Api).listDeploymentForAllNamespaces(),
  },
  {
    kind: 'ReplicaSet',
    path: '/apis/apps/v1/replicasets',
    list: kc => () => kc.makeApiClient(AppsV1Api).listReplicaSetForAllNamespaces(),
  },
  { kind: 'Pod', path: '/api/v1/pods', list: kc => () => kc.makeApiClient(CoreV1Api).listPodForAllNamespaces() },
  {
    kind: 'Service',
    path: '/api/v1/services',
    list: kc => () => kc.makeApiClient(CoreV1Api).listServiceForAllNamespaces(),
  },
  {
    kind: 'Kustomization',
    path: '/apis/kustomize.toolkit.fluxcd.io/v1/kustomizations',
    list: custom('kustomize.toolkit.fluxcd.io', 'v1', 'kustomizations'),
  },
  {
    kind: 'HelmRelease',
    path: '/apis/helm.toolkit.fluxcd.io/v2/helmreleases',
    list: custom('helm.toolkit.fluxcd.io', 'v2', 'helmreleases'),
  },
  {
    kind: 'GitRepository',
    path: '/apis/source.toolkit.fluxcd.io/v1/gitrepositories',
    list: custom('source.toolkit.fluxcd.io', 'v1', 'gitrepositories'),
  },
];

export interface KubernetesInformerPublisherOptions {
  target: EnvironmentClusterTarget;
  environment: ReadSideEnvironment;
  publisher: CatalystEventPublisher;
  logger: LoggerService;
  /**
   * The read model's objects of a kind. On an informer's first list, objects known there but absent
   * from the cluster get a deletion event (they went while no backend watched). Undefined skips it.
   */
  knownObjects?: (kind: WatchedKind) => Promise<KnownObject[] | undefined>;
  /** Events waiting for NATS at most; beyond, they are dropped and every informer lists again. Default 20,000. */
  maxQueue?: number;
  now?: () => Date;
}

interface Running {
  resource: Resource;
  informer: Informer<KubernetesObject> & ObjectCache<KubernetesObject>;
  failures: number;
}

/**
 * The informers of one (cluster, Environment) pair: `makeInformer` list + watch for Namespaces,
 * Deployments, ReplicaSets, Pods, Services and the Flux Kustomizations, HelmReleases and
 * GitRepositories, turned into read-side events (objects trimmed to what the projection reads).
 *
 * - Watch errors: the informer stops; it is started again with backoff, resuming from its last
 *   resourceVersion; a 410 Gone makes it list again (client-node emits deletions for what vanished).
 * - NATS away: events queue in order and are retried; past `maxQueue` the queue is dropped and
 *   every informer lists from scratch once NATS answers, which republishes the current state.
 */
export class KubernetesInformerPublisher {
  private readonly maxQueue: number;
  private readonly now: () => Date;
  private readonly kc: KubeConfig;
  private running: Running[] = [];
  private queue: CatalystEvent[] = [];
  private pumping: Promise<void> | undefined;
  private abort = new AbortController();
  private relistRequested = false;
  private rejected = 0;

  private constructor(private readonly options: KubernetesInformerPublisherOptions) {
    this.maxQueue = options.maxQueue ?? 20_000;
    this.now = options.now ?? (() => new Date());
    this.kc = kubeConfigFor(options.target);
  }

  static create(options: KubernetesInformerPublisherOptions): KubernetesInformerPublisher {
    return new KubernetesInformerPublisher(options);
  }

  /** Starts every informer; resolves once each has listed (or failed to, and is retrying). */
  async start(): Promise<void> {
    this.abort = new AbortController();
    await Promise.all(RESOURCES.map(resource => this.startInformer(resource)));
    this.options.logger.info('Informers started', {
      environment: this.options.environment.name,
      cluster: this.options.target.name,
      server: this.options.target.server,
    });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    const running = this.running;
    this.running = [];
    await Promise.all(running.map(r => r.informer.stop()));
    await this.pumping;
  }

  /** Resolves when every event seen so far is stored (tests). */
  async flushed(): Promise<void> {
    while (this.queue.length > 0 || this.pumping) {
      await (this.pumping ?? sleep(10));
    }
  }

  private async startInformer(resource: Resource): Promise<void> {
    const { environment, logger, target } = this.options;
    const list = resource.list(this.kc);
    let firstList = true;
    const listOnce: ListFn = async () => {
      const result = await list();
      if (firstList) {
        firstList = false;
        await this.enqueueMissing(resource.kind, result);
      }
      return result;
    };
    const informer = makeInformer(this.kc, resource.path, listOnce);
    const entry: Running = { resource, informer, failures: 0 };
    this.running.push(entry);

    const publish = (deleted: boolean) => (object: KubernetesObject) => {
      entry.failures = 0;
      this.enqueue(
        objectEvent({
          environment: environment.name,
          organization: environment.organization,
          kind: resource.kind,
          object,
          deleted,
          time: this.now().toISOString(),
        }),
      );
    };
    informer.on('add', publish(false));
    informer.on('update', publish(false));
    informer.on('delete', publish(true));
    informer.on('error', (error?: unknown) => {
      if (this.abort.signal.aborted || !this.running.includes(entry)) return;
      entry.failures += 1;
      const wait = backoffMs(entry.failures, 500, 30_000);
      logger.warn('Informer failed; restarting', {
        environment: environment.name,
        cluster: target.name,
        kind: resource.kind,
        retryInMs: wait,
        error: errorMessage(error),
      });
      sleep(wait, this.abort.signal).then(() => {
        if (!this.abort.signal.aborted && this.running.includes(entry)) informer.start().catch(() => undefined);
      });
    });
    await informer.start();
  }

  /** After a first list: deletions for what the read model has and the cluster no longer does. */
  private async enqueueMissing(kind: WatchedKind, list: KubernetesListObject<KubernetesObject>): Promise<void> {
    const { knownObjects, environment, logger } = this.options;
    const listResourceVersion = list.metadata?.resourceVersion;
    if (!knownObjects || !listResourceVersion) return;
    try {
      const known = await knownObjects(kind);
      if (!known) return;
      const events = missingObjectEvents({
        environment: environment.name,
        organization: environment.organization,
        kind,
        known,
        listed: list.items,
        listResourceVersion,
        time: this.now().toISOString(),
      });
      if (events.length > 0) {
        logger.info('Objects went while unwatched; publishing their deletion', {
          environment: environment.name,
          kind,
          count: events.length,
        });
      }
      events.forEach(e => this.enqueue(e));
    } catch (error) {
      logger.warn('Could not compare the first list with the read model', {
        environment: environment.name,
        kind,
        error: errorMessage(error),
      });
    }
  }

  private enqueue(event: CatalystEvent): void {
    // One malformed object (a foreign condition status, …) must not block the queue behind it.
    const validation = validateEvent(event);
    if (!validation.ok) {
      this.rejected += 1;
      if (this.rejected <= 10 || this.rejected % 1000 === 0) {
        this.options.logger.warn('Informer skipped an object the event schema rejects', {
          environment: this.options.environment.name,
          id: event.id,
          issue: validation.issues[0]?.message,
          rejectedSoFar: this.rejected,
        });
      }
      return;
    }
    if (this.queue.length >= this.maxQueue) {
      this.queue = [];
      this.requestRelist();
      return;
    }
    this.queue.push(event);
    this.pumping ??= this.pump().finally(() => {
      this.pumping = undefined;
    });
  }

  private async pump(): Promise<void> {
    let failures = 0;
    while (this.queue.length > 0 && !this.abort.signal.aborted) {
      const batch = this.queue.slice(0, 500);
      try {
        await this.options.publisher.publish(batch);
        // Events queued meanwhile sit behind the batch; a drop (overflow) replaced the array.
        if (this.queue[0] === batch[0]) this.queue.splice(0, batch.length);
        failures = 0;
      } catch (error) {
        failures += 1;
        this.options.logger.warn('Informer events not stored yet; retrying', {
          environment: this.options.environment.name,
          queued: this.queue.length,
          error: errorMessage(error),
        });
        await sleep(backoffMs(failures, 500, 10_000), this.abort.signal);
      }
    }
  }

  /** Drops every informer's cache and lists again (after the queue overflowed). */
  private requestRelist(): void {
    if (this.relistRequested) return;
    this.relistRequested = true;
    this.options.logger.warn('Informer queue overflowed while NATS was away; listing everything again', {
      environment: this.options.environment.name,
      maxQueue: this.maxQueue,
    });
    const old = this.running;
    this.running = [];
    (async () => {
      await Promise.all(old.map(r => r.informer.stop()));
      // Give NATS time to come back before listing, or the fresh list overflows again at once.
      await sleep(5000, this.abort.signal);
      if (this.abort.signal.aborted) return;
      this.relistRequested = false;
      await Promise.all(RESOURCES.map(resource => this.startInformer(resource)));
    })().catch(error => {
      this.relistRequested = false;
      this.options.logger.error('Re-listing after an overflow failed', {
        environment: this.options.environment.name,
        error: errorMessage(error),
      });
    });
  }
}
