import { execFile } from 'node:child_process';
import { isAbsolute, join } from 'node:path';

/** A path a commit changed relative to another: `A`dded, `M`odified, `D`eleted (renames split in two). */
export interface ChangedPath {
  path: string;
  status: 'A' | 'M' | 'D';
}

/**
 * Reads a push's objects while receive-pack still holds them in quarantine (pre-receive): the new
 * objects are in the quarantine directory, everything else in the repo, so git is pointed at both.
 * git itself reads them (isomorphic-git cannot see a quarantine); every call is argv-only, never a
 * shell.
 */
export class PushedObjects {
  private readonly env: NodeJS.ProcessEnv;

  constructor(readonly gitdir: string, quarantine?: { objectDirectory?: string; alternates?: string }) {
    const abs = (p: string) => (isAbsolute(p) ? p : join(gitdir, p));
    this.env = {
      PATH: process.env.PATH,
      GIT_DIR: gitdir,
      ...(quarantine?.objectDirectory
        ? {
            GIT_OBJECT_DIRECTORY: abs(quarantine.objectDirectory),
            GIT_ALTERNATE_OBJECT_DIRECTORIES: [join(gitdir, 'objects'), ...(quarantine.alternates?.split(':') ?? [])]
              .filter(Boolean)
              .map(abs)
              .join(':'),
          }
        : {}),
    };
  }

  private git(args: string[], okCodes = [0]): Promise<{ code: number; stdout: string }> {
    return new Promise((resolve, reject) => {
      execFile(
        'git',
        args,
        { env: this.env, cwd: this.gitdir, maxBuffer: 64 * 1024 * 1024, encoding: 'utf8' },
        (error, stdout, stderr) => {
          let code = 0;
          if (error) code = typeof error.code === 'number' ? error.code : -1;
          if (okCodes.includes(code)) resolve({ code, stdout });
          else reject(new Error(`git ${args[0]} failed: ${stderr.trim() || String(error)}`));
        },
      );
    });
  }

  /** Paths that differ between two commits (`base` null: every path of `head`). */
  async diff(base: string | null, head: string): Promise<ChangedPath[]> {
    if (!base) {
      const { stdout } = await this.git(['ls-tree', '-r', '-z', '--name-only', head]);
      return stdout
        .split('\0')
        .filter(Boolean)
        .map(path => ({ path, status: 'A' as const }));
    }
    const { stdout } = await this.git(['diff-tree', '-r', '-z', '--no-renames', '--name-status', base, head]);
    const parts = stdout.split('\0').filter(Boolean);
    const out: ChangedPath[] = [];
    for (let i = 0; i + 1 < parts.length; i += 2) {
      const status = parts[i].charAt(0);
      out.push({ path: parts[i + 1], status: status === 'A' || status === 'D' ? status : 'M' });
    }
    return out;
  }

  /** A file's text at a commit, undefined when the commit has no such file. */
  async readFile(commit: string, path: string): Promise<string | undefined> {
    const { code, stdout } = await this.git(['cat-file', '-p', `${commit}:${path}`], [0, 128]);
    return code === 0 ? stdout : undefined;
  }

  /** Every file under `dir/` at a commit, by its path below `dir/`. */
  async readDir(commit: string, dir: string): Promise<Record<string, string>> {
    const { stdout } = await this.git(['ls-tree', '-r', '-z', '--name-only', commit, '--', `${dir}/`]);
    const out: Record<string, string> = {};
    for (const path of stdout.split('\0').filter(Boolean)) {
      const text = await this.readFile(commit, path);
      if (text !== undefined) out[path.slice(dir.length + 1)] = text;
    }
    return out;
  }

  /** The messages of the commits `head` adds to `base` (`base` null: every commit of `head`). */
  async commitMessages(base: string | null, head: string): Promise<Array<{ sha: string; message: string }>> {
    const { stdout } = await this.git(['log', '--format=%H%x00%B%x1e', base ? `${base}..${head}` : head]);
    return stdout
      .split('\x1e')
      .map(record => record.replace(/^\n/, ''))
      .filter(record => record.includes('\0'))
      .map(record => {
        const at = record.indexOf('\0');
        return { sha: record.slice(0, at), message: record.slice(at + 1) };
      });
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const { code, stdout } = await this.git(['merge-base', a, b], [0, 1]);
    return code === 0 ? stdout.trim() : undefined;
  }

  /** Whether `ancestor` is `commit` or one of its ancestors. */
  async isAncestor(ancestor: string, commit: string): Promise<boolean> {
    const { code } = await this.git(['merge-base', '--is-ancestor', ancestor, commit], [0, 1]);
    return code === 0;
  }
}
