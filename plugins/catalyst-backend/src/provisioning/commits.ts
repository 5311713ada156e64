import { CATALYST_TRAILERS, CommitRecord, FileChange, parseTrailers } from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { GitIdentity, LogEntry } from '../git/GitRepository';
import { GitRepository } from '../git/GitRepository';

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function toCommitRecord(entry: LogEntry): CommitRecord {
  const trailers = parseTrailers(entry.message);
  return {
    sha: entry.sha,
    subject: entry.message.split('\n')[0],
    message: entry.message.trimEnd(),
    author: { name: entry.author.name, email: entry.author.email, time: iso(entry.author.timestamp) },
    committer: { name: entry.committer.name, email: entry.committer.email, time: iso(entry.committer.timestamp) },
    ...(trailers[CATALYST_TRAILERS.actor] ? { actor: trailers[CATALYST_TRAILERS.actor] } : {}),
    ...(trailers[CATALYST_TRAILERS.action] ? { action: trailers[CATALYST_TRAILERS.action] } : {}),
  };
}

/** Looks for the commit a request with this idempotency key already made (recent history only). */
export async function findCommitByRequest(
  repo: GitRepository,
  head: string | null,
  key: string,
  depth = 200,
): Promise<LogEntry | undefined> {
  if (!head) return undefined;
  for (const entry of await repo.log(head, { depth })) {
    if (parseTrailers(entry.message)[CATALYST_TRAILERS.request] === key) return entry;
  }
  return undefined;
}

const MAX_DIFF_BYTES = 256 * 1024;

/** The files a commit changed (against its first parent), optionally only below `prefixes`. */
export async function commitChanges(
  repo: GitRepository,
  sha: string,
  parent: string | undefined,
  prefixes?: string[],
  withContent = true,
): Promise<FileChange[]> {
  const after = await repo.listFiles(sha);
  const before = parent ? await repo.listFiles(parent) : new Map<string, string>();
  const inScope = (p: string) =>
    !prefixes || prefixes.some(x => p === x || p.startsWith(x.endsWith('/') ? x : `${x}/`));
  const paths = [...new Set([...after.keys(), ...before.keys()])].filter(inScope).sort();
  const out: FileChange[] = [];
  for (const path of paths) {
    const a = before.get(path);
    const b = after.get(path);
    if (a === b) continue;
    const change: FileChange = { path, change: changeKind(a, b) };
    if (withContent) {
      const read = async (ref: string) => {
        const text = await repo.readFile(ref, path);
        return text !== undefined && text.length <= MAX_DIFF_BYTES ? text : undefined;
      };
      if (a !== undefined && parent) change.before = await read(parent);
      if (b !== undefined) change.after = await read(sha);
    }
    out.push(change);
  }
  return out;
}

/** Added, removed or modified, from the blob ids before and after (undefined = absent). */
export function changeKind(before: string | undefined, after: string | undefined): FileChange['change'] {
  if (before === undefined) return 'added';
  if (after === undefined) return 'removed';
  return 'modified';
}

/** `applications/<app>/…` and `flux-system/applications/<app>.yaml` → `<app>`. */
export function applicationOfPath(path: string): string | undefined {
  return /^applications\/([^/]+)\//.exec(path)?.[1] ?? /^flux-system\/applications\/([^/]+)\.yaml$/.exec(path)?.[1];
}

/** The caller as a commit author (name and address); an address is made up when their profile has none. */
export function authorIdentity(principal: CatalystPrincipal): Omit<GitIdentity, 'timestamp'> {
  const local = principal.userRef.replace(/^user:(default\/)?/, '').replace(/[^A-Za-z0-9._-]/g, '-');
  return { name: principal.displayName, email: principal.email ?? `${local}@users.catalyst.local` };
}
