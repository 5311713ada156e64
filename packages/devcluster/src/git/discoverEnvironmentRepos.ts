import { promises as fsp } from 'node:fs';
import { join } from 'node:path';

export const ENV_TYPES = ['prod', 'stg', 'uat', 'dev', 'poc'] as const;

const ORG_RE = /^[a-z][a-z0-9-]{2,31}$/;
const ENVIRONMENT_RE = new RegExp(`^([a-z][a-z0-9-]{2,31})-(${ENV_TYPES.join('|')})$`);

/** One Environment repo found under the git root. */
export interface EnvironmentRepo {
  organization: string;
  environment: string;
  envType: string;
  gitdir: string;
}

/** `<org>-<env_type>` with a valid Organization slug, or undefined. */
export function parseEnvironmentName(name: string): { organization: string; envType: string } | undefined {
  const match = ENVIRONMENT_RE.exec(name);
  return match ? { organization: match[1], envType: match[2] } : undefined;
}

async function isBareRepo(path: string): Promise<boolean> {
  try {
    const [head, objects] = await Promise.all([fsp.stat(join(path, 'HEAD')), fsp.stat(join(path, 'objects'))]);
    return head.isFile() && objects.isDirectory();
  } catch {
    return false;
  }
}

/**
 * Finds `<gitRoot>/<org>/<org>-<env_type>.git` bare repos. Names are matched
 * against the naming rules before any path is built from them.
 */
export async function discoverEnvironmentRepos(gitRoot: string): Promise<EnvironmentRepo[]> {
  let orgDirs: string[];
  try {
    orgDirs = (await fsp.readdir(gitRoot, { withFileTypes: true }))
      .filter(d => d.isDirectory() && ORG_RE.test(d.name))
      .map(d => d.name);
  } catch {
    return [];
  }
  const found: EnvironmentRepo[] = [];
  for (const org of orgDirs.sort()) {
    let entries: string[];
    try {
      entries = (await fsp.readdir(join(gitRoot, org), { withFileTypes: true }))
        .filter(d => d.isDirectory() && d.name.endsWith('.git'))
        .map(d => d.name);
    } catch {
      continue;
    }
    for (const entry of entries.sort()) {
      const environment = entry.slice(0, -'.git'.length);
      const parsed = parseEnvironmentName(environment);
      if (!parsed || parsed.organization !== org) continue;
      const gitdir = join(gitRoot, org, entry);
      if (await isBareRepo(gitdir)) {
        found.push({ organization: org, environment, envType: parsed.envType, gitdir });
      }
    }
  }
  return found;
}
