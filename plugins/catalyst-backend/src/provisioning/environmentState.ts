import {
  Application,
  EnvironmentPolicyRule,
  ExistingApplication,
  parseYaml,
  validateApplication,
  validateEnvironmentPolicy,
} from '@internal/plugin-catalyst-common';
import { GitRepository } from '../git/GitRepository';

export const POLICY_PATH = 'policies/environment-policy.yaml';

/** What an Environment repo says at one commit: its Applications and its policy. */
export interface EnvironmentState {
  head: string | null;
  applications: Map<string, Application>;
  /** Application folders whose application.yaml is missing or invalid (e.g. a bad direct push). */
  broken: Map<string, string>;
  policyRules: EnvironmentPolicyRule[] | null;
  policyError?: string;
}

/** Reads the Applications (their application.yaml) and the policy at `head`. */
export async function readEnvironmentState(repo: GitRepository, head: string | null): Promise<EnvironmentState> {
  const state: EnvironmentState = { head, applications: new Map(), broken: new Map(), policyRules: null };
  if (!head) return state;
  const files = await repo.listFiles(head);
  const appDirs = new Set<string>();
  for (const path of files.keys()) {
    const m = /^applications\/([^/]+)\//.exec(path);
    if (m) appDirs.add(m[1]);
  }
  for (const dir of [...appDirs].sort()) {
    const text = await repo.readFile(head, `applications/${dir}/application.yaml`);
    if (text === undefined) {
      state.broken.set(dir, 'application.yaml is missing');
      continue;
    }
    const parsed = parseYaml(text, { path: `applications/${dir}/application.yaml` });
    const valid = parsed.ok ? validateApplication(parsed.value) : parsed;
    if (!valid.ok) {
      state.broken.set(dir, valid.errors.map(e => `${e.path}: ${e.message}`).join('; '));
    } else if (valid.value.metadata.name !== dir) {
      state.broken.set(dir, `metadata.name is ${valid.value.metadata.name}, not the folder name`);
    } else {
      state.applications.set(dir, valid.value);
    }
  }
  const policyText = files.has(POLICY_PATH) ? await repo.readFile(head, POLICY_PATH) : undefined;
  if (policyText !== undefined) {
    const parsed = parseYaml(policyText, { path: POLICY_PATH });
    const valid = parsed.ok ? validateEnvironmentPolicy(parsed.value) : parsed;
    if (valid.ok) state.policyRules = valid.value.spec.rules;
    else state.policyError = valid.errors.map(e => `${e.path}: ${e.message}`).join('; ');
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

/** Applications of the Environment that depend on `name`. */
export function dependentsOf(state: EnvironmentState, name: string): string[] {
  return [...state.applications.values()]
    .filter(a => a.metadata.name !== name && a.spec.dependencies.some(d => d.application === name))
    .map(a => a.metadata.name)
    .sort();
}

/**
 * An Environment is governed when its policy has rules, or when the policy file is unreadable (then
 * nothing may bypass it until it is fixed).
 */
export function isGoverned(state: EnvironmentState): boolean {
  return (state.policyRules?.length ?? 0) > 0 || state.policyError !== undefined;
}
