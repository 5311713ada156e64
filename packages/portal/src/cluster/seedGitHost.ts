/**
 * Run once by `catalyst-portal cluster` on a new cluster dir, as a child with Backstage's node
 * transform (it loads the backend's seed from source): fills the Git host with what a platform team
 * creates on Gitea before the first start — the Blueprint catalog (`<sovereign>/catalog.git`), each
 * Organization's shared-blueprints with the seed's releases, and an empty repo per seeded Environment
 * (the backend bootstraps it; it never creates repos on a Git host). The seed's Organizations and
 * Blueprints come from the backend, so this list is written in one place.
 *
 * Usage: node --require <nodeTransform> seedGitHost.ts <checkout> <host root> <sovereign>
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

interface SeedModule {
  SEED_ORGANIZATIONS: ReadonlyArray<{ name: string; environments: readonly string[] }>;
}
interface BlueprintsModule {
  seedBlueprints(): unknown[];
}
interface ReposModule {
  seedBlueprintRepos(
    gitRoot: string,
    blueprints: unknown[],
    identity: () => { name: string; email: string; timestamp: number },
  ): Promise<Array<{ path: string; released: string[] }>>;
}

async function main(checkout: string, hostRoot: string, sovereign: string) {
  const seedDir = join(checkout, 'plugins/catalyst-backend/src/seed');
  // Paths computed at run time: the backend is not a dependency of the launcher's build.
  const { SEED_ORGANIZATIONS } = require(join(seedDir, 'seedEmbeddedData')) as SeedModule;
  const { seedBlueprints } = require(join(seedDir, 'blueprints')) as BlueprintsModule;
  const { seedBlueprintRepos } = require(join(seedDir, 'seedBlueprintRepos')) as ReposModule;

  mkdirSync(hostRoot, { recursive: true });
  const staging = mkdtempSync(join(hostRoot, '.seed-'));
  try {
    await seedBlueprintRepos(staging, seedBlueprints(), () => ({
      name: 'Catalyst seed',
      email: 'catalyst@localhost',
      timestamp: Math.floor(Date.now() / 1000),
    }));
    // The seed's layout is the embedded default's (catalog.git at the root); on a host the catalog
    // belongs to the Sovereign's account.
    const moves: Array<[string, string]> = [[join(staging, 'catalog.git'), join(hostRoot, sovereign, 'catalog.git')]];
    for (const org of SEED_ORGANIZATIONS) {
      moves.push([join(staging, org.name, 'shared-blueprints.git'), join(hostRoot, org.name, 'shared-blueprints.git')]);
    }
    for (const [from, to] of moves) {
      if (!existsSync(from) || existsSync(to)) continue;
      mkdirSync(join(to, '..'), { recursive: true });
      renameSync(from, to);
    }
    for (const org of SEED_ORGANIZATIONS) {
      for (const envType of org.environments) {
        const repo = join(hostRoot, org.name, `${org.name}-${envType}.git`);
        if (existsSync(join(repo, 'HEAD'))) continue;
        execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', repo]);
      }
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

const [checkout, hostRoot, sovereign] = process.argv.slice(2);
main(checkout, hostRoot, sovereign).then(
  () => process.exit(0),
  e => {
    process.stderr.write(`seeding the Git host failed: ${(e as Error).stack ?? e}\n`);
    process.exit(1);
  },
);
