import { NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_API_VERSION,
  CATALYST_ERROR_CODES,
  DependencyChoice,
  EnvironmentPolicyRule,
  InstallBody,
  stringifyYaml,
  UpdateBody,
  validateEnvironmentPolicy,
} from '@internal/plugin-catalyst-common';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { GitRepository } from '../git/GitRepository';
import { commitChanges } from './commits';
import { EnvironmentState, POLICY_PATH } from './environmentState';
import { issuesToError } from './errors';
import {
  assertBootstrapped,
  PreparedChange,
  prepareInstall,
  prepareRollback,
  prepareUninstall,
  prepareUpdate,
  RevertedFile,
} from './prepareChanges';
import { currentValues } from './repoReads';

/**
 * What a write means, kept so it can be computed again on another head: a change request stores
 * its intent and recomputes it when the destination moved (to tell a clean merge from a
 * conflict, and to rebase). Every surface's write becomes one of these.
 */
export type ChangeIntent =
  | { kind: 'install'; body: InstallBody }
  | { kind: 'update'; application: string; body: UpdateBody }
  | { kind: 'uninstall'; application: string }
  | { kind: 'rollback'; commit: string }
  | {
      kind: 'promote';
      /** Where it comes from, and what ran there when the copy was asked for. */
      source: { environment: string; application: string; commit: string };
      snapshot: PromotionSnapshot;
    }
  | { kind: 'policy'; rules: EnvironmentPolicyRule[]; merge?: 'automatic' | 'manual' };

/** The source Application as a promotion copies it. */
export interface PromotionSnapshot {
  blueprint: string;
  version: string;
  values: Record<string, unknown>;
  overlay?: 'small' | 'medium' | 'large';
  placement?: InstallBody['placement'];
  /** The source's dependencies by alias, reused in the destination where an Application of that name exists. */
  dependencies: Array<{ alias: string; application: string }>;
}

/** The Application an intent is about, when there is one. */
export function applicationOfIntent(intent: ChangeIntent): string | undefined {
  switch (intent.kind) {
    case 'install':
      return intent.body.application;
    case 'update':
    case 'uninstall':
      return intent.application;
    case 'promote':
      return intent.source.application;
    default:
      return undefined;
  }
}

/**
 * Computes an intent against one state of the Environment: the same validation, resolution and
 * composition as a direct write, so a change request merges exactly what a commit would have
 * written. Throws the same errors (400 naming the field, 404, 409).
 */
export async function prepareIntent(
  ctx: { env: EnvironmentRecord; state: EnvironmentState; repo: GitRepository; catalog: BlueprintCatalog },
  intent: ChangeIntent,
): Promise<PreparedChange> {
  const { env, state, repo, catalog } = ctx;
  switch (intent.kind) {
    case 'install':
      return prepareInstall(env, state, intent.body, catalog);
    case 'update':
      return prepareUpdate(
        env,
        state,
        intent.application,
        intent.body,
        await currentValues(repo, state, intent.application),
        catalog,
      );
    case 'uninstall':
      return prepareUninstall(env, state, intent.application);
    case 'rollback':
      return prepareRollbackAt(env, state, repo, intent.commit);
    case 'promote':
      return preparePromotion(ctx, intent);
    case 'policy':
      return preparePolicy(env, state, intent);
    default:
      throw new Error(`unknown change intent ${(intent as { kind: string }).kind}`);
  }
}

async function prepareRollbackAt(
  env: EnvironmentRecord,
  state: EnvironmentState,
  repo: GitRepository,
  commit: string,
): Promise<PreparedChange> {
  assertBootstrapped(env, state);
  const entry = (await repo.log(commit, { depth: 1 }))[0];
  const reachable = entry?.sha === commit && (await repo.log(state.head!, {})).some(e => e.sha === commit);
  if (!reachable) {
    throw Object.assign(new NotFoundError(`Commit ${commit} is not on ${env.name}'s main branch`), {
      code: CATALYST_ERROR_CODES.notFound,
      environment: env.name,
    });
  }
  const parent = entry.parents[0];
  const files: RevertedFile[] = [];
  for (const c of await commitChanges(repo, entry.sha, parent, undefined, false)) {
    files.push({
      path: c.path,
      atCommit: await repo.readBytes(entry.sha, c.path),
      atHead: await repo.readBytes(state.head!, c.path),
      atParent: parent ? await repo.readBytes(parent, c.path) : undefined,
    });
  }
  return prepareRollback(env, entry, files);
}

/**
 * A promotion in the destination: an upgrade/configure of the Application when it is there (same
 * Blueprint), an install when it is not — with the source's version, values and overlay, and its
 * dependencies reused by name where the destination has them.
 */
async function preparePromotion(
  ctx: { env: EnvironmentRecord; state: EnvironmentState; repo: GitRepository; catalog: BlueprintCatalog },
  intent: Extract<ChangeIntent, { kind: 'promote' }>,
): Promise<PreparedChange> {
  const { env, state, repo, catalog } = ctx;
  const { application, environment: from } = intent.source;
  const snap = intent.snapshot;
  const existing = state.applications.get(application);
  let prepared: PreparedChange;
  if (existing) {
    if (existing.spec.blueprintRef.name !== snap.blueprint) {
      throw issuesToError(
        [
          {
            code: 'promotion-mismatch',
            path: 'application',
            message: `${application} in ${env.name} is built from ${existing.spec.blueprintRef.name}, not ${snap.blueprint}; uninstall it there first or promote under another name`,
          },
        ],
        `Cannot copy ${application} to ${env.name}`,
        env.name,
      );
    }
    prepared = prepareUpdate(
      env,
      state,
      application,
      { version: snap.version, values: snap.values, ...(snap.overlay ? { overlay: snap.overlay } : {}) },
      await currentValues(repo, state, application),
      catalog,
    );
  } else {
    const dependencies: Record<string, DependencyChoice> = {};
    for (const dep of snap.dependencies) {
      dependencies[dep.alias] = state.applications.has(dep.application)
        ? { use: 'existing', application: dep.application }
        : { use: 'new', name: dep.application };
    }
    prepared = prepareInstall(
      env,
      state,
      {
        application,
        blueprint: snap.blueprint,
        version: snap.version,
        values: snap.values,
        ...(snap.overlay ? { overlay: snap.overlay } : {}),
        ...(snap.placement ? { placement: snap.placement } : {}),
        dependencies,
      },
      catalog,
    );
  }
  return {
    ...prepared,
    action: 'promote',
    subject: `Promote ${application} ${snap.version} from ${from}`,
    body: [`Copied from ${from} at ${intent.source.commit.slice(0, 12)}.`, prepared.subject, prepared.body]
      .filter(Boolean)
      .join('\n'),
  };
}

function preparePolicy(
  env: EnvironmentRecord,
  state: EnvironmentState,
  intent: Extract<ChangeIntent, { kind: 'policy' }>,
): PreparedChange {
  assertBootstrapped(env, state);
  const doc = {
    apiVersion: CATALYST_API_VERSION,
    kind: 'EnvironmentPolicy',
    metadata: { name: env.name },
    spec: {
      appliesTo: { environments: [env.name] },
      rules: intent.rules,
      ...(intent.merge ? { merge: intent.merge } : {}),
    },
  };
  // The same validation as the file gets when read back: durations, crons, time zones, sources.
  const valid = validateEnvironmentPolicy(doc);
  if (!valid.ok) {
    throw issuesToError(
      valid.errors.map(e => ({ ...e, path: e.path.replace(/^spec\./, '') })),
      'Invalid EnvironmentPolicy',
      env.name,
    );
  }
  return {
    action: 'policy',
    changes: { [POLICY_PATH]: stringifyYaml(doc) },
    subject: intent.rules.length
      ? `Set the EnvironmentPolicy of ${env.name}: ${intent.rules.map(r => r.kind).join(', ')}`
      : `Remove every rule of ${env.name}'s EnvironmentPolicy`,
    applications: [],
    events: [],
  };
}
