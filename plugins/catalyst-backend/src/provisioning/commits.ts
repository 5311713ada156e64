import { CommitRecord, FileChange } from '@internal/plugin-catalyst-common';
import type { LogEntry } from '../git/GitRepository';
import { GitRepository } from '../git/GitRepository';

/** Git trailers Catalyst writes on its commits; history and idempotency read them back. */
export const TRAILERS = {
  action: 'Catalyst-Action',
  actor: 'Catalyst-Actor',
  request: 'Catalyst-Request',
} as const;

export function parseTrailers(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  const paragraphs = message.trimEnd().split(/\n\s*\n/);
  const last = paragraphs[paragraphs.length - 1] ?? '';
  for (const line of last.split('\n')) {
    const m = /^([A-Za-z][A-Za-z0-9-]*): (.+)$/.exec(line.trim());
    if (m) out[m[1]] = m[2];
  }
  return out;
}

export function withTrailers(
  subject: string,
  body: string | undefined,
  trailers: Record<string, string | undefined>,
): string {
  const lines = Object.entries(trailers)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}: ${String(v).replace(/\n/g, ' ')}`);
  return [subject, body, lines.join('\n')].filter(Boolean).join('\n\n');
}

const iso = (seconds: number) => new Date(seconds * 1000).toISOString();

export function toCommitRecord(entry: LogEntry): CommitRecord {
  const trailers = parseTrailers(entry.message);
  return {
    sha: entry.sha,
    subject: entry.message.split('\n')[0],
    message: entry.message.trimEnd(),
    author: { name: entry.author.name, email: entry.author.email, time: iso(entry.author.timestamp) },
    committer: { name: entry.committer.name, email: entry.committer.email, time: iso(entry.committer.timestamp) },
    ...(trailers[TRAILERS.actor] ? { actor: trailers[TRAILERS.actor] } : {}),
    ...(trailers[TRAILERS.action] ? { action: trailers[TRAILERS.action] } : {}),
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
    if (parseTrailers(entry.message)[TRAILERS.request] === key) return entry;
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

/** `applications/<app>/…` and `flux-system/applications/<app>.yaml` → `<app>`. */
/** Added, removed or modified, from the blob ids before and after (undefined = absent). */
export function changeKind(before: string | undefined, after: string | undefined): FileChange['change'] {
  if (before === undefined) return 'added';
  if (after === undefined) return 'removed';
  return 'modified';
}

export function applicationOfPath(path: string): string | undefined {
  return /^applications\/([^/]+)\//.exec(path)?.[1] ?? /^flux-system\/applications\/([^/]+)\.yaml$/.exec(path)?.[1];
}
