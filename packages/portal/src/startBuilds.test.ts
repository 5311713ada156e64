import fs from 'node:fs';
import { resolve } from 'node:path';

/**
 * `npm start` on a fresh clone builds the packages named in scripts/lib/ensure.sh without ever
 * running `yarn tsc`. Backstage builds of library roles bundle type declarations from dist-types/,
 * which only `yarn tsc` writes, so such a package there fails the very first start (it did once,
 * for the devcluster). Every package the start builds must have a role that emits no declarations.
 */

// eslint-disable-next-line no-restricted-syntax -- tests run from source, at a fixed depth in the repo
const ROOT = resolve(__dirname, '../../..');
const ROLES_WITHOUT_DECLARATIONS = ['frontend', 'backend', 'cli'];

function workspacesBuiltByStart(): string[] {
  const script = fs.readFileSync(resolve(ROOT, 'scripts/lib/ensure.sh'), 'utf8');
  const body = script.slice(script.indexOf('ensure_portal_built()'));
  return [...body.matchAll(/^\s*ensure_built\s+\S+\s+(\S+)/gm)].map(m => m[1]);
}

function packageJsonOf(workspace: string): { name: string; backstage?: { role?: string } } {
  for (const dir of ['packages', 'plugins']) {
    for (const entry of fs.readdirSync(resolve(ROOT, dir))) {
      const file = resolve(ROOT, dir, entry, 'package.json');
      if (!fs.existsSync(file)) continue;
      const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
      if (pkg.name === workspace) return pkg;
    }
  }
  throw new Error(`no package named ${workspace}`);
}

describe('the packages npm start builds', () => {
  const workspaces = workspacesBuiltByStart();

  it('are read from scripts/lib/ensure.sh', () => {
    expect(workspaces).toEqual(
      expect.arrayContaining(['app', '@internal/devcluster', '@internal/idp', '@internal/portal']),
    );
  });

  it.each(workspaces)('%s builds without dist-types (no type declarations in its role)', workspace => {
    expect(ROLES_WITHOUT_DECLARATIONS).toContain(packageJsonOf(workspace).backstage?.role);
  });
});
