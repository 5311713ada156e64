import { parseEnvironmentName } from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { join } from 'node:path';
import { BareGitRepository } from '../git/BareGitRepository';
import { GitRepository } from '../git/GitRepository';
import { RemoteGitRepository } from '../git/RemoteGitRepository';
import { RepoWriter } from './RepoWriter';

/** A Git host reached over smart HTTP (Gitea, or any host): `<baseUrl>/<org>/<org>-<env_type>.git`. */
export interface GitRemoteSettings {
  baseUrl: string;
  token?: string;
  username?: string;
}

/**
 * Where each Environment's repo lives and the one writer every change goes through. Embedded
 * default: bare repos under `git/<org>/<org>-<env_type>.git` (DESIGN §3). With a remote Git host: the
 * repo on the host, through a local mirror under `git-mirrors/`. Names are validated before they
 * become paths or URLs.
 */
export class EnvironmentRepositories {
  readonly writer = new RepoWriter();
  private readonly remotes = new Map<string, Promise<RemoteGitRepository>>();
  /** One instance per repo, so its object caches outlive a request. */
  private readonly locals = new Map<string, BareGitRepository>();

  private constructor(private readonly options: { gitRoot: string; remote?: GitRemoteSettings; mirrorRoot?: string }) {}

  static create(options: { gitRoot: string; remote?: GitRemoteSettings; mirrorRoot?: string }): EnvironmentRepositories {
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
    if (this.options.remote) return this.open(environment).then(() => true, () => false);
    return fs.existsSync(join(this.path(environment), 'HEAD'));
  }

  open(environment: string): Promise<GitRepository> {
    const remote = this.options.remote;
    if (!remote) return this.local(environment, false);
    let repo = this.remotes.get(environment);
    if (!repo) {
      const { organization } = this.parts(environment);
      repo = RemoteGitRepository.open({
        url: this.url(environment),
        token: remote.token,
        username: remote.username,
        mirrorDir: join(this.options.mirrorRoot ?? join(this.options.gitRoot, '..', 'git-mirrors'), organization, `${environment}.git`),
      });
      repo.catch(() => this.remotes.delete(environment));
      this.remotes.set(environment, repo);
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
