import type { ChangeRequestFile } from '@internal/plugin-catalyst-common';
import type { FileChanges, GitRepository } from '../git/GitRepository';
import { POLICY_PATH } from '../provisioning/environmentState';
import { applicationPinOf } from '../readside/publishers/gitCommitEvent';
import type { ChangePin } from './ChangeRequestStore';

const text = (content: string | Uint8Array) =>
  typeof content === 'string' ? content : Buffer.from(content).toString('utf8');

function kindOf(path: string): ChangeRequestFile['kind'] {
  if (path === POLICY_PATH || path.startsWith('policies/')) return 'policy';
  if (path.startsWith('flux-system/')) return 'flux';
  if (path.endsWith('/values.yaml')) return 'values';
  if (path.endsWith('/application.yaml')) return 'application';
  return 'manifest';
}

/**
 * What a change would do to the repo at `head`, file by file: what runs now (`before`) and what
 * would run (`after`), for every file it adds, changes or removes — the rendered diff of values and
 * manifests a change request shows. Files the change leaves as they are do not appear.
 */
export async function renderChange(
  repo: GitRepository,
  head: string | null,
  changes: FileChanges,
): Promise<ChangeRequestFile[]> {
  const present = head ? await repo.listFiles(head) : new Map<string, string>();
  const deletedDirs = Object.keys(changes).filter(p => p.endsWith('/') && changes[p] === null);
  const paths = new Set<string>();
  for (const [path, content] of Object.entries(changes)) if (!path.endsWith('/') && content !== null) paths.add(path);
  for (const path of present.keys()) {
    if (deletedDirs.some(d => path.startsWith(d)) || (changes[path] === null && !path.endsWith('/'))) paths.add(path);
  }
  const out: ChangeRequestFile[] = [];
  for (const path of [...paths].sort()) {
    const before = present.has(path) ? (await repo.readFile(head!, path)) ?? null : null;
    const next = changes[path];
    const after = typeof next === 'string' || next instanceof Uint8Array ? text(next) : null;
    if (before === after) continue;
    out.push({ path, kind: kindOf(path), before, after });
  }
  return out;
}

/** Whether two rendered diffs would leave the same files (what a change request was approved for). */
export function sameOutcome(a: readonly ChangeRequestFile[], b: readonly ChangeRequestFile[]): boolean {
  if (a.length !== b.length) return false;
  const byPath = new Map(a.map(f => [f.path, f.after]));
  return b.every(f => byPath.has(f.path) && byPath.get(f.path) === f.after);
}

/** Whether a change touches the policy: such changes always need an org-admin's approval (DESIGN §7). */
export function touchesPolicies(files: readonly ChangeRequestFile[]): boolean {
  return files.some(f => f.kind === 'policy');
}

/** The pin the destination would run: from the change's files, else from main. */
export async function pinOf(
  repo: GitRepository,
  head: string,
  files: ChangeRequestFile[],
  application: string | undefined,
): Promise<ChangePin> {
  if (!application) return {};
  const file = async (name: string) => {
    const path = `applications/${application}/${name}`;
    const changed = files.find(f => f.path === path);
    return changed ? changed.after ?? undefined : repo.readFile(head, path);
  };
  const [applicationYaml, valuesYaml] = await Promise.all([file('application.yaml'), file('values.yaml')]);
  if (applicationYaml === undefined) return {};
  const pin = applicationPinOf(applicationYaml, valuesYaml);
  return {
    ...(pin.blueprint ? { blueprint: pin.blueprint } : {}),
    ...(pin.version ? { version: pin.version } : {}),
    ...(pin.valuesDigest ? { valuesDigest: pin.valuesDigest } : {}),
  };
}
