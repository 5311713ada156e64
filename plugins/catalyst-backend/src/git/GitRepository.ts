import type { CommitOptions, CommitResult, LogEntry } from './BareGitRepository';

/**
 * What Catalyst needs of a Git repository, whether a bare repo on local disk (the embedded default)
 * or a repo on a Git host reached over smart HTTP (production: Gitea).
 */
export interface GitRepository {
  /** A stable local identity (the bare repo or mirror path): writers serialize on it. */
  readonly gitdir: string;
  resolve(ref: string): Promise<string | undefined>;
  readFile(ref: string, path: string): Promise<string | undefined>;
  readBytes(ref: string, path: string): Promise<Uint8Array | undefined>;
  listFiles(ref: string, dir?: string): Promise<Map<string, string>>;
  readDir(ref: string, dir?: string): Promise<Record<string, string>>;
  log(ref: string, options?: { depth?: number; path?: string }): Promise<LogEntry[]>;
  /** One commit on `branch`; refuses with `head-moved` when `expectedHead` is stale (locally or on the host). */
  commit(options: CommitOptions): Promise<CommitResult>;
  tag(name: string, commit: string, options?: { force?: boolean }): Promise<void>;
  listTags(): Promise<string[]>;
}
