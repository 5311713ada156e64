import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_ERROR_CODES,
  CATALYST_TRAILERS,
  ChangeResponse,
  EnvironmentPolicyRule,
  FileChange,
  InstallBody,
  PlanResponse,
  PolicyBody,
  PromotionBody,
  RollbackBody,
  UpdateBody,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import { noteForAudit } from '../audit/CatalystAudit';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { GitIdentity, GitRepository } from '../git/GitRepository';
import type { ChangeRequestService } from '../changes/ChangeRequestService';
import {
  applicationOfPath,
  authorIdentity,
  changeKind,
  commitChanges,
  findCommitByRequest,
  toCommitRecord,
} from './commits';
import { EnvironmentState, isGoverned, readEnvironmentState } from './environmentState';
import { issuesToError } from './errors';
import { ChangeIntent, prepareIntent, PromotionSnapshot } from './intents';
import { ChangeAction, PreparedChange, prepareInstall, prepareUpdate } from './prepareChanges';
import { publishChangeEvents } from './publishChange';
import { currentValues, openEnvironmentRepo } from './repoReads';

/** Thrown inside the writer when the head it is about to write is governed. */
class NeedsChangeRequest extends Error {}

/**
 * The commands every surface calls to change an Environment (REST, the scaffolder's actions
 * through REST, GraphQL, the IaC editor): install, configure / upgrade / pause (update),
 * uninstall, rollback — and their dry runs. Each authorizes the caller in the Environment, then
 * validates → resolves → composes → writes ONE commit authored by the caller and committed by
 * Catalyst. Writes to a repo are serialized and recomputed on a moved head (RepoWriter), so none
 * is lost or half-applied; with an idempotency key a retried request answers with its first commit.
 */
export class ProvisioningService {
  private constructor(
    private readonly deps: {
      repos: EnvironmentRepositories;
      authorization: Authorization;
      catalog: () => BlueprintCatalog;
      publisher: CatalystEventPublisher;
      /** Where writes to governed Environments go; without it they are refused with 409. */
      changeRequests?: ChangeRequestService;
      /** Catalyst's own identity, the committer of every commit it writes. */
      committer: GitIdentity;
      now: () => Date;
      logger: LoggerService;
    },
  ) {}

  static create(deps: ProvisioningService['deps']): ProvisioningService {
    return new ProvisioningService(deps);
  }

  /** Dry run of an install: the plan, the rendered files and what would change; nothing is written. */
  async planInstall(principal: CatalystPrincipal, environment: string, body: InstallBody): Promise<PlanResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'install');
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    return this.dryRun(repo, head, prepareInstall(env, state, body, this.deps.catalog()));
  }

  async install(principal: CatalystPrincipal, environment: string, body: InstallBody): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'install');
    return this.change(env, principal, { kind: 'install', body }, body.idempotencyKey);
  }

  /** Dry run of a configure/upgrade (the Settings form and the manifest editor preview with it). */
  async planUpdate(
    principal: CatalystPrincipal,
    environment: string,
    name: string,
    body: UpdateBody,
  ): Promise<PlanResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'configure');
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    const values = await currentValues(repo, state, name);
    return this.dryRun(repo, head, prepareUpdate(env, state, name, body, values, this.deps.catalog()));
  }

  /** Configure (values, overlay), upgrade (version) and/or pause or resume one Application, as one commit. */
  async update(
    principal: CatalystPrincipal,
    environment: string,
    name: string,
    body: UpdateBody,
  ): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'configure');
    return this.change(env, principal, { kind: 'update', application: name, body }, body.idempotencyKey);
  }

  async uninstall(
    principal: CatalystPrincipal,
    environment: string,
    name: string,
    idempotencyKey?: string,
  ): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'install');
    return this.change(env, principal, { kind: 'uninstall', application: name }, idempotencyKey);
  }

  /** Reverts one commit of `main` as a new commit. */
  async rollback(principal: CatalystPrincipal, environment: string, body: RollbackBody): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'configure');
    return this.change(env, principal, { kind: 'rollback', commit: body.commit }, body.idempotencyKey);
  }

  /**
   * "Copy to another Environment" (DESIGN §7): the source Application's Blueprint version, values,
   * overlay and placement, as they are on the source's main now, installed or upgraded in the target
   * of the same Organization — a commit, or a change request where the target is governed (where
   * its soak rule compares exactly this pin with what has run in the source).
   */
  async promote(principal: CatalystPrincipal, body: PromotionBody): Promise<ChangeResponse> {
    const source = await this.deps.authorization.environment(principal, body.sourceEnvironment, 'read');
    const target = await this.deps.authorization.environment(principal, body.targetEnvironment, 'promote');
    const field = (path: string, message: string) => issuesToError([{ code: 'invalid-request', path, message }]);
    if (source.name === target.name) throw field('targetEnvironment', 'must be another Environment than the source');
    if (source.organization !== target.organization) {
      throw field(
        'targetEnvironment',
        `${target.name} belongs to ${target.organization}, ${source.name} to ${source.organization}: promotions stay inside an Organization`,
      );
    }
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, source.name);
    const state = await readEnvironmentState(repo, head);
    const app = state.applications.get(body.application);
    if (!head || !app) {
      throw Object.assign(new NotFoundError(`Application ${body.application} is not installed in ${source.name}`), {
        code: CATALYST_ERROR_CODES.notFound,
        environment: source.name,
      });
    }
    const placement = app.spec.placement;
    const snapshot: PromotionSnapshot = {
      blueprint: app.spec.blueprintRef.name,
      version: app.spec.blueprintRef.version,
      values: await currentValues(repo, state, body.application),
      ...(app.spec.overlay ? { overlay: app.spec.overlay } : {}),
      ...(placement && (placement.mode !== 'single-region' || placement.regions.length) ? { placement } : {}),
      dependencies: app.spec.dependencies.map(d => ({ alias: d.alias, application: d.application })),
    };
    return this.change(
      target,
      principal,
      { kind: 'promote', source: { environment: source.name, application: body.application, commit: head }, snapshot },
      body.idempotencyKey,
    );
  }

  /**
   * Replaces the EnvironmentPolicy's rules. A change to `policies/` always needs an org-admin: an
   * org-admin's edit of an ungoverned Environment is a commit; anything else (a security officer's
   * proposal, any edit of a governed Environment) is a change request that an org-admin approves.
   */
  async updatePolicy(principal: CatalystPrincipal, environment: string, body: PolicyBody): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'manage-policy');
    const orgAdmin = await this.deps.authorization.allowed(principal, 'manage-environment', {
      organization: env.organization,
      environment: env.name,
    });
    const intent: ChangeIntent = {
      kind: 'policy',
      rules: body.rules as EnvironmentPolicyRule[],
      ...(body.merge ? { merge: body.merge } : {}),
    };
    return this.change(env, principal, intent, body.idempotencyKey, { directly: orgAdmin });
  }

  private async dryRun(repo: GitRepository, head: string | null, prepared: PreparedChange): Promise<PlanResponse> {
    const files = Object.fromEntries(
      Object.entries(prepared.changes).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
    const before = head ? await repo.listFiles(head) : new Map<string, string>();
    const deletedDirs = Object.keys(prepared.changes).filter(p => p.endsWith('/') && prepared.changes[p] === null);
    const paths = new Set<string>(Object.keys(files));
    for (const p of before.keys()) {
      if (deletedDirs.some(d => p.startsWith(d)) || (prepared.changes[p] === null && !p.endsWith('/'))) paths.add(p);
    }
    const changes: FileChange[] = [];
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

  /** The caller as a commit author; an address is made up when their profile has none. */
  private author(principal: CatalystPrincipal): GitIdentity {
    return { ...authorIdentity(principal), timestamp: Math.floor(this.deps.now().getTime() / 1000) };
  }

  /**
   * One change to an Environment: a commit on main, or — where the EnvironmentPolicy governs the
   * Environment at the head being written — a change request. The check runs inside the writer,
   * against the very head the commit would go on, so a policy landing meanwhile cannot be slipped
   * past. `directly: false` makes even an ungoverned Environment take a change request (a policy
   * edit by someone who is not an org-admin).
   */
  private async change(
    env: EnvironmentRecord,
    principal: CatalystPrincipal,
    intent: ChangeIntent,
    idempotencyKey: string | undefined,
    options: { directly?: boolean } = {},
  ): Promise<ChangeResponse> {
    const catalog = this.deps.catalog();
    try {
      return await this.write(env, principal, idempotencyKey, async (state, repo) => {
        if (isGoverned(state) || options.directly === false) throw new NeedsChangeRequest();
        return prepareIntent({ env, state, repo, catalog }, intent);
      });
    } catch (error) {
      if (!(error instanceof NeedsChangeRequest)) throw error;
      if (!this.deps.changeRequests) {
        throw Object.assign(new ConflictError(`${env.name} is governed by its EnvironmentPolicy`), {
          code: CATALYST_ERROR_CODES.governedEnvironment,
          environment: env.name,
        });
      }
      return this.deps.changeRequests.open(env, principal, intent, idempotencyKey);
    }
  }

  private async write(
    env: EnvironmentRecord,
    principal: CatalystPrincipal,
    idempotencyKey: string | undefined,
    prepare: (state: EnvironmentState, repo: GitRepository) => PreparedChange | Promise<PreparedChange>,
  ): Promise<ChangeResponse> {
    const { repo } = await openEnvironmentRepo(this.deps.repos, env.name);
    const author = this.author(principal);
    const committer = { ...this.deps.committer, timestamp: author.timestamp };
    type Result = { replayed: boolean; prepared?: PreparedChange; head: string | null };
    const outcome = await this.deps.repos.writer.write<Result>(repo, 'main', async head => {
      if (idempotencyKey) {
        const earlier = await findCommitByRequest(repo, head, idempotencyKey);
        if (earlier) return { noop: true, result: { replayed: true, head: earlier.sha } };
      }
      const prepared = await prepare(await readEnvironmentState(repo, head), repo);
      return {
        changes: prepared.changes,
        message: withTrailers(prepared.subject, prepared.body, {
          [CATALYST_TRAILERS.action]: prepared.action,
          [CATALYST_TRAILERS.actor]: principal.userRef,
          [CATALYST_TRAILERS.request]: idempotencyKey,
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
        action: prepared.action,
        actor: principal.userRef,
        attempts: outcome.attempts,
      });
      await publishChangeEvents(this.deps, env, sha, principal.userRef, prepared);
    }
    let applications: string[] = [];
    let action: ChangeAction | undefined = prepared?.action;
    if (outcome.result.replayed) {
      // The first attempt's commit says what it did: its trailer and the files it touched.
      const touched = await commitChanges(repo, sha, entry.parents[0], undefined, false);
      applications = [...new Set(touched.map(c => applicationOfPath(c.path)).filter((a): a is string => !!a))].sort();
      action = toCommitRecord(entry).action as ChangeAction | undefined;
    } else if (changed) {
      applications = prepared?.applications ?? [];
    }
    noteForAudit({
      result: {
        commit: sha,
        changed: outcome.result.replayed || changed,
        replayed: outcome.result.replayed,
        applications,
      },
    });
    return {
      action: action ?? 'configure',
      environment: env.name,
      commit: toCommitRecord(entry),
      applications,
      replayed: outcome.result.replayed,
      changed: outcome.result.replayed || changed,
      ...(prepared?.plan ? { plan: prepared.plan } : {}),
    };
  }
}
