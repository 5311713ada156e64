import { compare } from 'semver';
import { join } from 'node:path';
import { BareGitRepository } from '../git/BareGitRepository';
import type { GitIdentity } from '../git/GitRepository';
import { SeedBlueprint } from './blueprints';

export interface SeededRepo {
  path: string;
  released: string[];
}

/** Where a Blueprint source repo lives under the Git root (DESIGN §3). */
export function blueprintRepoPath(gitRoot: string, repo: SeedBlueprint['repo']): string {
  return repo === 'catalog' ? join(gitRoot, 'catalog.git') : join(gitRoot, repo.organization, 'shared-blueprints.git');
}

/**
 * Writes each seed Blueprint version as one commit replacing its `bp-<name>/` folder and tags it
 * `bp-<name>/v<version>`, oldest versions first so the history reads like real releases.
 * Idempotent: a version whose tag exists is skipped; a crash between commit and tag is healed on the
 * next run because the commit is then a no-op and the tag goes on the head.
 */
export async function seedBlueprintRepos(
  gitRoot: string,
  blueprints: SeedBlueprint[],
  identity: () => GitIdentity,
): Promise<SeededRepo[]> {
  const byRepo = new Map<string, SeedBlueprint[]>();
  for (const bp of blueprints) {
    const path = blueprintRepoPath(gitRoot, bp.repo);
    byRepo.set(path, [...(byRepo.get(path) ?? []), bp]);
  }
  const out: SeededRepo[] = [];
  for (const [path, bps] of byRepo) {
    const repo = await BareGitRepository.init(path);
    const tags = new Set(await repo.listTags());
    const releases = bps
      .flatMap(bp => bp.versions.map(v => ({ bp, v })))
      .sort((a, b) => compare(a.v.version, b.v.version) || a.bp.name.localeCompare(b.bp.name));
    const released: string[] = [];
    for (const { bp, v } of releases) {
      const tag = `${bp.name}/v${v.version}`;
      if (tags.has(tag)) continue;
      const changes: Record<string, string | null> = { [`${bp.name}/`]: null };
      for (const [file, content] of Object.entries(v.files)) changes[`${bp.name}/${file}`] = content;
      const who = identity();
      const { sha } = await repo.commit({
        branch: 'main',
        message: `Release ${bp.name} ${v.version}`,
        author: who,
        changes,
      });
      await repo.tag(tag, sha);
      released.push(tag);
    }
    out.push({ path, released });
  }
  return out;
}
