/**
 * A read-only view of the files of one Git commit, addressed by
 * repository-relative POSIX paths ('' is the root). Kustomize builds read
 * only through it, so they are pure and never touch the real filesystem.
 */
export class VirtualFs {
  private readonly dirs = new Set<string>(['']);

  constructor(private readonly files: ReadonlyMap<string, Uint8Array>) {
    for (const path of files.keys()) {
      const parts = path.split('/');
      for (let i = 1; i < parts.length; i++) this.dirs.add(parts.slice(0, i).join('/'));
    }
  }

  static fromText(files: Record<string, string>): VirtualFs {
    const encoder = new TextEncoder();
    return new VirtualFs(new Map(Object.entries(files).map(([path, text]) => [path, encoder.encode(text)])));
  }

  isFile(path: string): boolean {
    return this.files.has(path);
  }

  isDir(path: string): boolean {
    return this.dirs.has(path);
  }

  read(path: string): Uint8Array | undefined {
    return this.files.get(path);
  }

  readText(path: string): string | undefined {
    const bytes = this.files.get(path);
    return bytes === undefined ? undefined : new TextDecoder().decode(bytes);
  }

  /** Immediate children of `dir`, sorted: `{ files, dirs }` as full paths. */
  list(dir: string): { files: string[]; dirs: string[] } {
    const prefix = dir === '' ? '' : `${dir}/`;
    const files = new Set<string>();
    const dirs = new Set<string>();
    for (const path of this.files.keys()) {
      if (!path.startsWith(prefix)) continue;
      const rest = path.slice(prefix.length);
      const slash = rest.indexOf('/');
      if (slash === -1) files.add(path);
      else dirs.add(prefix + rest.slice(0, slash));
    }
    return { files: [...files].sort(), dirs: [...dirs].sort() };
  }
}

/**
 * Joins `relative` onto `base` and normalizes it; undefined when the result
 * would leave the repository (kustomize's load restrictor refuses that too).
 */
export function resolvePath(base: string, relative: string): string | undefined {
  const parts = relative.startsWith('/') ? [] : base.split('/').filter(p => p.length > 0);
  for (const segment of relative.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') {
      if (parts.length === 0) return undefined;
      parts.pop();
    } else {
      parts.push(segment);
    }
  }
  return parts.join('/');
}
