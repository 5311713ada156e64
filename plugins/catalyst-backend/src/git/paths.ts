import { GitError } from './errors';

/**
 * Checks a repository-relative path before it becomes a tree entry: no absolute paths, no `.`/`..`
 * segments, no empty segments, no `.git` segment, no NUL or backslash. Paths reach here from
 * composed plans and from users (IaC editor), so this is the last line of defence.
 */
export function assertRepoPath(path: string): string[] {
  const segments = path.split('/');
  const bad =
    path.length === 0 ||
    path.length > 4096 ||
    path.includes('\0') ||
    path.includes('\\') ||
    segments.some(s => s === '' || s === '.' || s === '..' || s.toLowerCase() === '.git');
  if (bad) {
    throw new GitError('bad-path', `"${path}" is not a valid path inside a repository`, { path });
  }
  return segments;
}
