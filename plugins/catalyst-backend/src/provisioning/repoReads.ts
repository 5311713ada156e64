import { ConflictError } from '@backstage/errors';
import {
  Application,
  ApplicationSummary,
  CATALYST_ERROR_CODES,
  CATALYST_PAUSED_ANNOTATION,
  parseYaml,
} from '@internal/plugin-catalyst-common';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { GitRepository } from '../git/GitRepository';
import { dependentsOf, EnvironmentState } from './environmentState';

/** An Environment's repo and its `main` head; 409 while the environment-controller has not created it. */
export async function openEnvironmentRepo(
  repos: EnvironmentRepositories,
  environment: string,
): Promise<{ repo: GitRepository; head: string | null }> {
  let repo: GitRepository;
  try {
    repo = await repos.open(environment);
  } catch {
    throw Object.assign(
      new ConflictError(
        `The repository of ${environment} does not exist yet; the environment-controller creates it within seconds`,
      ),
      { code: CATALYST_ERROR_CODES.notBootstrapped, environment },
    );
  }
  return { repo, head: (await repo.resolve('refs/heads/main')) ?? null };
}

/** Paused on purpose: the annotation the pause commit writes into application.yaml. */
export function isPaused(app: Application): boolean {
  return app.metadata.annotations?.[CATALYST_PAUSED_ANNOTATION] === 'true';
}

/** An Application of the state as the API lists it. */
export function applicationSummary(env: EnvironmentRecord, state: EnvironmentState, name: string): ApplicationSummary {
  const app = state.applications.get(name)!;
  return {
    name,
    environment: env.name,
    organization: env.organization,
    blueprint: app.spec.blueprintRef.name,
    version: app.spec.blueprintRef.version,
    source: app.spec.blueprintRef.source,
    ...(app.spec.overlay ? { overlay: app.spec.overlay } : {}),
    placement: app.spec.placement,
    dependencies: app.spec.dependencies,
    dependents: dependentsOf(state, name),
    paused: isPaused(app),
  };
}

/** values.yaml as an object; a missing or unreadable file is no values. */
export function valuesOf(text: string | undefined): Record<string, unknown> {
  if (text === undefined) return {};
  const parsed = parseYaml(text, { path: 'values.yaml' });
  return parsed.ok && parsed.value && typeof parsed.value === 'object' && !Array.isArray(parsed.value)
    ? (parsed.value as Record<string, unknown>)
    : {};
}

/** An Application's values.yaml at the state's head ({} before the repo has a commit). */
export async function currentValues(
  repo: GitRepository,
  state: Pick<EnvironmentState, 'head'>,
  name: string,
): Promise<Record<string, unknown>> {
  return state.head ? valuesOf(await repo.readFile(state.head, `applications/${name}/values.yaml`)) : {};
}
