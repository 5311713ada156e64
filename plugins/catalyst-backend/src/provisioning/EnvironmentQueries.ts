import { NotFoundError } from '@backstage/errors';
import {
  ApplicationDetail,
  ApplicationSummary,
  CATALYST_ERROR_CODES,
  EnvironmentOverview,
  HistoryEntry,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import type { DatabaseOrganizationStore, EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { ChangeRequestService } from '../changes/ChangeRequestService';
import { commitChanges, toCommitRecord } from './commits';
import { isGoverned, readEnvironmentState } from './environmentState';
import { applicationSummary, openEnvironmentRepo, valuesOf } from './repoReads';

const notFound = (message: string, environment: string) =>
  Object.assign(new NotFoundError(message), { code: CATALYST_ERROR_CODES.notFound, environment });

/**
 * What the Environment repos say, for the caller: Environments with their policy, the Applications
 * at the head, one Application's files and values, its history and one commit's diff. Reads only;
 * every method checks that the caller may read the Environment (see {@link Authorization}).
 */
export class EnvironmentQueries {
  private constructor(
    private readonly deps: {
      store: Pick<DatabaseOrganizationStore, 'listEnvironments'>;
      repos: EnvironmentRepositories;
      authorization: Authorization;
      /** Freezes and waiting change requests, for the overview. */
      changeRequests?: Pick<ChangeRequestService, 'freezeState' | 'countWaiting'>;
    },
  ) {}

  static create(deps: EnvironmentQueries['deps']): EnvironmentQueries {
    return new EnvironmentQueries(deps);
  }

  /** The Environments the caller may read, optionally of one Organization. */
  async list(principal: CatalystPrincipal, organization?: string): Promise<EnvironmentOverview[]> {
    const readable = new Set(await this.deps.authorization.readableEnvironments(principal));
    const out: EnvironmentOverview[] = [];
    for (const env of await this.deps.store.listEnvironments(organization)) {
      if (readable.has(env.name)) out.push(await this.withCanInstall(principal, await this.overviewOf(env)));
    }
    return out;
  }

  async get(principal: CatalystPrincipal, environment: string): Promise<EnvironmentOverview> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    return this.withCanInstall(principal, await this.overviewOf(env));
  }

  async listApplications(principal: CatalystPrincipal, environment: string): Promise<ApplicationSummary[]> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    return this.applicationsIn(env);
  }

  async getApplication(principal: CatalystPrincipal, environment: string, name: string): Promise<ApplicationDetail> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    if (!state.applications.has(name)) throw notFound(`Application ${name} is not installed in ${env.name}`, env.name);
    const files: Record<string, string> = { ...(await repo.readDir(head!, `applications/${name}`)) };
    const flux = await repo.readFile(head!, `flux-system/applications/${name}.yaml`);
    if (flux !== undefined) files[`flux-system/applications/${name}.yaml`] = flux;
    const last = (await repo.log(head!, { depth: 1, path: `applications/${name}` }))[0];
    return {
      ...applicationSummary(env, state, name),
      values: valuesOf(files[`applications/${name}/values.yaml`]),
      files,
      ...(last ? { lastCommit: toCommitRecord(last) } : {}),
    };
  }

  /** Commits that touched an Application (its folder), newest first. */
  async history(principal: CatalystPrincipal, environment: string, name: string, limit = 50): Promise<HistoryEntry[]> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    if (!head) return [];
    const depth = Math.min(Math.max(limit, 1), 500) * 4;
    const entries = await repo.log(head, { depth, path: `applications/${name}` });
    return entries.slice(0, limit).map(toCommitRecord);
  }

  /** What one commit changed, with before/after contents (the History tab's diff). */
  async commitDiff(
    principal: CatalystPrincipal,
    environment: string,
    sha: string,
    application?: string,
  ): Promise<HistoryEntry> {
    const env = await this.deps.authorization.environment(principal, environment, 'read');
    const { repo } = await openEnvironmentRepo(this.deps.repos, env.name);
    const entry = /^[0-9a-f]{40}$/.test(sha) ? (await repo.log(sha, { depth: 1 }))[0] : undefined;
    if (!entry || entry.sha !== sha) throw notFound(`Commit ${sha} is not in ${env.name}`, env.name);
    const prefixes = application
      ? [`applications/${application}/`, `flux-system/applications/${application}.yaml`]
      : undefined;
    return { ...toCommitRecord(entry), changes: await commitChanges(repo, entry.sha, entry.parents[0], prefixes) };
  }

  /**
   * Every Environment with its Applications, for the catalog's entity provider (a backend plugin
   * reading everything Catalyst publishes; the catalog applies its own permissions to users).
   */
  async catalogSnapshot(): Promise<Array<{ environment: EnvironmentOverview; applications: ApplicationSummary[] }>> {
    const out: Array<{ environment: EnvironmentOverview; applications: ApplicationSummary[] }> = [];
    for (const env of await this.deps.store.listEnvironments()) {
      out.push({
        environment: await this.overviewOf(env),
        // an Environment whose repo is not bootstrapped yet simply has no Applications
        applications: await this.applicationsIn(env).catch(() => []),
      });
    }
    return out;
  }

  /** The overview without the caller-specific `canInstall`. */
  async overviewOf(env: EnvironmentRecord): Promise<EnvironmentOverview> {
    const repo = await this.deps.repos.open(env.name).catch(() => undefined);
    const head = repo ? (await repo.resolve('refs/heads/main')) ?? null : null;
    const state = repo ? await readEnvironmentState(repo, head) : undefined;
    const [freeze, waiting] = this.deps.changeRequests
      ? await Promise.all([
          this.deps.changeRequests.freezeState(env.name),
          this.deps.changeRequests.countWaiting(env.name),
        ])
      : [undefined, 0];
    return {
      name: env.name,
      organization: env.organization,
      envType: env.envType,
      placement: env.placement,
      policy: state?.policyRules
        ? { rules: state.policyRules, ...(state.policyMerge ? { merge: state.policyMerge } : {}) }
        : null,
      governed: state ? isGoverned(state) : false,
      ...(freeze?.frozen ? { freeze: { reason: freeze.reason ?? '', by: freeze.by, since: freeze.since } } : {}),
      ...(waiting ? { openChangeRequests: waiting } : {}),
      ...(head ? { head } : {}),
      repository: this.deps.repos.url(env.name),
      applicationCount: state?.applications.size ?? 0,
    };
  }

  /** The Applications at an Environment's head, for callers that authorized the read already. */
  async applicationsIn(env: EnvironmentRecord): Promise<ApplicationSummary[]> {
    const { repo, head } = await openEnvironmentRepo(this.deps.repos, env.name);
    const state = await readEnvironmentState(repo, head);
    return [...state.applications.keys()].map(name => applicationSummary(env, state, name));
  }

  /**
   * Whether the caller may install here: a commit in an ungoverned Environment, a change request in
   * a governed one — the permission is the same, the policy decides the path.
   */
  private async withCanInstall(principal: CatalystPrincipal, overview: EnvironmentOverview) {
    return {
      ...overview,
      canInstall: await this.deps.authorization.allowed(principal, 'install', {
        organization: overview.organization,
        environment: overview.name,
      }),
    };
  }
}
