import { ServiceUnavailableError } from '@backstage/errors';
import { CATALYST_ERROR_CODES } from '@internal/plugin-catalyst-common';
import type { CommitResult, FileChanges, GitIdentity } from '../git/GitRepository';
import { GitRepository } from '../git/GitRepository';
import { GitError } from '../git/errors';

/** What one write wants to commit, computed from the head it was given. */
export type WriteIntent<T> =
  | {
      changes: FileChanges;
      message: string;
      author: GitIdentity;
      committer?: GitIdentity;
      /** Parents after the head: a merge commit (a change request merged into main). */
      mergeParents?: string[];
      result: T;
    }
  | { noop: true; result: T };

export interface WriteOutcome<T> {
  commit?: CommitResult;
  result: T;
  attempts: number;
}

/**
 * A moved head means another writer succeeded, so contention is progress, not failure. With several
 * replicas on one Git host branch a busy replica starts its next write the moment its push lands:
 * a retry that waits ever longer (it was 8 attempts, up to 500 ms apart) falls behind for good and
 * failed installs with `head-moved` under load. Retries wait a random 0..200 ms ("full jitter", so
 * two losers do not collide again in step) and give up only after many attempts.
 */
const MAX_ATTEMPTS = 32;
const MAX_BACKOFF_MS = 200;

/**
 * Serialises writes per repository and retries when the branch moved underneath (a direct push,
 * another replica). Each attempt recomputes the change from the new head, so a retry never applies a
 * stale diff: no write is lost and none is half-applied.
 */
export class RepoWriter {
  private readonly tails = new Map<string, Promise<unknown>>();

  async write<T>(
    repo: GitRepository,
    branch: string,
    compute: (head: string | null) => Promise<WriteIntent<T>>,
  ): Promise<WriteOutcome<T>> {
    const previous = this.tails.get(repo.gitdir) ?? Promise.resolve();
    const run = previous.catch(() => undefined).then(() => this.attempt(repo, branch, compute));
    this.tails.set(repo.gitdir, run);
    try {
      return await run;
    } finally {
      if (this.tails.get(repo.gitdir) === run) this.tails.delete(repo.gitdir);
    }
  }

  private async attempt<T>(
    repo: GitRepository,
    branch: string,
    compute: (head: string | null) => Promise<WriteIntent<T>>,
  ): Promise<WriteOutcome<T>> {
    for (let attempt = 1; ; attempt++) {
      const head = (await repo.resolve(`refs/heads/${branch}`)) ?? null;
      const intent = await compute(head);
      if ('noop' in intent) return { result: intent.result, attempts: attempt };
      try {
        const commit = await repo.commit({
          branch,
          changes: intent.changes,
          message: intent.message,
          author: intent.author,
          committer: intent.committer,
          ...(intent.mergeParents?.length ? { mergeParents: intent.mergeParents } : {}),
          expectedHead: head,
        });
        return { commit, result: intent.result, attempts: attempt };
      } catch (e) {
        const retriable = e instanceof GitError && (e.code === 'head-moved' || e.code === 'locked');
        if (!retriable) throw e;
        if (attempt >= MAX_ATTEMPTS) {
          // Nothing of this write landed; say so, and that trying again is the remedy (503, not 500).
          throw Object.assign(
            new ServiceUnavailableError(
              `${branch} kept moving under ${MAX_ATTEMPTS} attempts (other writers to the same repository); nothing was written, try again`,
            ),
            { code: CATALYST_ERROR_CODES.unavailable },
          );
        }
        await new Promise(r => setTimeout(r, Math.random() * Math.min(MAX_BACKOFF_MS, 10 * 2 ** attempt)));
      }
    }
  }
}
