import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  Application,
  ApplicationDetail,
  ApplicationSummary,
  BlueprintCatalog,
  CATALYST_PAUSED_ANNOTATION,
  CATALYST_EVENT_TYPES,
  ChangeResponse,
  checkUninstall,
  checkUpgrade,
  composeEnvironmentFiles,
  createCatalystEvent,
  EnvironmentOverview,
  FileChange,
  HistoryEntry,
  InstallBody,
  InstallPlan,
  installableVersions,
  parseYaml,
  PlanResponse,
  resolveInstall,
  RollbackBody,
  UpdateBody,
} from '@internal/plugin-catalyst-common';
import { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import { DatabaseOrganizationStore, EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { FileChanges, GitIdentity } from '../git/GitRepository';
import { GitRepository } from '../git/GitRepository';
import {
  applicationOfPath,
  changeKind,
  commitChanges,
  findCommitByRequest,
  TRAILERS,
  toCommitRecord,
  withTrailers,
} from './commits';
import {
  dependentsOf,
  EnvironmentState,
  existingApplications,
  isGoverned,
  readEnvironmentState,
} from './environmentState';
import { issuesToError } from './errors';

/** Who asks for a change: becomes the commit's author. */
export interface Actor {
  userRef: string;
  displayName: string;
  email?: string;
}

type Action = ChangeResponse['action'];

interface PreparedChange {
  changes: FileChanges;
  subject: string;
  body?: string;
  applications: string[];
  plan?: InstallPlan;
  /** Domain events to publish once committed: one per Application. */
  events: Array<{ type: string; application: string; blueprint?: string; version?: string; previousVersion?: string }>;
}

const APP_EVENT: Record<Exclude<Action, 'rollback'>, string> = {
  install: CATALYST_EVENT_TYPES.applicationInstalled,
  configure: CATALYST_EVENT_TYPES.applicationConfigured,
  upgrade: CATALYST_EVENT_TYPES.applicationUpgraded,
  uninstall: CATALYST_EVENT_TYPES.applicationUninstalled,
};

/**
 * The one provisioning service every surface calls (REST, scaffolder actions through REST, the UI):
 * validate → resolve → compose → ONE commit in the Environment repo, authored by the user and
 * committed by Catalyst. Dry runs return the plan and the rendered files and write nothing.
 * Writes to a repo are serialized and recomputed on a moved head (RepoWriter).
 */
export class ProvisioningService {
  private constructor(
    private readonly deps: {
      store: DatabaseOrganizationStore;
      repos: EnvironmentRepositories;
      catalog: () => BlueprintCatalog;
      publisher: CatalystEventPublisher;
      committer: () => GitIdentity;
      now: () => Date;
      logger: LoggerService;
    },
  ) {}

  static create(deps: ProvisioningService['deps']): ProvisioningService {
    return new ProvisioningService(deps);
  }

  async environment(name: string): Promise<EnvironmentRecord> {
    const env = await this.deps.store.getEnvironment(name);
    if (!env) throw new NotFoundError(`Environment ${name} does not exist`);
    return env;
  }

  async overview(env: EnvironmentRecord): Promise<EnvironmentOverview> {
    const repo = await this.deps.repos.open(env.name).catch(() => undefined);
    const head = repo ? (await repo.resolve('refs/heads/main')) ?? null : null;
    const state = repo ? await readEnvironmentState(repo, head) : undefined;
    return {
      name: env.name,
      organization: env.organization,
      envType: env.envType,
      placement: env.placement,
      policy: state?.policyRules ? { rules: state.policyRules } : null,
      governed: state ? isGoverned(state) : false,
      ...(head ? { head } : {}),
      repository: this.deps.repos.url(env.name),
      applicationCount: state?.applications.size ?? 0,
    };
  }

  async listApplications(environment: string): Promise<ApplicationSummary[]> {
    const env = await this.environment(environment);
    const { repo, head } = await this.openAt(env.name);
    const state = await readEnvironmentState(repo, head);
    return [...state.applications.values()].map(app => this.summary(env, state, app.metadata.name));
  }

  async getApplication(environment: string, name: string): Promise<ApplicationDetail> {
    const env = await this.environment(environment);
    const { repo, head } = await this.openAt(env.name);
    const state = await readEnvironmentState(repo, head);
    if (!state.applications.has(name)) {
      throw new NotFoundError(`Application ${name} is not installed in ${environment}`);
    }
    const files: Record<string, string> = {
      ...(await repo.readDir(head!, `applications/${name}`)),
    };
    const flux = await repo.readFile(head!, `flux-system/applications/${name}.yaml`);
    if (flux !== undefined) files[`flux-system/applications/${name}.yaml`] = flux;
    const last = (await repo.log(head!, { depth: 1, path: `applications/${name}` }))[0];
    return {
      ...this.summary(env, state, name),
      values: this.valuesOf(files[`applications/${name}/values.yaml`]),
      files,
      ...(last ? { lastCommit: toCommitRecord(last) } : {}),
    };
  }

  /** Dry run of an install: the plan, the rendered files and what would change; nothing is written. */
  async plan(environment: string, body: InstallBody): Promise<PlanResponse> {
    const env = await this.environment(environment);
    const { repo, head } = await this.openAt(env.name);
    const state = await readEnvironmentState(repo, head);
    const prepared = this.prepareInstall(env, state, body);
    return this.dryRun(repo, head, prepared);
  }

  async install(environment: string, body: InstallBody, actor: Actor): Promise<ChangeResponse> {
    const env = await this.environment(environment);
    return this.write(env, 'install', actor, body.idempotencyKey, state => this.prepareInstall(env, state, body));
  }

  /** Dry run of a configure/upgrade (the Settings form and the manifest editor preview with it). */
  async planUpdate(environment: string, name: string, body: UpdateBody): Promise<PlanResponse> {
    const env = await this.environment(environment);
    const { repo, head } = await this.openAt(env.name);
    const state = await readEnvironmentState(repo, head);
    const prepared = await this.prepareUpdate(env, state, repo, name, body);
    return this.dryRun(repo, head, prepared.change);
  }

  /** Configure (values, overlay) and/or upgrade (version) one Application, as one commit. */
  async update(environment: string, name: string, body: UpdateBody, actor: Actor): Promise<ChangeResponse> {
    const env = await this.environment(environment);
    let action: Action = 'configure';
    return this.write(
      env,
      () => action,
      actor,
      body.idempotencyKey,
      async (state, repo) => {
        const prepared = await this.prepareUpdate(env, state, repo, name, body);
        action = prepared.action;
        return prepared.change;
      },
    );
  }

  async uninstall(environment: string, name: string, actor: Actor, idempotencyKey?: string): Promise<ChangeResponse> {
    const env = await this.environment(environment);
    return this.write(env, 'uninstall', actor, idempotencyKey, state => {
      const subjects = [...state.applications.values()];
      if (!state.applications.has(name)) {
        throw new NotFoundError(`Application ${name} is not installed in ${env.name}`);
      }
      const check = checkUninstall(subjects, name);
      if (!check.ok) throw issuesToError(check.errors, `Cannot uninstall ${name}`);
      const app = state.applications.get(name)!;
      return {
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
    });
  }

  /**
   * Reverts one commit. Refused when a later commit changed any of the same files (roll those back
   * first), so a rollback never silently drops somebody else's change.
   */
  async rollback(environment: string, body: RollbackBody, actor: Actor): Promise<ChangeResponse> {
    const env = await this.environment(environment);
    return this.write(env, 'rollback', actor, body.idempotencyKey, async (state, repo) => {
      const entry = (await repo.log(body.commit, { depth: 1 }))[0];
      if (!entry || entry.sha !== body.commit) {
        throw new NotFoundError(`Commit ${body.commit} is not in ${env.name}`);
      }
      const reachable = (await repo.log(state.head!, {})).some(e => e.sha === body.commit);
      if (!reachable) throw new NotFoundError(`Commit ${body.commit} is not on ${env.name}'s main branch`);
      const parent = entry.parents[0];
      const changed = await commitChanges(repo, entry.sha, parent, undefined, false);
      const changes: FileChanges = {};
      const conflicts: string[] = [];
      for (const c of changed) {
        const atCommit = await repo.readBytes(entry.sha, c.path);
        const atHead = await repo.readBytes(state.head!, c.path);
        const same =
          (atCommit === undefined && atHead === undefined) ||
          (atCommit !== undefined &&
            atHead !== undefined &&
            Buffer.compare(Buffer.from(atCommit), Buffer.from(atHead)) === 0);
        if (!same) conflicts.push(c.path);
        changes[c.path] = parent ? (await repo.readBytes(parent, c.path)) ?? null : null;
      }
      if (conflicts.length) {
        throw issuesToError(
          conflicts.map(path => ({
            code: 'rollback-conflict',
            path,
            message: 'changed again after that commit; roll back the later commit first',
          })),
          `Cannot roll back ${entry.sha.slice(0, 7)}`,
        );
      }
      const apps = [...new Set(changed.map(c => applicationOfPath(c.path)).filter((a): a is string => !!a))].sort();
      return {
        changes,
        subject: `Roll back ${entry.sha.slice(0, 7)}: ${entry.message.split('\n')[0]}`,
        body: `This reverts commit ${entry.sha}.`,
        applications: apps,
        events: apps.map(application => ({ type: CATALYST_EVENT_TYPES.applicationRolledBack, application })),
      };
    });
  }

  /** Commits that touched an Application (its folder), newest first. */
  async history(environment: string, name: string, limit = 50): Promise<HistoryEntry[]> {
    const env = await this.environment(environment);
    const { repo, head } = await this.openAt(env.name);
    if (!head) return [];
    const entries = await repo.log(head, {
      depth: Math.min(Math.max(limit, 1), 500) * 4,
      path: `applications/${name}`,
    });
    return entries.slice(0, limit).map(toCommitRecord);
  }

  /** What one commit changed, with before/after contents (for the History tab's diff). */
  async commitDiff(environment: string, sha: string, application?: string): Promise<HistoryEntry> {
    const env = await this.environment(environment);
    const { repo } = await this.openAt(env.name);
    const entry = /^[0-9a-f]{40}$/.test(sha) ? (await repo.log(sha, { depth: 1 }))[0] : undefined;
    if (!entry || entry.sha !== sha) throw new NotFoundError(`Commit ${sha} is not in ${env.name}`);
    const prefixes = application
      ? [`applications/${application}/`, `flux-system/applications/${application}.yaml`]
      : undefined;
    return { ...toCommitRecord(entry), changes: await commitChanges(repo, entry.sha, entry.parents[0], prefixes) };
  }

  private summary(env: EnvironmentRecord, state: EnvironmentState, name: string): ApplicationSummary {
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

  private valuesOf(text: string | undefined): Record<string, unknown> {
    if (text === undefined) return {};
    const parsed = parseYaml(text, { path: 'values.yaml' });
    return parsed.ok && parsed.value && typeof parsed.value === 'object'
      ? (parsed.value as Record<string, unknown>)
      : {};
  }

  private async openAt(environment: string): Promise<{ repo: GitRepository; head: string | null }> {
    let repo: GitRepository;
    try {
      repo = await this.deps.repos.open(environment);
    } catch {
      throw new ConflictError(
        `The repository of ${environment} does not exist yet; the environment-controller creates it within seconds`,
      );
    }
    return { repo, head: (await repo.resolve('refs/heads/main')) ?? null };
  }

  private assertWritable(env: EnvironmentRecord, state: EnvironmentState) {
    if (!state.head) {
      throw new ConflictError(
        `${env.name} is not bootstrapped yet; the environment-controller creates it within seconds`,
      );
    }
    if (isGoverned(state)) {
      const rules = state.policyRules?.map(r => r.kind).join(', ');
      throw issuesToError([
        {
          code: 'governed-environment',
          path: 'environment',
          message: state.policyError
            ? `${env.name}'s EnvironmentPolicy is invalid (${state.policyError}); no change is accepted until it is fixed`
            : `${env.name} is governed by its EnvironmentPolicy (${rules}); changes must arrive as a change request, which this version of Catalyst does not open yet`,
        },
      ]);
    }
  }

  private prepareInstall(env: EnvironmentRecord, state: EnvironmentState, body: InstallBody): PreparedChange {
    this.assertWritable(env, state);
    const catalog = this.deps.catalog();
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
    if (!result.ok) throw issuesToError(result.errors);
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
      changes: this.composeChanges(env, plan, catalog),
      subject,
      body: created
        .map(a => `- ${a.name}: ${a.blueprint} ${a.version}${a.overlay ? ` (${a.overlay})` : ''}`)
        .join('\n'),
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

  private async prepareUpdate(
    env: EnvironmentRecord,
    state: EnvironmentState,
    repo: GitRepository,
    name: string,
    body: UpdateBody,
  ): Promise<{ action: Action; change: PreparedChange }> {
    this.assertWritable(env, state);
    const app = state.applications.get(name);
    if (!app) throw new NotFoundError(`Application ${name} is not installed in ${env.name}`);
    const catalog = this.deps.catalog();
    const from = app.spec.blueprintRef.version;
    let action: Action = 'configure';
    if (body.version !== undefined && body.version !== from) {
      const target = installableVersions(catalog, app.spec.blueprintRef.name, env.organization).find(
        v => v.blueprint.metadata.version === body.version,
      );
      if (!target) {
        throw issuesToError([
          {
            code: 'no-matching-version',
            path: 'version',
            message: `${app.spec.blueprintRef.name} has no installable version ${body.version}`,
          },
        ]);
      }
      const check = checkUpgrade({ name, blueprint: app.spec.blueprintRef.name }, from, target.blueprint);
      if (!check.ok)
        throw issuesToError(
          check.errors.map(e => ({ ...e, path: 'version' })),
          `Cannot move ${name} to ${body.version}`,
        );
      action = 'upgrade';
    }
    const currentValues = this.valuesOf(await repo.readFile(state.head!, `applications/${name}/values.yaml`));
    const result = resolveInstall(catalog, {
      environment: env.name,
      application: name,
      blueprint: app.spec.blueprintRef.name,
      version: body.version ?? from,
      ...(body.overlay ?? app.spec.overlay ? { overlay: body.overlay ?? app.spec.overlay } : {}),
      values: body.values ?? currentValues,
      placement: app.spec.placement,
      existingApplications: existingApplications(state),
      update: true,
    });
    if (!result.ok) throw issuesToError(result.errors);
    const plan = result.plan;
    const version = body.version ?? from;
    const created = plan.applications.filter(a => a.isNew);
    const wasPaused = isPaused(app);
    const paused = body.paused ?? wasPaused;
    // The requested Application takes the requested pause state; the others keep theirs (composeChanges).
    const requested = plan.applications.find(a => a.name === name);
    if (requested) requested.paused = paused;
    const onlyPause = body.values === undefined && body.overlay === undefined && body.version === undefined;
    let subject =
      action === 'upgrade'
        ? `Upgrade ${name} to ${app.spec.blueprintRef.name} ${version} (from ${from})`
        : `Configure ${name}${body.overlay && body.overlay !== app.spec.overlay ? ` (overlay ${body.overlay})` : ''}`;
    if (paused !== wasPaused) {
      const pause = paused ? `Pause ${name} (scaled to zero)` : `Resume ${name}`;
      subject = onlyPause ? pause : `${subject}; ${paused ? 'paused (scaled to zero)' : 'resumed'}`;
    }
    return {
      action,
      change: {
        changes: this.composeChanges(env, plan, catalog, state),
        subject,
        ...(created.length
          ? { body: `New dependencies: ${created.map(a => `${a.name} (${a.blueprint} ${a.version})`).join(', ')}` }
          : {}),
        applications: plan.applications.map(a => a.name),
        plan,
        events: [
          {
            type: APP_EVENT[action === 'upgrade' ? 'upgrade' : 'configure'],
            application: name,
            blueprint: app.spec.blueprintRef.name,
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
      },
    };
  }

  /**
   * Each planned Application's folder and Flux file are replaced whole by the composed ones. An
   * Application already installed keeps its pause state unless the plan sets one.
   */
  private composeChanges(
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
    if (!composed.ok) throw issuesToError(composed.errors);
    const changes: FileChanges = {};
    for (const app of plan.applications) {
      changes[`applications/${app.name}/`] = null;
      changes[`flux-system/applications/${app.name}.yaml`] = null;
    }
    Object.assign(changes, composed.files);
    return changes;
  }

  private async dryRun(repo: GitRepository, head: string | null, prepared: PreparedChange): Promise<PlanResponse> {
    const files = Object.fromEntries(
      Object.entries(prepared.changes).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const before = head ? await repo.listFiles(head) : new Map<string, string>();
    const changes: FileChange[] = [];
    const deletedDirs = Object.keys(prepared.changes).filter(p => p.endsWith('/') && prepared.changes[p] === null);
    const paths = new Set<string>(Object.keys(files));
    for (const p of before.keys()) {
      if (deletedDirs.some(d => p.startsWith(d)) || (prepared.changes[p] === null && !p.endsWith('/'))) paths.add(p);
    }
    for (const path of [...paths].sort()) {
      const old = before.has(path) ? await repo.readFile(head!, path) : undefined;
      const next = files[path];
      if (old === next) continue;
      changes.push({
        path,
        change: changeKind(old, next),
        ...(old !== undefined ? { before: old } : {}),
        ...(next !== undefined ? { after: next } : {}),
      });
    }
    return { plan: prepared.plan!, files, changes };
  }

  private async write(
    env: EnvironmentRecord,
    action: Action | (() => Action),
    actor: Actor,
    idempotencyKey: string | undefined,
    prepare: (state: EnvironmentState, repo: GitRepository) => PreparedChange | Promise<PreparedChange>,
  ): Promise<ChangeResponse> {
    const { repo } = await this.openAt(env.name);
    const actionOf = () => (typeof action === 'function' ? action() : action);
    const now = this.deps.now();
    const author: GitIdentity = {
      name: actor.displayName,
      email:
        actor.email ??
        `${actor.userRef.replace(/^user:(default\/)?/, '').replace(/[^A-Za-z0-9._-]/g, '-')}@users.catalyst.local`,
      timestamp: Math.floor(now.getTime() / 1000),
    };
    const committer = { ...this.deps.committer(), timestamp: author.timestamp };
    type Result = { replayed: boolean; prepared?: PreparedChange; head: string | null };
    const outcome = await this.deps.repos.writer.write<Result>(repo, 'main', async head => {
      if (idempotencyKey) {
        const earlier = await findCommitByRequest(repo, head, idempotencyKey);
        if (earlier) return { noop: true, result: { replayed: true, head: earlier.sha } };
      }
      const state = await readEnvironmentState(repo, head);
      const prepared = await prepare(state, repo);
      return {
        changes: prepared.changes,
        message: withTrailers(prepared.subject, prepared.body, {
          [TRAILERS.action]: actionOf(),
          [TRAILERS.actor]: actor.userRef,
          [TRAILERS.request]: idempotencyKey,
        }),
        author,
        committer,
        result: { replayed: false, prepared, head },
      };
    });
    const sha = outcome.commit?.sha ?? outcome.result.head;
    if (!sha) throw new ConflictError(`${env.name} has no commits`);
    const entry = (await repo.log(sha, { depth: 1 }))[0];
    const prepared = outcome.result.prepared;
    const changed = outcome.commit?.changed ?? false;
    if (changed && prepared) {
      this.deps.logger.info(`${prepared.subject} in ${env.name}`, {
        environment: env.name,
        commit: sha,
        action: actionOf(),
        actor: actor.userRef,
        attempts: outcome.attempts,
      });
      await this.publish(env, sha, actor, prepared);
    }
    let applications: string[] = [];
    if (outcome.result.replayed) {
      // the first attempt's commit: which Applications it touched is in the commit itself
      const touched = await commitChanges(repo, sha, entry.parents[0], undefined, false);
      applications = [...new Set(touched.map(c => applicationOfPath(c.path)).filter((a): a is string => !!a))].sort();
    } else if (changed) {
      applications = prepared?.applications ?? [];
    }
    return {
      action: actionOf(),
      environment: env.name,
      commit: toCommitRecord(entry),
      applications,
      replayed: outcome.result.replayed,
      changed: outcome.result.replayed || changed,
      ...(prepared?.plan ? { plan: prepared.plan } : {}),
    };
  }

  /**
   * Domain events after the commit. A failure is logged, not returned: the commit stands, and the
   * read side also learns of it from the commit itself (the Git publisher).
   */
  private async publish(env: EnvironmentRecord, sha: string, actor: Actor, prepared: PreparedChange) {
    const time = this.deps.now().toISOString();
    try {
      await this.deps.publisher.publish(
        prepared.events.map(e =>
          createCatalystEvent({
            id: `${env.name}.${sha}.${e.type}.${e.application}`,
            source: 'catalyst/provisioning',
            type: e.type,
            subject: `application/${e.application}`,
            time,
            organization: env.organization,
            environment: env.name,
            data: {
              application: e.application,
              ...(e.blueprint ? { blueprint: e.blueprint } : {}),
              ...(e.version ? { version: e.version } : {}),
              ...(e.previousVersion ? { previousVersion: e.previousVersion } : {}),
              commit: sha,
              actor: actor.userRef,
            },
          } as Parameters<typeof createCatalystEvent>[0]),
        ),
      );
    } catch (e) {
      this.deps.logger.error(`Could not publish the events of ${sha} in ${env.name}`, {
        environment: env.name,
        error: String(e),
      });
    }
  }
}

/** Paused on purpose: the annotation the pause commit writes into application.yaml. */
function isPaused(app: Application): boolean {
  return app.metadata.annotations?.[CATALYST_PAUSED_ANNOTATION] === 'true';
}
