import { parseEnvironmentName } from '@internal/plugin-catalyst-common';
import { join } from 'node:path';
import { BareGitRepository } from '../git/BareGitRepository';
import { RepoWriter } from './RepoWriter';

/**
 * Where each Environment's repo lives (DESIGN §3: `git/<org>/<org>-<env_type>.git`) and the one
 * writer every change goes through. Names are validated before they become paths.
 */
export class EnvironmentRepositories {
  readonly writer = new RepoWriter();

  private constructor(private readonly gitRoot: string) {}

  static create(options: { gitRoot: string }): EnvironmentRepositories {
    return new EnvironmentRepositories(options.gitRoot);
  }

  path(environment: string): string {
    const parsed = parseEnvironmentName(environment, 'environment');
    if (!parsed.ok) throw new Error(`not an Environment name: ${environment}`);
    return join(this.gitRoot, parsed.organization, `${environment}.git`);
  }

  sharedBlueprintsPath(organization: string): string {
    if (!/^[a-z][a-z0-9-]{2,31}$/.test(organization)) throw new Error(`not an Organization name: ${organization}`);
    return join(this.gitRoot, organization, 'shared-blueprints.git');
  }

  /** The URL Flux's GitRepository uses: the local path for the embedded default. */
  url(environment: string): string {
    return `file://${this.path(environment)}`;
  }

  open(environment: string): Promise<BareGitRepository> {
    return BareGitRepository.open(this.path(environment));
  }

  ensure(environment: string): Promise<BareGitRepository> {
    return BareGitRepository.init(this.path(environment));
  }
}
