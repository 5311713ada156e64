import fs from 'node:fs';
import { dirname, join } from 'node:path';
import git, { TreeEntry } from 'isomorphic-git';
import { GitError } from './errors';
import { ObjectCache } from './objectCache';
import type { CommitOptions, CommitResult, GitRepository, LogEntry } from './GitRepository';
import { assertRepoPath } from './paths';

type Tree = TreeEntry[];
interface PendingDir {
  files: Map<string, string | Uint8Array | null>;
  dirs: Map<string, PendingDir>;
  deleteAll: boolean;
}

function newPending(): PendingDir {
  return { files: new Map(), dirs: new Map(), deleteAll: false };
}

/** Git's own tree order: byte order of names, where a directory sorts as if its name ended in `/`. */
function gitTreeOrder(a: TreeEntry, b: TreeEntry): number {
  const ka = a.type === 'tree' ? `${a.path}/` : a.path;
  const kb = b.type === 'tree' ? `${b.path}/` : b.path;
  return Buffer.compare(Buffer.from(ka), Buffer.from(kb));
}

/**
 * A bare Git repository on local disk, written with isomorphic-git's object commands (no work tree,
 * no index). Branch updates follow Git's own lock-file protocol (`<ref>.lock`, compare, rename), so
 * they are atomic and safe against the `git` CLI pushing into the same repository at the same time.
 */
export class BareGitRepository implements GitRepository {
  // Content-addressed, so never stale; shared by every read of this repo (see readEnvironmentState).
  private readonly trees = new ObjectCache<Tree>(16 * 1024 * 1024, t => 64 + t.length * 120);
  private readonly blobs = new ObjectCache<Uint8Array>(32 * 1024 * 1024, b => 64 + b.byteLength);
  private readonly commitTrees = new ObjectCache<string>(1024 * 1024, () => 100);

  private constructor(readonly gitdir: string) {}

  /** Opens an existing bare repository; `not-a-repository` when the path is not one. */
  static async open(gitdir: string): Promise<BareGitRepository> {
    if (!fs.existsSync(join(gitdir, 'HEAD')) || !fs.existsSync(join(gitdir, 'objects'))) {
      throw new GitError('not-a-repository', `${gitdir} is not a bare Git repository`, { gitdir });
    }
    return new BareGitRepository(gitdir);
  }

  /** Creates the repository if absent (idempotent) with `main` as the default branch. */
  static async init(gitdir: string): Promise<BareGitRepository> {
    if (!fs.existsSync(join(gitdir, 'HEAD'))) {
      await fs.promises.mkdir(gitdir, { recursive: true });
      await git.init({ fs, gitdir, bare: true, defaultBranch: 'main' });
    }
    return new BareGitRepository(gitdir);
  }

  /** The commit a branch, tag or sha points to, or undefined when it does not exist. */
  async resolve(ref: string): Promise<string | undefined> {
    if (/^[0-9a-f]{40}$/.test(ref)) return ref;
    for (const candidate of [ref, `refs/heads/${ref}`, `refs/tags/${ref}`]) {
      try {
        const oid = await git.resolveRef({ fs, gitdir: this.gitdir, ref: candidate });
        // annotated tags point at a tag object; peel to the commit
        const { type, object } = await git
          .readObject({ fs, gitdir: this.gitdir, oid, format: 'parsed' })
          .then(o => ({ type: o.type, object: o.object as { object?: string } }));
        return type === 'tag' && object.object ? object.object : oid;
      } catch {
        // try the next spelling
      }
    }
    return undefined;
  }

  /** A file's content at a commit, or undefined when the file (or the ref) does not exist. */
  async readFile(ref: string, path: string): Promise<string | undefined> {
    const bytes = await this.readBytes(ref, path);
    return bytes === undefined ? undefined : Buffer.from(bytes).toString('utf8');
  }

  async readBytes(ref: string, path: string): Promise<Uint8Array | undefined> {
    const segments = assertRepoPath(path);
    const commit = await this.resolve(ref);
    if (!commit) return undefined;
    let tree = await this.treeOf(commit);
    for (const [i, segment] of segments.entries()) {
      const entry = (await this.readTreeObject(tree)).find(e => e.path === segment);
      if (!entry) return undefined;
      if (i === segments.length - 1) return entry.type === 'blob' ? this.readBlobObject(entry.oid) : undefined;
      if (entry.type !== 'tree') return undefined;
      tree = entry.oid;
    }
    return undefined;
  }

  /** A blob by its object id (cached). */
  async readBlobObject(oid: string): Promise<Uint8Array> {
    const hit = this.blobs.get(oid);
    if (hit) return hit;
    const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid });
    this.blobs.set(oid, blob);
    return blob;
  }

  private async readTreeObject(oid: string): Promise<Tree> {
    const hit = this.trees.get(oid);
    if (hit) return hit;
    const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid });
    this.trees.set(oid, tree);
    return tree;
  }

  private async treeOf(commit: string): Promise<string> {
    const hit = this.commitTrees.get(commit);
    if (hit) return hit;
    const { commit: c } = await git.readCommit({ fs, gitdir: this.gitdir, oid: commit });
    this.commitTrees.set(commit, c.tree);
    return c.tree;
  }

  /**
   * Every file below `dir` (the whole tree when empty) at a commit: repo path → blob oid.
   * Empty map when the ref or the directory does not exist.
   */
  async listFiles(ref: string, dir = ''): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    const commit = await this.resolve(ref);
    if (!commit) return out;
    const prefix = dir.replace(/\/+$/, '');
    let tree = await this.treeOf(commit);
    if (prefix) {
      for (const segment of assertRepoPath(prefix)) {
        const entry = (await this.readTreeObject(tree)).find(e => e.path === segment && e.type === 'tree');
        if (!entry) return out;
        tree = entry.oid;
      }
    }
    const walk = async (oid: string, base: string) => {
      for (const entry of await this.readTreeObject(oid)) {
        const path = base ? `${base}/${entry.path}` : entry.path;
        if (entry.type === 'tree') await walk(entry.oid, path);
        else if (entry.type === 'blob') out.set(path, entry.oid);
      }
    };
    await walk(tree, prefix);
    return out;
  }

  /** Reads every file below `dir` at a commit: repo path → content. */
  async readDir(ref: string, dir = ''): Promise<Record<string, string>> {
    const files = await this.listFiles(ref, dir);
    const out: Record<string, string> = {};
    for (const [path, oid] of files) {
      out[path] = Buffer.from(await this.readBlobObject(oid)).toString('utf8');
    }
    return out;
  }

  /**
   * Applies `changes` on top of the branch head as one commit and moves the branch, atomically.
   * Refuses with `head-moved` when `expectedHead` is given and stale.
   */
  async commit(options: CommitOptions): Promise<CommitResult> {
    const pending = newPending();
    for (const [path, content] of Object.entries(options.changes)) {
      const deleteDir = path.endsWith('/');
      const segments = assertRepoPath(deleteDir ? path.slice(0, -1) : path);
      if (deleteDir && content !== null) {
        throw new GitError('bad-path', `"${path}" names a directory; only null (delete) is allowed`, { path });
      }
      let node = pending;
      for (const segment of segments.slice(0, -1)) {
        let next = node.dirs.get(segment);
        if (!next) {
          next = newPending();
          node.dirs.set(segment, next);
        }
        node = next;
      }
      const last = segments[segments.length - 1];
      if (deleteDir) {
        const next = node.dirs.get(last) ?? newPending();
        next.deleteAll = true;
        node.dirs.set(last, next);
      } else {
        node.files.set(last, content);
      }
    }

    const ref = `refs/heads/${options.branch}`;
    const head = (await this.resolve(ref)) ?? null;
    if (options.expectedHead !== undefined && options.expectedHead !== head) {
      throw new GitError(
        'head-moved',
        `${options.branch} is at ${head ?? 'nothing'}, expected ${options.expectedHead ?? 'nothing'}`,
        { expected: options.expectedHead, actual: head },
      );
    }
    const parent = options.parent ?? head;
    const parentTree = parent ? await this.treeOf(parent) : undefined;
    const tree = (await this.buildTree(parentTree, pending)) ?? (await this.emptyTree());
    if (tree === parentTree && !options.allowEmpty && parent && parent === head && !options.mergeParents?.length) {
      return { sha: parent, parent, changed: false };
    }
    const author = { timezoneOffset: 0, ...options.author };
    const committer = { timezoneOffset: 0, ...(options.committer ?? options.author) };
    const sha = await git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: {
        message: options.message.endsWith('\n') ? options.message : `${options.message}\n`,
        tree,
        parent: [...(parent ? [parent] : []), ...(options.mergeParents ?? [])],
        author,
        committer,
      },
    });
    await this.compareAndSwapRef(ref, head, sha);
    return { sha, parent, changed: true };
  }

  /** Points a tag at a commit. Existing tags are kept unless `force` (released versions are immutable). */
  async tag(name: string, commit: string, options: { force?: boolean } = {}): Promise<void> {
    await git.tag({ fs, gitdir: this.gitdir, ref: name, object: commit, force: options.force });
  }

  async listTags(): Promise<string[]> {
    return git.listTags({ fs, gitdir: this.gitdir });
  }

  async deleteBranch(branch: string, expectedHead?: string): Promise<void> {
    const ref = `refs/heads/${branch}`;
    assertRepoPath(ref);
    // The same lock file git itself takes, so a concurrent push to the branch waits or fails.
    const lockPath = `${join(this.gitdir, ref)}.lock`;
    let handle: fs.promises.FileHandle;
    try {
      await fs.promises.mkdir(dirname(lockPath), { recursive: true });
      handle = await fs.promises.open(lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new GitError('locked', `${ref} is being updated by another writer`, { ref });
      }
      throw e;
    }
    try {
      const current = await this.resolve(ref);
      if (!current) return;
      if (expectedHead !== undefined && current !== expectedHead) {
        throw new GitError('head-moved', `${ref} moved to ${current}`, { expected: expectedHead, actual: current });
      }
      await git.deleteRef({ fs, gitdir: this.gitdir, ref });
    } finally {
      await handle.close().catch(() => undefined);
      await fs.promises.rm(lockPath, { force: true });
    }
  }

  async listBranches(): Promise<string[]> {
    return git.listBranches({ fs, gitdir: this.gitdir });
  }

  /** Newest first; with `path`, only commits that changed something at or below that path. */
  async log(ref: string, options: { depth?: number; path?: string } = {}): Promise<LogEntry[]> {
    const oid = await this.resolve(ref);
    if (!oid) return [];
    if (options.path) assertRepoPath(options.path.replace(/\/+$/, ''));
    try {
      const entries = await git.log({
        fs,
        gitdir: this.gitdir,
        ref: oid,
        depth: options.depth,
        filepath: options.path?.replace(/\/+$/, ''),
        force: true,
      });
      return entries.map(e => ({
        sha: e.oid,
        message: e.commit.message,
        author: e.commit.author,
        committer: e.commit.committer,
        parents: e.commit.parent,
      }));
    } catch (e) {
      if ((e as { code?: string }).code === 'NotFoundError') return [];
      throw e;
    }
  }

  /** Moves a branch to `next` only if it is still at `expected`: Git's `<ref>.lock` protocol. */
  async compareAndSwapRef(ref: string, expected: string | null, next: string): Promise<void> {
    const refPath = join(this.gitdir, ref);
    const lockPath = `${refPath}.lock`;
    await fs.promises.mkdir(dirname(refPath), { recursive: true });
    let handle: fs.promises.FileHandle;
    try {
      handle = await fs.promises.open(lockPath, 'wx');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
        throw new GitError('locked', `${ref} is being updated by another writer`, { ref });
      }
      throw e;
    }
    try {
      const current = (await this.resolve(ref)) ?? null;
      if (current !== expected) {
        throw new GitError('head-moved', `${ref} moved to ${current} while committing`, {
          expected,
          actual: current,
        });
      }
      await handle.writeFile(`${next}\n`);
      await handle.sync();
      await handle.close();
      await fs.promises.rename(lockPath, refPath);
    } catch (e) {
      await handle.close().catch(() => undefined);
      await fs.promises.rm(lockPath, { force: true });
      throw e;
    }
  }

  private async emptyTree(): Promise<string> {
    return git.writeTree({ fs, gitdir: this.gitdir, tree: [] });
  }

  /** Returns the new tree oid, or undefined when the directory ends up empty (Git has no empty dirs). */
  private async buildTree(oid: string | undefined, pending: PendingDir): Promise<string | undefined> {
    let entries: Tree = [];
    if (oid && !pending.deleteAll) {
      entries = await this.readTreeObject(oid);
    }
    const byName = new Map(entries.map(e => [e.path, e]));
    for (const [name, content] of pending.files) {
      if (content === null) {
        if (byName.get(name)?.type === 'blob') byName.delete(name);
        continue;
      }
      const blob = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
      const blobOid = await git.writeBlob({ fs, gitdir: this.gitdir, blob });
      byName.set(name, { mode: '100644', path: name, oid: blobOid, type: 'blob' });
    }
    for (const [name, sub] of pending.dirs) {
      const existing = byName.get(name);
      const childOid = await this.buildTree(existing?.type === 'tree' ? existing.oid : undefined, sub);
      if (childOid === undefined) byName.delete(name);
      else byName.set(name, { mode: '040000', path: name, oid: childOid, type: 'tree' });
    }
    if (byName.size === 0) return undefined;
    const tree = [...byName.values()].sort(gitTreeOrder);
    const unchanged =
      oid !== undefined &&
      !pending.deleteAll &&
      tree.length === entries.length &&
      tree.every((e, i) => entries[i] && e.oid === entries[i].oid && e.path === entries[i].path);
    if (unchanged) return oid;
    return git.writeTree({ fs, gitdir: this.gitdir, tree });
  }
}
