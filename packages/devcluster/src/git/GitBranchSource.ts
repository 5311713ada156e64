import * as fs from 'node:fs';
import git from 'isomorphic-git';
import { VirtualFs } from '../flux/kustomize/VirtualFs';

export type BranchRead =
  | { kind: 'unchanged' }
  | { kind: 'changed'; sha: string; fs: VirtualFs }
  | { kind: 'missing'; message: string };

/**
 * Watches one branch of a bare repo: `poll()` resolves the ref (a file read,
 * cheap when nothing changed) and, on a new commit, reads that commit's whole
 * tree into memory. Environment repos are small; reading the tree once per
 * commit keeps every build a pure function of the commit.
 */
export class GitBranchSource {
  private lastSha: string | undefined;
  private lastMissing: string | undefined;
  private readonly cache = {};

  constructor(private readonly gitdir: string, private readonly branch = 'main') {}

  async poll(): Promise<BranchRead> {
    let sha: string;
    try {
      sha = await git.resolveRef({ fs, gitdir: this.gitdir, ref: `refs/heads/${this.branch}` });
    } catch {
      const message = `failed to checkout and determine revision: unable to clone: reference 'refs/heads/${this.branch}' not found`;
      if (this.lastMissing === message) return { kind: 'unchanged' };
      this.lastMissing = message;
      this.lastSha = undefined;
      return { kind: 'missing', message };
    }
    if (sha === this.lastSha) return { kind: 'unchanged' };
    const files = new Map<string, Uint8Array>();
    await this.readTree(sha, '', files);
    this.lastSha = sha;
    this.lastMissing = undefined;
    return { kind: 'changed', sha, fs: new VirtualFs(files) };
  }

  private async readTree(oid: string, prefix: string, files: Map<string, Uint8Array>) {
    const { tree } = await git.readTree({ fs, gitdir: this.gitdir, oid, cache: this.cache });
    for (const entry of tree) {
      const path = prefix ? `${prefix}/${entry.path}` : entry.path;
      if (entry.type === 'tree') {
        await this.readTree(entry.oid, path, files);
      } else if (entry.type === 'blob') {
        const { blob } = await git.readBlob({ fs, gitdir: this.gitdir, oid: entry.oid, cache: this.cache });
        files.set(path, blob);
      }
    }
  }
}
