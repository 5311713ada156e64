import fs from 'node:fs';
import git from 'isomorphic-git';
import { BareGitRepository } from './BareGitRepository';
import type { CommitOptions, CommitResult, GitRepository, LogEntry } from './GitRepository';
import { GitError } from './errors';
import { TimedHttpClient, timedHttpClient } from './timedHttpClient';

export interface RemoteGitRepositoryOptions {
  /** e.g. https://gitea.example.com/acme/acme-prod.git */
  url: string;
  /** A token for HTTP Basic auth (Gitea accepts a token as the password). */
  token?: string;
  username?: string;
  /** A local bare mirror, private to this process. */
  mirrorDir: string;
  /** Reads within this window reuse the last fetch (default 1 s); writes always fetch. */
  maxStalenessMs?: number;
  /**
   * A request the host has not started answering by then fails, and so does an answer that goes
   * quiet this long (default 30 s).
   */
  requestTimeoutMs?: number;
}

/**
 * A repository on a Git host over smart HTTP, kept as a local bare mirror: reads come from the mirror
 * (fetched when older than `maxStalenessMs`), a commit is made in the mirror and pushed. A push the
 * host rejects (someone pushed first) resets the mirror to the host and fails with `head-moved`, so the
 * writer recomputes against the new head — the same contract as a local bare repo.
 */
/** Where a commit waits for the host's answer (see commitAndPush); private to the mirror. */
const STAGING_BRANCH = 'catalyst-staging';
const STAGING_REF = `refs/heads/${STAGING_BRANCH}`;

function isMissingRef(e: unknown): boolean {
  const code = (e as { code?: string }).code;
  return code === 'NotFoundError' || code === 'MissingNameError';
}

export class RemoteGitRepository implements GitRepository {
  private lastFetch = 0;
  /**
   * Fetches, commits and tag pushes run one at a time. A fetch points the mirror's `main` at the
   * host's; one landing between a commit in the mirror and its push would make the push send the
   * host's own head ("up to date") and the commit would be reported written but be lost.
   */
  private exclusive: Promise<void> = Promise.resolve();

  private runExclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.exclusive.then(fn, fn);
    this.exclusive = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private readonly http: TimedHttpClient;

  private constructor(
    private readonly options: RemoteGitRepositoryOptions,
    private readonly mirror: BareGitRepository,
  ) {
    this.http = timedHttpClient({ answerMs: options.requestTimeoutMs ?? 30_000 });
    const basic = Buffer.from(`${options.username ?? 'catalyst'}:${options.token ?? ''}`).toString('base64');
    this.headers = options.token ? { Authorization: `Basic ${basic}` } : {};
  }

  static async open(options: RemoteGitRepositoryOptions): Promise<RemoteGitRepository> {
    const mirror = await BareGitRepository.init(options.mirrorDir);
    const remotes = await git.listRemotes({ fs, gitdir: options.mirrorDir });
    if (!remotes.some(r => r.remote === 'origin')) {
      await git.addRemote({ fs, gitdir: options.mirrorDir, remote: 'origin', url: options.url });
    }
    const repo = new RemoteGitRepository(options, mirror);
    await repo.sync(true);
    return repo;
  }

  get gitdir(): string {
    return this.mirror.gitdir;
  }

  private onAuth = () => ({ username: this.options.username ?? 'catalyst', password: this.options.token ?? '' });

  /**
   * Credentials sent with the first request of every operation: isomorphic-git otherwise sends
   * each one without, takes the 401 and asks `onAuth` (kept for hosts that want a challenge), one
   * extra round trip per fetch and push.
   */
  private readonly headers: Record<string, string>;

  /** Fetches `main` and the tags and points the mirror's `main` at the host's (skipped while fresh). */
  async sync(force = false): Promise<void> {
    if (!force && this.fresh()) return;
    const queued = Date.now();
    await this.runExclusive(() => {
      // Readers queued behind a fetch find the mirror fresh and skip theirs; behind a fetch that
      // failed meanwhile they get its error instead of asking an unreachable host once each.
      if (!force && this.failure && this.failure.at >= queued) throw this.failure.error;
      return force || !this.fresh() ? this.fetchMain() : Promise.resolve();
    });
  }

  private fresh(): boolean {
    return Date.now() - this.lastFetch < (this.options.maxStalenessMs ?? 1000);
  }

  /** The last fetch that failed, for the readers queued behind it. */
  private failure: { at: number; error: unknown } | undefined;

  /** Only ever called inside {@link runExclusive}. */
  private async fetchMain(): Promise<void> {
    try {
      let result;
      try {
        result = await this.fetch('main');
      } catch (e) {
        if (!isMissingRef(e)) throw e;
        // No main on the host: an empty repo, or a Blueprint source holding only release tags
        // (or another default branch). Mirror its branches and tags through any ref it has; the
        // mirror's main stays absent.
        // A copy of the headers: listServerRefs speaks protocol v2 and adds `Git-Protocol: version=2`
        // to the object it is given, and every later fetch sending it to a host that speaks v2 (as
        // Gitea and git's own http-backend do) would get an answer isomorphic-git's v1 fetch cannot read.
        const refs = await this.whole(() =>
          git.listServerRefs({
            http: this.http,
            url: this.options.url,
            onAuth: this.onAuth,
            headers: { ...this.headers },
          }),
        );
        const any = refs.find(r => r.ref.startsWith('refs/heads/')) ?? refs.find(r => r.ref.startsWith('refs/tags/'));
        // isomorphic-git needs the host's HEAD to resolve; a repo with a dangling HEAD mirrors as empty.
        if (any) {
          await this.fetch(any.ref).catch(error => {
            if (!isMissingRef(error)) throw error;
          });
        }
      }
      if (result?.fetchHead) {
        await git.writeRef({ fs, gitdir: this.gitdir, ref: 'refs/heads/main', value: result.fetchHead, force: true });
      }
      this.lastFetch = Date.now();
      this.failure = undefined;
    } catch (e) {
      // 404: no such repo on the host; anything else (auth, network) is the host being unreachable to us.
      const status = (e as { data?: { statusCode?: number } }).data?.statusCode;
      const error = new GitError(
        status === 404 ? 'not-found' : 'unreachable',
        `cannot fetch ${this.options.url}: ${(e as Error).message}`,
        {
          url: this.options.url,
          ...(status ? { status } : {}),
        },
      );
      this.failure = { at: Date.now(), error };
      throw error;
    }
  }

  /**
   * Runs one isomorphic-git operation and fails it when an answer was cut short, which
   * isomorphic-git would otherwise read as a complete (shorter) answer. Only called inside
   * {@link runExclusive}, so the client's body errors belong to this operation.
   */
  private async whole<T>(operation: () => Promise<T>): Promise<T> {
    this.http.takeBodyError();
    let result: T;
    try {
      result = await operation();
    } catch (error) {
      throw this.http.takeBodyError() ?? error;
    }
    const cut = this.http.takeBodyError();
    if (cut) throw cut;
    return result;
  }

  private fetch(ref: string | undefined) {
    return this.whole(() =>
      git.fetch({
        fs,
        http: this.http,
        gitdir: this.gitdir,
        url: this.options.url,
        remote: 'origin',
        ...(ref ? { ref } : {}),
        // Every branch and tag: with singleBranch isomorphic-git fetches one branch's objects only and
        // stores no tags, and Blueprint source repos are read by their release tags.
        singleBranch: false,
        tags: true,
        // A tag deleted or moved on the host (a yanked Blueprint release) goes from the mirror too.
        pruneTags: true,
        onAuth: this.onAuth,
        headers: this.headers,
      }),
    );
  }

  async resolve(ref: string): Promise<string | undefined> {
    await this.sync();
    return this.mirror.resolve(ref);
  }
  async readFile(ref: string, path: string) {
    await this.sync();
    return this.mirror.readFile(ref, path);
  }
  async readBytes(ref: string, path: string) {
    await this.sync();
    return this.mirror.readBytes(ref, path);
  }
  async listFiles(ref: string, dir?: string) {
    await this.sync();
    return this.mirror.listFiles(ref, dir);
  }
  async readDir(ref: string, dir?: string) {
    await this.sync();
    return this.mirror.readDir(ref, dir);
  }
  async log(ref: string, options?: { depth?: number; path?: string }): Promise<LogEntry[]> {
    await this.sync();
    return this.mirror.log(ref, options);
  }
  async listTags() {
    await this.sync();
    return this.mirror.listTags();
  }

  commit(options: CommitOptions): Promise<CommitResult> {
    return this.runExclusive(() => this.commitAndPush(options));
  }

  /**
   * Commits on a private staging branch started at the branch's head and pushes that; the mirror's
   * branch moves only once the host has the commit. Readers of the mirror (the API, the read
   * side's Git watcher) therefore never see a commit the host may still refuse.
   */
  private async commitAndPush(options: CommitOptions): Promise<CommitResult> {
    await this.fetchMain();
    const branchRef = `refs/heads/${options.branch}`;
    const head = await this.hostHead(options.branch);
    if (options.expectedHead !== undefined && options.expectedHead !== (head ?? null)) {
      throw new GitError(
        'head-moved',
        `${options.branch} is at ${head ?? 'nothing'}, expected ${options.expectedHead ?? 'nothing'}`,
        { expected: options.expectedHead, actual: head ?? null },
      );
    }
    if (head) await git.writeRef({ fs, gitdir: this.gitdir, ref: STAGING_REF, value: head, force: true });
    else await git.deleteRef({ fs, gitdir: this.gitdir, ref: STAGING_REF }).catch(() => undefined);
    // Moving a branch to another base (a rebased change request) is not a fast-forward on the host.
    const moved = !!head && options.parent !== undefined && options.parent !== head;
    try {
      const { expectedHead: _checked, ...rest } = options;
      const result = await this.mirror.commit({ ...rest, branch: STAGING_BRANCH });
      if (!result.changed) return result;
      try {
        const pushed = await this.whole(() =>
          git.push({
            fs,
            http: this.http,
            gitdir: this.gitdir,
            url: this.options.url,
            ref: STAGING_BRANCH,
            remoteRef: options.branch,
            ...(moved ? { force: true } : {}),
            onAuth: this.onAuth,
            headers: this.headers,
          }),
        );
        if (!pushed.ok) throw new Error(pushed.error ?? 'push failed');
      } catch (e) {
        // The host is the truth: mirror it again (best effort: the push's error is the one to report)
        // and let the writer recompute.
        await this.fetchMain().catch(() => undefined);
        // An answer lost after the host took the pack (connection cut, timeout): the commit landed.
        // Reporting a failure would make a retry write the change a second time.
        // (Or it landed and someone else's commit is already on top of it.)
        const onHost = await git
          .resolveRef({ fs, gitdir: this.gitdir, ref: `refs/remotes/origin/${options.branch}` })
          .catch(() => undefined);
        const landed =
          onHost === result.sha ||
          (!!onHost &&
            (await git
              .isDescendent({ fs, gitdir: this.gitdir, oid: onHost, ancestor: result.sha, depth: -1 })
              .catch(() => false)));
        if (landed) {
          // The mirror follows the host (our commit, or what is already on top of it).
          await git.writeRef({ fs, gitdir: this.gitdir, ref: branchRef, value: onHost!, force: true });
          return result;
        }
        const code = (e as { code?: string }).code;
        if (code === 'PushRejectedError' || /non-fast-forward|rejected|fetch first/i.test(String(e))) {
          throw new GitError('head-moved', `${this.options.url} moved while committing`, { url: this.options.url });
        }
        throw new GitError('locked', `cannot push to ${this.options.url}: ${(e as Error).message}`, {
          url: this.options.url,
        });
      }
      await git.writeRef({ fs, gitdir: this.gitdir, ref: branchRef, value: result.sha, force: true });
      if (options.branch !== 'main') {
        await git.writeRef({
          fs,
          gitdir: this.gitdir,
          ref: `refs/remotes/origin/${options.branch}`,
          value: result.sha,
          force: true,
        });
      }
      return result;
    } finally {
      await git.deleteRef({ fs, gitdir: this.gitdir, ref: STAGING_REF }).catch(() => undefined);
    }
  }

  /**
   * Where a branch is on the host as last fetched: main is mirrored as refs/heads/main; other
   * branches (change requests) as the fetch left them in refs/remotes/origin/*, which another
   * replica's push moves — the local branch ref only knows this replica's own pushes.
   */
  private async hostHead(branch: string): Promise<string | undefined> {
    if (branch === 'main') return this.mirror.resolve('refs/heads/main');
    return (
      (await git
        .resolveRef({ fs, gitdir: this.gitdir, ref: `refs/remotes/origin/${branch}` })
        .catch(() => undefined)) ?? (await this.mirror.resolve(`refs/heads/${branch}`))
    );
  }

  deleteBranch(branch: string, expectedHead?: string): Promise<void> {
    return this.runExclusive(async () => {
      await this.fetchMain();
      const remote = `refs/remotes/origin/${branch}`;
      const current = await this.hostHead(branch);
      if (!current) return;
      if (expectedHead !== undefined && current !== expectedHead) {
        throw new GitError('head-moved', `${branch} moved to ${current}`, { expected: expectedHead, actual: current });
      }
      await this.whole(() =>
        git.push({
          fs,
          http: this.http,
          gitdir: this.gitdir,
          url: this.options.url,
          remoteRef: `refs/heads/${branch}`,
          delete: true,
          onAuth: this.onAuth,
          headers: this.headers,
        }),
      );
      await git.deleteRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${branch}` }).catch(() => undefined);
      await git.deleteRef({ fs, gitdir: this.gitdir, ref: remote }).catch(() => undefined);
    });
  }

  tag(name: string, commit: string, options: { force?: boolean } = {}): Promise<void> {
    return this.runExclusive(async () => {
      await this.mirror.tag(name, commit, options);
      await this.whole(() =>
        git.push({
          fs,
          http: this.http,
          gitdir: this.gitdir,
          url: this.options.url,
          ref: `refs/tags/${name}`,
          onAuth: this.onAuth,
          headers: this.headers,
        }),
      );
    });
  }
}
