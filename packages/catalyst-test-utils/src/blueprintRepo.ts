import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.name=Blueprint CI', '-c', 'user.email=ci@acme.example', ...args], {
    cwd,
    encoding: 'utf8',
  });

/**
 * Releases a new version of a Blueprint the way a Blueprint author does: a commit in the Blueprint
 * repo whose blueprint.yaml carries the version, tagged `bp-<name>/v<version>` (docs/contracts.md §1).
 * `edit` changes the blueprint.yaml text beyond the version.
 */
export function releaseBlueprintVersion(options: {
  repo: string;
  blueprint: string;
  from: string;
  to: string;
  edit?: (yaml: string) => string;
}): void {
  const work = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-release-'));
  try {
    git(work, 'clone', '--quiet', options.repo, '.');
    const file = join(work, options.blueprint, 'blueprint.yaml');
    const before = fs.readFileSync(file, 'utf8');
    const bumped = before.replace(`version: ${options.from}\n`, `version: ${options.to}\n`);
    if (bumped === before) throw new Error(`${options.blueprint}/blueprint.yaml has no version ${options.from}`);
    fs.writeFileSync(file, options.edit ? options.edit(bumped) : bumped);
    git(work, 'commit', '--quiet', '-am', `${options.blueprint} ${options.to}`);
    git(work, 'tag', `${options.blueprint}/v${options.to}`);
    git(work, 'push', '--quiet', 'origin', 'HEAD', '--tags');
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
