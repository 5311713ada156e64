import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_ERROR_CODES,
  CATALYST_TRAILERS,
  ChangeResponse,
  createCatalystEvent,
  FileChange,
  InstallBody,
  PlanResponse,
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
import { applicationOfPath, changeKind, commitChanges, findCommitByRequest, toCommitRecord } from './commits';
import { EnvironmentState, readEnvironmentState } from './environmentState';
import {
  assertWritable,
  ChangeAction,
  PreparedChange,
  prepareInstall,
  prepareRollback,
  prepareUninstall,
  prepareUpdate,
  RevertedFile,
} from './prepareChanges';
import { openEnvironmentRepo, valuesOf } from './repoReads';

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
    const catalog = this.deps.catalog();
    return this.write(env, principal, body.idempotencyKey, state => prepareInstall(env, state, body, catalog));
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
    const values = await this.currentValues(repo, state, name);
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
    const catalog = this.deps.catalog();
    return this.write(env, principal, body.idempotencyKey, async (state, repo) =>
      prepareUpdate(env, state, name, body, await this.currentValues(repo, state, name), catalog),
    );
  }

  async uninstall(
    principal: CatalystPrincipal,
    environment: string,
    name: string,
    idempotencyKey?: string,
  ): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'install');
    return this.write(env, principal, idempotencyKey, state => prepareUninstall(env, state, name));
  }

  /** Reverts one commit of `main` as a new commit. */
  async rollback(principal: CatalystPrincipal, environment: string, body: RollbackBody): Promise<ChangeResponse> {
    const env = await this.deps.authorization.environment(principal, environment, 'configure');
    return this.write(env, principal, body.idempotencyKey, async (state, repo) => {
      // A rollback changes the Environment like any other write: governed ones take change requests.
      assertWritable(env, state);
      const entry = (await repo.log(body.commit, { depth: 1 }))[0];
      const reachable =
        entry?.sha === body.commit && (await repo.log(state.head!, {})).some(e => e.sha === body.commit);
      if (!reachable) {
        throw Object.assign(new NotFoundError(`Commit ${body.commit} is not on ${env.name}'s main branch`), {
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
    });
  }

  private async currentValues(repo: GitRepository, state: EnvironmentState, name: string) {
    return state.head ? valuesOf(await repo.readFile(state.head, `applications/${name}/values.yaml`)) : {};
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
    const local = principal.userRef.replace(/^user:(default\/)?/, '').replace(/[^A-Za-z0-9._-]/g, '-');
    return {
      name: principal.displayName,
      email: principal.email ?? `${local}@users.catalyst.local`,
      timestamp: Math.floor(this.deps.now().getTime() / 1000),
    };
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
      await this.publish(env, sha, principal, prepared);
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

  /**
   * Domain events after the commit. A failure is logged, not returned: the commit stands, and the
   * read side also learns of it from the commit itself (the Git publisher).
   */
  private async publish(env: EnvironmentRecord, sha: string, principal: CatalystPrincipal, prepared: PreparedChange) {
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
              actor: principal.userRef,
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
