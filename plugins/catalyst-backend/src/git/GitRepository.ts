/**
 * The Git port: what Catalyst needs of a repository and the shapes it speaks in. Adapters
 * (BareGitRepository, RemoteGitRepository) implement it; nothing above them imports an adapter's types.
 */

/** Who made a change. `timestamp` in seconds since the epoch. */
export interface GitIdentity {
  name: string;
  email: string;
  timestamp: number;
  timezoneOffset?: number;
}

/**
 * Changes to apply in one commit: path → new content, or `null` to delete. A path ending in `/`
 * with `null` deletes that whole directory.
 */
export type FileChanges = Record<string, string | Uint8Array | null>;

export interface CommitOptions {
  branch: string;
  changes: FileChanges;
  message: string;
  author: GitIdentity;
  committer?: GitIdentity;
  /**
   * The head the changes were computed against. When given and the branch has moved since, the
   * commit is refused with `head-moved` (callers recompute and retry). `null` = branch must not exist.
   */
  expectedHead?: string | null;
  /** Commit even when the tree does not change (default: return the current head instead). */
  allowEmpty?: boolean;
  /**
   * Build on this commit instead of the branch's head: starts a branch at a commit of another
   * (a change request's branch at main), or moves it to a new base (a rebase); `expectedHead`
   * still guards the branch itself.
   */
  parent?: string;
  /** More parents after the first: a merge commit (a change request merged into main). */
  mergeParents?: string[];
}

export interface CommitResult {
  sha: string;
  parent: string | null;
  /** False when the changes left the tree as it was and no commit was made. */
  changed: boolean;
}

export interface LogEntry {
  sha: string;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  parents: string[];
}

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
  /** Deletes a branch; refuses with `head-moved` when it is not at `expectedHead` (when given). */
  deleteBranch(branch: string, expectedHead?: string): Promise<void>;
  listTags(): Promise<string[]>;
}
