import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  ChangeResponse,
  checkUninstall,
  checkUpgrade,
  composeEnvironmentFiles,
  InstallBody,
  InstallPlan,
  installableVersions,
  resolveInstall,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { FileChanges, LogEntry } from '../git/GitRepository';
import { applicationOfPath } from './commits';
import { existingApplications, EnvironmentState } from './environmentState';
import { issuesToError } from './errors';
import { isPaused } from './repoReads';

/**
 * Change preparation: from an Environment's state at one head and a request, the files of the one
 * commit, its message and the domain events to publish. Pure — no I/O, no clock — so the writer can
 * run it again on every attempt against a moved head (RepoWriter), and dry runs show exactly what a
 * write would commit.
 */

export type ChangeAction = ChangeResponse['action'];

/** A domain event to publish once the commit stands: one per Application touched. */
export interface PreparedEvent {
  type: string;
  application: string;
  blueprint?: string;
  version?: string;
  previousVersion?: string;
}

export interface PreparedChange {
  action: ChangeAction;
  changes: FileChanges;
  subject: string;
  body?: string;
  /** Applications the change writes (or removes). */
  applications: string[];
  plan?: InstallPlan;
  events: PreparedEvent[];
}

const APP_EVENT: Record<'install' | 'configure' | 'upgrade' | 'uninstall', string> = {
  install: CATALYST_EVENT_TYPES.applicationInstalled,
  configure: CATALYST_EVENT_TYPES.applicationConfigured,
  upgrade: CATALYST_EVENT_TYPES.applicationUpgraded,
  uninstall: CATALYST_EVENT_TYPES.applicationUninstalled,
};

const notInstalled = (env: EnvironmentRecord, name: string) =>
  Object.assign(new NotFoundError(`Application ${name} is not installed in ${env.name}`), {
    code: CATALYST_ERROR_CODES.notFound,
    environment: env.name,
  });

/**
 * Refuses a change to an Environment whose repo is not bootstrapped yet. Whether the change is a
 * commit or a change request (a governed Environment) is the service's decision, not this one's.
 */
export function assertBootstrapped(env: EnvironmentRecord, state: EnvironmentState): void {
  if (!state.head) {
    throw Object.assign(
      new ConflictError(`${env.name} is not bootstrapped yet; the environment-controller creates it within seconds`),
      { code: CATALYST_ERROR_CODES.notBootstrapped, environment: env.name },
    );
  }
}

/**
 * Each planned Application's folder and Flux file are replaced whole by the composed ones. An
 * Application already installed keeps its pause state unless the plan sets one.
 */
export function composeChanges(
  env: EnvironmentRecord,
  plan: InstallPlan,
  catalog: BlueprintCatalog,
  state?: EnvironmentState,
): FileChanges {
  const applications = plan.applications.map(a => {
    const installed = state?.applications.get(a.name);
    return a.paused === undefined && installed && isPaused(installed) ? { ...a, paused: true } : a;
  });
  const composed = composeEnvironmentFiles({ ...plan, applications }, env.name, catalog);
  if (!composed.ok) throw issuesToError(composed.errors, undefined, env.name);
  const changes: FileChanges = {};
  for (const app of plan.applications) {
    changes[`applications/${app.name}/`] = null;
    changes[`flux-system/applications/${app.name}.yaml`] = null;
  }
  Object.assign(changes, composed.files);
  return changes;
}

export function prepareInstall(
  env: EnvironmentRecord,
  state: EnvironmentState,
  body: InstallBody,
  catalog: BlueprintCatalog,
): PreparedChange {
  assertBootstrapped(env, state);
  const result = resolveInstall(catalog, {
    environment: env.name,
    application: body.application,
    blueprint: body.blueprint,
    ...(body.version !== undefined ? { version: body.version } : {}),
    ...(body.overlay !== undefined ? { overlay: body.overlay } : {}),
    values: body.values ?? {},
    ...(body.placement ? { placement: body.placement } : {}),
    dependencies: body.dependencies ?? {},
    existingApplications: existingApplications(state),
  });
  if (!result.ok) throw issuesToError(result.errors, undefined, env.name);
  const plan = result.plan;
  const created = plan.applications.filter(a => a.isNew);
  const root = plan.applications.find(a => a.name === plan.root);
  const others = created.filter(a => a.name !== plan.root);
  const subject = root
    ? `Install ${root.name} (${root.blueprint} ${root.version})${
        others.length ? ` with ${others.map(a => a.name).join(', ')}` : ''
      }`
    : `Install ${body.blueprint} as ${created.map(a => a.name).join(', ')}`;
  return {
    action: 'install',
    changes: composeChanges(env, plan, catalog),
    subject,
    body: created.map(a => `- ${a.name}: ${a.blueprint} ${a.version}${a.overlay ? ` (${a.overlay})` : ''}`).join('\n'),
    applications: plan.applications.map(a => a.name),
    plan,
    events: created.map(a => ({
      type: APP_EVENT.install,
      application: a.name,
      blueprint: a.blueprint,
      version: a.version,
    })),
  };
}

/**
 * Configure (values, overlay), upgrade (version, honouring the Blueprint's `upgrades`) and/or pause
 * or resume one Application. `currentValues` is its values.yaml at the state's head.
 */
export function prepareUpdate(
  env: EnvironmentRecord,
  state: EnvironmentState,
  name: string,
  body: UpdateBody,
  currentValues: Record<string, unknown>,
  catalog: BlueprintCatalog,
): PreparedChange {
  assertBootstrapped(env, state);
  const app = state.applications.get(name);
  if (!app) throw notInstalled(env, name);
  const blueprint = app.spec.blueprintRef.name;
  const from = app.spec.blueprintRef.version;
  let action: ChangeAction = 'configure';
  if (body.version !== undefined && body.version !== from) {
    const target = installableVersions(catalog, blueprint, env.organization).find(
      v => v.blueprint.metadata.version === body.version,
    );
    if (!target) {
      throw issuesToError(
        [
          {
            code: 'no-matching-version',
            path: 'version',
            message: `${blueprint} has no installable version ${body.version}`,
          },
        ],
        undefined,
        env.name,
      );
    }
    const check = checkUpgrade({ name, blueprint }, from, target.blueprint);
    if (!check.ok) {
      throw issuesToError(
        check.errors.map(e => ({ ...e, path: 'version' })),
        `Cannot move ${name} to ${body.version}`,
        env.name,
      );
    }
    action = 'upgrade';
  }
  const overlay = body.overlay ?? app.spec.overlay;
  const result = resolveInstall(catalog, {
    environment: env.name,
    application: name,
    blueprint,
    version: body.version ?? from,
    ...(overlay ? { overlay } : {}),
    values: body.values ?? currentValues,
    placement: app.spec.placement,
    existingApplications: existingApplications(state),
    update: true,
  });
  if (!result.ok) throw issuesToError(result.errors, undefined, env.name);
  const plan = result.plan;
  const version = body.version ?? from;
  const created = plan.applications.filter(a => a.isNew);
  const wasPaused = isPaused(app);
  const paused = body.paused ?? wasPaused;
  // The requested Application takes the requested pause state; the others keep theirs (composeChanges).
  const requested = plan.applications.find(a => a.name === name);
  if (requested) requested.paused = paused;
  return {
    action,
    changes: composeChanges(env, plan, catalog, state),
    subject: updateSubject({
      name,
      blueprint,
      from,
      version,
      action,
      body,
      appOverlay: app.spec.overlay,
      paused,
      wasPaused,
    }),
    ...(created.length
      ? { body: `New dependencies: ${created.map(a => `${a.name} (${a.blueprint} ${a.version})`).join(', ')}` }
      : {}),
    applications: plan.applications.map(a => a.name),
    plan,
    events: [
      {
        type: APP_EVENT[action === 'upgrade' ? 'upgrade' : 'configure'],
        application: name,
        blueprint,
        version,
        ...(action === 'upgrade' ? { previousVersion: from } : {}),
      },
      ...created.map(a => ({
        type: APP_EVENT.install,
        application: a.name,
        blueprint: a.blueprint,
        version: a.version,
      })),
    ],
  };
}

function updateSubject(o: {
  name: string;
  blueprint: string;
  from: string;
  version: string;
  action: ChangeAction;
  body: UpdateBody;
  appOverlay?: string;
  paused: boolean;
  wasPaused: boolean;
}): string {
  const { name, body } = o;
  let subject =
    o.action === 'upgrade'
      ? `Upgrade ${name} to ${o.blueprint} ${o.version} (from ${o.from})`
      : `Configure ${name}${body.overlay && body.overlay !== o.appOverlay ? ` (overlay ${body.overlay})` : ''}`;
  if (o.paused !== o.wasPaused) {
    const onlyPause = body.values === undefined && body.overlay === undefined && body.version === undefined;
    const pause = o.paused ? `Pause ${name} (scaled to zero)` : `Resume ${name}`;
    subject = onlyPause ? pause : `${subject}; ${o.paused ? 'paused (scaled to zero)' : 'resumed'}`;
  }
  return subject;
}

/** Removes an Application's folder and Flux file; refused while other Applications depend on it. */
export function prepareUninstall(env: EnvironmentRecord, state: EnvironmentState, name: string): PreparedChange {
  assertBootstrapped(env, state);
  const app = state.applications.get(name);
  if (!app) throw notInstalled(env, name);
  const check = checkUninstall([...state.applications.values()], name);
  if (!check.ok) throw issuesToError(check.errors, `Cannot uninstall ${name}`, env.name);
  return {
    action: 'uninstall',
    changes: { [`applications/${name}/`]: null, [`flux-system/applications/${name}.yaml`]: null },
    subject: `Uninstall ${name} (${app.spec.blueprintRef.name} ${app.spec.blueprintRef.version})`,
    ...(check.orphans.length
      ? { body: `No longer used by anything: ${check.orphans.join(', ')} (still installed).` }
      : {}),
    applications: [name],
    events: [
      {
        type: APP_EVENT.uninstall,
        application: name,
        blueprint: app.spec.blueprintRef.name,
        version: app.spec.blueprintRef.version,
      },
    ],
  };
}

/** One file a commit changed: its bytes at the commit, at the current head and before the commit. */
export interface RevertedFile {
  path: string;
  atCommit: Uint8Array | undefined;
  atHead: Uint8Array | undefined;
  atParent: Uint8Array | undefined;
}

const sameBytes = (a: Uint8Array | undefined, b: Uint8Array | undefined) =>
  a === undefined || b === undefined ? a === b : a.byteLength === b.byteLength && a.every((x, i) => x === b[i]);

/**
 * Reverts one commit. Refused when a later commit changed any of the same files (roll those back
 * first), so a rollback never silently drops somebody else's change.
 */
export function prepareRollback(env: EnvironmentRecord, entry: LogEntry, files: RevertedFile[]): PreparedChange {
  const conflicts = files.filter(f => !sameBytes(f.atCommit, f.atHead)).map(f => f.path);
  if (conflicts.length) {
    throw issuesToError(
      conflicts.map(path => ({
        code: 'rollback-conflict',
        path,
        message: 'changed again after that commit; roll back the later commit first',
      })),
      `Cannot roll back ${entry.sha.slice(0, 7)}`,
      env.name,
    );
  }
  const changes: FileChanges = Object.fromEntries(files.map(f => [f.path, f.atParent ?? null]));
  const apps = [...new Set(files.map(f => applicationOfPath(f.path)).filter((a): a is string => !!a))].sort();
  return {
    action: 'rollback',
    changes,
    subject: `Roll back ${entry.sha.slice(0, 7)}: ${entry.message.split('\n')[0]}`,
    body: `This reverts commit ${entry.sha}.`,
    applications: apps,
    events: apps.map(application => ({ type: CATALYST_EVENT_TYPES.applicationRolledBack, application })),
  };
}
