import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { BareGitRepository } from '../git/BareGitRepository';
import { seedBlueprints } from './blueprints';
import { seedBlueprintRepos } from './seedBlueprintRepos';

const who = () => ({ name: 'Catalyst seed', email: 'catalyst@localhost', timestamp: 1_700_000_000 });

describe('seedBlueprintRepos', () => {
  let root: string;
  beforeEach(() => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-seed-'));
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('releases every seed version as a tag whose folder holds that version', async () => {
    const bps = seedBlueprints();
    await seedBlueprintRepos(root, bps, who);
    const catalog = await BareGitRepository.open(join(root, 'catalog.git'));
    const shared = await BareGitRepository.open(join(root, 'acme/shared-blueprints.git'));
    for (const bp of bps) {
      const repo = bp.repo === 'catalog' ? catalog : shared;
      for (const v of bp.versions) {
        const text = await repo.readFile(`${bp.name}/v${v.version}`, `${bp.name}/blueprint.yaml`);
        expect(parse(text!).metadata).toEqual({ name: bp.name, version: v.version });
      }
    }
    // the catalog requirements of the embedded default
    const listed = bps.filter(b => b.repo === 'catalog');
    expect(listed.length).toBeGreaterThanOrEqual(5);
    expect(listed.every(b => b.versions.length >= 2)).toBe(true);
    for (const gitdir of [catalog.gitdir, shared.gitdir]) {
      execFileSync('git', ['--git-dir', gitdir, 'fsck', '--strict', '--no-dangling']);
    }
  });

  it('is idempotent: a second run releases nothing and moves no branch', async () => {
    const first = await seedBlueprintRepos(root, seedBlueprints(), who);
    expect(first.every(r => r.released.length > 0)).toBe(true);
    const head = await (await BareGitRepository.open(join(root, 'catalog.git'))).resolve('main');
    const second = await seedBlueprintRepos(root, seedBlueprints(), who);
    expect(second.every(r => r.released.length === 0)).toBe(true);
    expect(await (await BareGitRepository.open(join(root, 'catalog.git'))).resolve('main')).toBe(head);
  });

  it('replaces a Blueprint folder per release, so files dropped in a version are gone at its tag', async () => {
    await seedBlueprintRepos(root, seedBlueprints(), who);
    const catalog = await BareGitRepository.open(join(root, 'catalog.git'));
    const old = await catalog.listFiles('bp-postgres/v1.4.0', 'bp-postgres');
    expect([...old.keys()]).toContain('bp-postgres/manifests/overlays/medium/kustomization.yaml');
    const composite = await catalog.listFiles('bp-bundle-starter/v1.1.0', 'bp-bundle-starter');
    expect([...composite.keys()].some(p => p.includes('/manifests/'))).toBe(false);
  });
});
