import { parseEnvironmentName } from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { join } from 'node:path';
import { BareGitRepository } from '../git/BareGitRepository';
import { GitError } from '../git/errors';
import { GitRepository } from '../git/GitRepository';
import { RemoteGitRepository } from '../git/RemoteGitRepository';
import type { BlueprintSource } from '../blueprints/GitBlueprintRegistry';
import { RepoWriter } from './RepoWriter';

export interface EnvironmentRepositoriesOptions {
  gitRoot: string;
  remote?: GitRemoteSettings;
  /** Where a Git host's repos are mirrored; default `<gitRoot>/../git-mirrors`. */
  mirrorRoot?: string;
  /** The Sovereign's name: the default host account of `catalog.git`. */
  sovereign?: string;
}

/**
 * A Git host reached over smart HTTP (Gitea, or any host): Environment repos at
 * `<baseUrl>/<org>/<org>-<env_type>.git`, Blueprint sources at `<baseUrl>/<org>/shared-blueprints.git`
 * and `<baseUrl>/<catalogOwner>/catalog.git`.
 */
export interface GitRemoteSettings {
  baseUrl: string;
  token?: string;
  username?: string;
  /** The host account holding `catalog.git`; default the Sovereign's name. */
  catalogOwner?: string;
}

/**
 * Where each Environment's repo lives and the one writer every change goes through. Embedded
 * default: bare repos under `git/<org>/<org>-<env_type>.git` (DESIGN §3). With a remote Git host: the
 * repo on the host, through a local mirror under `git-mirrors/`. Names are validated before they
 * become paths or URLs.
 */
export class EnvironmentRepositories {
  readonly writer = new RepoWriter();
  /** By URL: Environment repos and Blueprint source repos alike. */
  private readonly remotes = new Map<string, Promise<RemoteGitRepository>>();
  /** One instance per repo, so its object caches outlive a request. */
  private readonly locals = new Map<string, BareGitRepository>();

  private constructor(private readonly options: EnvironmentRepositoriesOptions) {}

  static create(options: EnvironmentRepositoriesOptions): EnvironmentRepositories {
    return new EnvironmentRepositories(options);
  }

  private parts(environment: string): { organization: string } {
    const parsed = parseEnvironmentName(environment, 'environment');
    if (!parsed.ok) throw new Error(`not an Environment name: ${environment}`);
    return { organization: parsed.organization };
  }

  path(environment: string): string {
    return join(this.options.gitRoot, this.parts(environment).organization, `${environment}.git`);
  }

  sharedBlueprintsPath(organization: string): string {
    if (!/^[a-z][a-z0-9-]{2,31}$/.test(organization)) throw new Error(`not an Organization name: ${organization}`);
    return join(this.options.gitRoot, organization, 'shared-blueprints.git');
  }

  /** The URL Flux's GitRepository uses. */
  url(environment: string): string {
    const { organization } = this.parts(environment);
    return this.options.remote
      ? `${this.options.remote.baseUrl.replace(/\/+$/, '')}/${organization}/${environment}.git`
      : `file://${this.path(environment)}`;
  }

  async exists(environment: string): Promise<boolean> {
    if (this.options.remote) {
      // Only "no such repo" means absent; a host that cannot be reached is an error to report.
      return this.open(environment).then(
        () => true,
        e => {
          if (e instanceof GitError && e.code === 'not-found') return false;
          throw e;
        },
      );
    }
    return fs.existsSync(join(this.path(environment), 'HEAD'));
  }

  open(environment: string): Promise<GitRepository> {
    if (!this.options.remote) return this.local(environment, false);
    const { organization } = this.parts(environment);
    return this.remote(organization, `${environment}.git`);
  }

  /**
   * A Blueprint source repo (the blueprint-controller's input), undefined when it does not exist.
   * On a Git host: `<catalogOwner>/catalog.git` and `<org>/shared-blueprints.git` through mirrors.
   */
  async openBlueprintSource(source: BlueprintSource): Promise<GitRepository | undefined> {
    const remote = this.options.remote;
    if (!remote) {
      const gitdir =
        source.source === 'catalog'
          ? join(this.options.gitRoot, 'catalog.git')
          : this.sharedBlueprintsPath(source.organization);
      return fs.existsSync(join(gitdir, 'HEAD')) ? BareGitRepository.open(gitdir) : undefined;
    }
    const owner = source.source === 'catalog' ? remote.catalogOwner ?? this.options.sovereign : source.organization;
    if (!owner || !/^[a-z][a-z0-9-]{1,62}$/.test(owner))
      throw new Error(`not a Git host account for Blueprint sources: ${owner}`);
    try {
      return await this.remote(owner, source.source === 'catalog' ? 'catalog.git' : 'shared-blueprints.git');
    } catch (e) {
      // An Organization without a shared-blueprints repo on the host is normal; a host refusing us is not.
      if (e instanceof GitError && e.code === 'not-found') return undefined;
      throw e;
    }
  }

  private remote(owner: string, repoName: string): Promise<RemoteGitRepository> {
    const remote = this.options.remote!;
    const url = `${remote.baseUrl.replace(/\/+$/, '')}/${owner}/${repoName}`;
    let repo = this.remotes.get(url);
    if (!repo) {
      repo = RemoteGitRepository.open({
        url,
        token: remote.token,
        username: remote.username,
        mirrorDir: join(this.options.mirrorRoot ?? join(this.options.gitRoot, '..', 'git-mirrors'), owner, repoName),
      });
      repo.catch(() => this.remotes.delete(url));
      this.remotes.set(url, repo);
    }
    return repo;
  }

  /** The repo when it exists, else undefined (the read side's Git watcher waits for it). */
  async openIfExists(environment: string): Promise<GitRepository | undefined> {
    return (await this.exists(environment)) ? this.open(environment) : undefined;
  }

  /**
   * The repo, created when absent. A Git host's repos are created on the host (its API and
   * permissions are the host's business); here they must exist already.
   */
  async ensure(environment: string): Promise<GitRepository> {
    if (this.options.remote) {
      try {
        return await this.open(environment);
      } catch (e) {
        throw new Error(`create ${this.url(environment)} on the Git host first: ${(e as Error).message}`);
      }
    }
    return this.local(environment, true);
  }

  private async local(environment: string, create: boolean): Promise<BareGitRepository> {
    const path = this.path(environment);
    const known = this.locals.get(path);
    // a repo deleted behind our back must not be served from a stale instance
    if (known && fs.existsSync(join(path, 'HEAD'))) return known;
    const repo = create ? await BareGitRepository.init(path) : await BareGitRepository.open(path);
    this.locals.set(path, repo);
    return repo;
  }
}
