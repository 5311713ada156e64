import {
  Application,
  EnvironmentPolicyRule,
  ExistingApplication,
  parseYaml,
  validateApplication,
  validateEnvironmentPolicy,
} from '@internal/plugin-catalyst-common';
import { GitRepository } from '../git/GitRepository';
import { ObjectCache } from '../git/objectCache';

export const POLICY_PATH = 'policies/environment-policy.yaml';

/** What an Environment repo says at one commit: its Applications and its policy. */
export interface EnvironmentState {
  head: string | null;
  applications: Map<string, Application>;
  /** Application folders whose application.yaml is missing or invalid (e.g. a bad direct push). */
  broken: Map<string, string>;
  policyRules: EnvironmentPolicyRule[] | null;
  policyError?: string;
  /** How change requests merge under the policy (default automatic). */
  policyMerge?: 'automatic' | 'manual';
}

type ParsedApplication = { ok: true; value: Application } | { ok: false; error: string };

/**
 * Parsed application.yaml documents by blob id (and folder, which the name must match): an
 * Environment's state is re-read on every write, and most Applications did not change since.
 */
const parsedApplications = new ObjectCache<ParsedApplication>(8 * 1024 * 1024, () => 2048);

function parseApplication(text: string, dir: string): ParsedApplication {
  const parsed = parseYaml(text, { path: `applications/${dir}/application.yaml` });
  const valid = parsed.ok ? validateApplication(parsed.value) : parsed;
  if (!valid.ok) return { ok: false, error: valid.errors.map(e => `${e.path}: ${e.message}`).join('; ') };
  if (valid.value.metadata.name !== dir) {
    return { ok: false, error: `metadata.name is ${valid.value.metadata.name}, not the folder name` };
  }
  return { ok: true, value: valid.value };
}

/** A commit's state never changes, so it is kept per (repo, head) for the many reads between writes. */
const statesByHead = new ObjectCache<Promise<EnvironmentState>>(512, () => 1);

/** Reads the Applications (their application.yaml) and the policy at `head` (cached per head). */
export function readEnvironmentState(repo: GitRepository, head: string | null): Promise<EnvironmentState> {
  if (!head) return readEnvironmentStateUncached(repo, head);
  const key = `${repo.gitdir}\u0000${head}`;
  let state = statesByHead.get(key);
  if (!state) {
    state = readEnvironmentStateUncached(repo, head);
    // a failed read (e.g. a repo replaced on disk) must not stick: the next call reads again
    state.catch(() => statesByHead.delete(key));
    statesByHead.set(key, state);
  }
  return state;
}

async function readEnvironmentStateUncached(repo: GitRepository, head: string | null): Promise<EnvironmentState> {
  const state: EnvironmentState = { head, applications: new Map(), broken: new Map(), policyRules: null };
  if (!head) return state;
  const files = await repo.listFiles(head, 'applications');
  const appDirs = new Set<string>();
  for (const path of files.keys()) {
    const m = /^applications\/([^/]+)\//.exec(path);
    if (m) appDirs.add(m[1]);
  }
  for (const dir of [...appDirs].sort()) {
    const oid = files.get(`applications/${dir}/application.yaml`);
    if (oid === undefined) {
      state.broken.set(dir, 'application.yaml is missing');
      continue;
    }
    const key = `${oid}:${dir}`;
    let parsed = parsedApplications.get(key);
    if (!parsed) {
      const text = await repo.readFile(head, `applications/${dir}/application.yaml`);
      parsed = parseApplication(text ?? '', dir);
      parsedApplications.set(key, parsed);
    }
    if (parsed.ok) state.applications.set(dir, parsed.value);
    else state.broken.set(dir, parsed.error);
  }
  const policyText = await repo.readFile(head, POLICY_PATH);
  if (policyText !== undefined) {
    const parsed = parseYaml(policyText, { path: POLICY_PATH });
    const valid = parsed.ok ? validateEnvironmentPolicy(parsed.value) : parsed;
    if (valid.ok) {
      state.policyRules = valid.value.spec.rules;
      if (valid.value.spec.merge) state.policyMerge = valid.value.spec.merge;
    } else state.policyError = valid.errors.map(e => `${e.path}: ${e.message}`).join('; ');
  }
  return state;
}

/** The resolver's view of what is already installed. */
export function existingApplications(state: EnvironmentState): Record<string, ExistingApplication> {
  const out: Record<string, ExistingApplication> = {};
  for (const [name, app] of state.applications) {
    out[name] = {
      blueprint: app.spec.blueprintRef.name,
      version: app.spec.blueprintRef.version,
      source: app.spec.blueprintRef.source,
      dependencies: app.spec.dependencies.map(d => ({ alias: d.alias, application: d.application, mode: d.mode })),
    };
  }
  return out;
}

const dependentsIndexes = new WeakMap<EnvironmentState, Map<string, string[]>>();

/** Applications of the Environment that depend on `name` (indexed once per state: states are shared). */
export function dependentsOf(state: EnvironmentState, name: string): string[] {
  let index = dependentsIndexes.get(state);
  if (!index) {
    index = new Map();
    for (const app of state.applications.values()) {
      for (const dep of app.spec.dependencies) {
        if (dep.application === app.metadata.name) continue;
        const list = index.get(dep.application) ?? [];
        if (!list.includes(app.metadata.name)) list.push(app.metadata.name);
        index.set(dep.application, list);
      }
    }
    for (const list of index.values()) list.sort();
    dependentsIndexes.set(state, index);
  }
  return [...(index.get(name) ?? [])];
}

/**
 * An Environment is governed when its policy has rules, or when the policy file is unreadable (then
 * nothing may bypass it until it is fixed).
 */
export function isGoverned(state: EnvironmentState): boolean {
  return (state.policyRules?.length ?? 0) > 0 || state.policyError !== undefined;
}
