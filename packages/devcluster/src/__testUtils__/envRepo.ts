import * as fs from 'node:fs';
import { join } from 'node:path';
import git from 'isomorphic-git';

type TreeEntry = { mode: string; path: string; oid: string; type: 'blob' | 'tree' };

/**
 * A bare Environment repo written with isomorphic-git, the way the portal
 * writes them: every `commit` replaces the listed files (null deletes one)
 * and moves `main`.
 */
export class TestEnvironmentRepo {
  private readonly files = new Map<string, string>();
  private head: string | undefined;

  private constructor(readonly gitdir: string) {}

  static async create(gitRoot: string, organization: string, environment: string): Promise<TestEnvironmentRepo> {
    const gitdir = join(gitRoot, organization, `${environment}.git`);
    await fs.promises.mkdir(gitdir, { recursive: true });
    await git.init({ fs, dir: gitdir, gitdir, bare: true, defaultBranch: 'main' });
    return new TestEnvironmentRepo(gitdir);
  }

  async commit(changes: Record<string, string | null>, message = 'test change'): Promise<string> {
    for (const [path, content] of Object.entries(changes)) {
      if (content === null) {
        for (const existing of [...this.files.keys()]) {
          if (existing === path || existing.startsWith(`${path}/`)) this.files.delete(existing);
        }
      } else {
        this.files.set(path, content);
      }
    }
    const tree = await this.writeTree('');
    const author = {
      name: 'Devcluster Test',
      email: 'test@example.invalid',
      timestamp: 1_700_000_000,
      timezoneOffset: 0,
    };
    const oid = await git.writeCommit({
      fs,
      gitdir: this.gitdir,
      commit: { message: `${message}\n`, tree, parent: this.head ? [this.head] : [], author, committer: author },
    });
    await git.writeRef({ fs, gitdir: this.gitdir, ref: 'refs/heads/main', value: oid, force: true });
    this.head = oid;
    return oid;
  }

  private async writeTree(dir: string): Promise<string> {
    const prefix = dir ? `${dir}/` : '';
    const children = new Set<string>();
    const entries: TreeEntry[] = [];
    for (const [path, content] of this.files) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) {
        const oid = await git.writeBlob({ fs, gitdir: this.gitdir, blob: new TextEncoder().encode(content) });
        entries.push({ mode: '100644', path: rest, oid, type: 'blob' });
      } else {
        children.add(rest.slice(0, slash));
      }
    }
    for (const child of children) {
      entries.push({ mode: '040000', path: child, oid: await this.writeTree(prefix + child), type: 'tree' });
    }
    return git.writeTree({ fs, gitdir: this.gitdir, tree: entries });
  }
}
