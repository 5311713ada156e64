import type { LoggerService } from '@backstage/backend-plugin-api';
import { StorageType } from '@nats-io/jetstream';
import { KV, Kvm } from '@nats-io/kv';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import type { LogEntry } from '../../git/GitRepository';
import type { GitRepository } from '../../git/GitRepository';
import { GIT_HEADS_BUCKET, ReadSideEnvironment } from '../names';
import { backoffMs, errorMessage, sleep } from '../util';
import { gitCommitEvent, listTree, TreeListing } from './gitCommitEvent';

/** Opens the bucket of last published heads (one key per Environment). */
export function openGitHeadsBucket(kvm: Kvm): Promise<KV> {
  return kvm.create(GIT_HEADS_BUCKET, {
    history: 1,
    storage: StorageType.File,
    description: 'Last main head the Catalyst Git watcher published, per Environment',
  });
}

export interface GitCommitPublisherOptions {
  environment: ReadSideEnvironment;
  /** The Environment repo, or undefined while it does not exist yet. */
  openRepository: () => Promise<GitRepository | undefined>;
  publisher: CatalystEventPublisher;
  heads: KV;
  logger: LoggerService;
  /** Default 1000 ms: `resolve` of a local ref is a file read. */
  pollMs?: number;
  /** Commits published per poll at most (a first start on a long history). Default 1000. */
  maxCommits?: number;
}

/**
 * Watches one Environment repo's `main` and publishes one `io.catalyst.git.commit` per new commit,
 * oldest first, following first parents back to the last published head (so a merged change request
 * is one commit: its merge, with everything it brought). Catalyst's own writes and pushes by any other
 * Git client are seen the same way.
 *
 * The last published head is kept in the `catalyst-git-heads` bucket and advanced after each
 * commit's publish is acknowledged: a crash in between republishes that commit with the same event
 * id (de-duplicated by JetStream within its window, and by sha in the projection after it), so a
 * restart neither loses nor repeats a commit.
 */
export class GitCommitPublisher {
  private readonly pollMs: number;
  private readonly maxCommits: number;
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private listings = new Map<string, TreeListing>();

  private constructor(private readonly options: GitCommitPublisherOptions) {
    this.pollMs = options.pollMs ?? 1000;
    this.maxCommits = options.maxCommits ?? 1000;
  }

  static create(options: GitCommitPublisherOptions): GitCommitPublisher {
    return new GitCommitPublisher(options);
  }

  start(): void {
    if (this.running) return;
    const abort = new AbortController();
    this.abort = abort;
    this.running = this.loop(abort.signal).finally(() => {
      this.running = undefined;
    });
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    await this.running;
  }

  private async loop(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await this.poll();
        failures = 0;
        await sleep(this.pollMs, signal);
      } catch (error) {
        failures += 1;
        const wait = backoffMs(failures, this.pollMs, 30_000);
        this.options.logger.warn('Git watcher poll failed', {
          environment: this.options.environment.name,
          retryInMs: wait,
          error: errorMessage(error),
        });
        await sleep(wait, signal);
      }
    }
  }

  /** Publishes what is new on `main`; returns the number of commits published. */
  async poll(): Promise<number> {
    const { environment, heads, logger } = this.options;
    const repo = await this.options.openRepository();
    if (!repo) return 0;
    const head = await repo.resolve('refs/heads/main');
    if (!head) return 0;
    const stored = await heads.get(environment.name);
    const last = stored?.operation === 'PUT' ? stored.json<{ sha: string }>().sha ?? undefined : undefined;
    if (head === last) return 0;

    const { commits, truncated } = await this.walk(repo, head, last);
    if (truncated) {
      logger.warn('Git watcher found more new commits than it publishes at once; the oldest report every Application', {
        environment: environment.name,
        published: commits.length,
      });
    }
    let revision = stored?.revision ?? 0;
    for (let i = 0; i < commits.length; i++) {
      const commit = commits[i];
      const parent = commit.parents[0];
      const after = await this.listing(repo, commit.sha);
      const before =
        (i === 0 && truncated) || !parent ? await listTree(repo, undefined) : await this.listing(repo, parent);
      const { event, skipped } = await gitCommitEvent({ repo, environment, commit, after, before });
      if (skipped.length > 0) {
        logger.warn('Git watcher skipped folders that are not Application names', {
          environment: environment.name,
          commit: commit.sha,
          folders: skipped.join(', '),
        });
      }
      await this.options.publisher.publish(event);
      // CAS: a second watcher of the same repo (lease lost mid-poll) fails here instead of racing.
      revision = await heads.put(environment.name, JSON.stringify({ sha: commit.sha }), { previousSeq: revision });
      logger.debug('Published Git commit', { environment: environment.name, commit: commit.sha });
    }
    // Only the newest listing is needed as the next poll's parent.
    const newest = commits[commits.length - 1]?.sha;
    const keep = newest ? this.listings.get(newest) : undefined;
    this.listings = new Map(keep && newest ? [[newest, keep]] : []);
    return commits.length;
  }

  private async listing(repo: GitRepository, sha: string): Promise<TreeListing> {
    let listing = this.listings.get(sha);
    if (!listing) {
      listing = await listTree(repo, sha);
      this.listings.set(sha, listing);
    }
    return listing;
  }

  /** First-parent chain from `head` back to (excluding) `last`, oldest first. */
  private async walk(repo: GitRepository, head: string, last: string | undefined) {
    const bySha = new Map<string, LogEntry>();
    const load = async (sha: string) => {
      for (const entry of await repo.log(sha, { depth: 64 })) bySha.set(entry.sha, entry);
    };
    const chain: LogEntry[] = [];
    let sha: string | undefined = head;
    while (sha && sha !== last && chain.length < this.maxCommits) {
      if (!bySha.has(sha)) await load(sha);
      const entry = bySha.get(sha);
      if (!entry) break;
      chain.push(entry);
      sha = entry.parents[0];
    }
    const truncated = !!sha && sha !== last;
    return { commits: chain.reverse(), truncated };
  }
}
