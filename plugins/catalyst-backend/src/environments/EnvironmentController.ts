import { LoggerService } from '@backstage/backend-plugin-api';
import { CATALYST_API_VERSION, composeEnvironmentBootstrap } from '@internal/plugin-catalyst-common';
import { DatabaseOrganizationStore, EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import { BareGitRepository } from '../git/BareGitRepository';
import type { GitIdentity } from '../git/GitRepository';
import { EnvironmentRepositories } from './EnvironmentRepositories';

/**
 * Flux reads `./flux-system/applications` before the first Application exists; Git keeps no empty
 * directories, so the bootstrap leaves this note there (not YAML, so Flux ignores it).
 */
export const APPLICATIONS_DIR_NOTE_PATH = 'flux-system/applications/README.md';
const APPLICATIONS_DIR_NOTE =
  '# Flux Kustomizations\n\nOne file per Application (`<app>.yaml`), written by Catalyst from the install plan.\n';

export interface ReconcileOutcome {
  environment: string;
  /** The repo did not exist and was created. */
  created: boolean;
  /** Bootstrap files that were missing and were written. */
  restored: string[];
  commit?: string;
}

/**
 * environment-controller (DESIGN §5): makes every Environment of the registry a repo with its Flux
 * bootstrap and policy file, and repairs a repo whose bootstrap files were deleted. It only ever adds
 * missing files — a policy edited in Git is never overwritten — and every Organization gets its
 * shared-blueprints repo.
 */
export class EnvironmentController {
  private constructor(
    private readonly deps: {
      store: DatabaseOrganizationStore;
      repos: EnvironmentRepositories;
      logger: LoggerService;
      /** Catalyst's identity; the time of each commit comes from `now`. */
      committer: GitIdentity;
      now: () => Date;
    },
  ) {}

  static create(deps: EnvironmentController['deps']): EnvironmentController {
    return new EnvironmentController(deps);
  }

  async reconcileAll(): Promise<ReconcileOutcome[]> {
    const out: ReconcileOutcome[] = [];
    for (const org of await this.deps.store.listOrganizations()) {
      await this.ensureSharedBlueprints(org.name, org.displayName);
    }
    for (const env of await this.deps.store.listEnvironments()) {
      try {
        out.push(await this.reconcile(env));
      } catch (e) {
        // one broken Environment must not stop the others; it is retried on the next run
        this.deps.logger.error(`Could not reconcile Environment ${env.name}`, {
          environment: env.name,
          error: String(e),
        });
      }
    }
    return out;
  }

  async reconcile(env: EnvironmentRecord): Promise<ReconcileOutcome> {
    const existed = await this.deps.repos.exists(env.name);
    const repo = await this.deps.repos.ensure(env.name);
    const policy = env.initialPolicyRules?.length
      ? {
          apiVersion: CATALYST_API_VERSION,
          kind: 'EnvironmentPolicy',
          metadata: { name: env.name },
          spec: { appliesTo: { environments: [env.name] }, rules: env.initialPolicyRules },
        }
      : undefined;
    const bootstrap = composeEnvironmentBootstrap(env.name, this.deps.repos.url(env.name), policy);
    if (!bootstrap.ok) {
      throw new Error(bootstrap.errors.map(e => `${e.path}: ${e.message}`).join('; '));
    }
    const wanted: Record<string, string> = { ...bootstrap.files, [APPLICATIONS_DIR_NOTE_PATH]: APPLICATIONS_DIR_NOTE };
    const committer = this.committer();
    const outcome = await this.deps.repos.writer.write(repo, 'main', async head => {
      const present = head ? await repo.listFiles(head) : new Map<string, string>();
      const missing = Object.keys(wanted).filter(p => !present.has(p));
      // the note only matters while there is no Application yet
      const restored = missing.filter(
        p =>
          p !== APPLICATIONS_DIR_NOTE_PATH || ![...present.keys()].some(k => k.startsWith('flux-system/applications/')),
      );
      if (restored.length === 0) return { noop: true, result: restored };
      return {
        changes: Object.fromEntries(restored.map(p => [p, wanted[p]])),
        message: head
          ? `Repair Environment ${env.name}: restore ${restored.join(', ')}\n\nCatalyst-Action: repair-environment`
          : `Bootstrap Environment ${env.name}\n\nCatalyst-Action: bootstrap-environment\nCatalyst-Actor: ${env.createdBy}`,
        author: committer,
        committer,
        result: restored,
      };
    });
    if (outcome.commit) {
      this.deps.logger.info(existed ? `Repaired Environment ${env.name}` : `Bootstrapped Environment ${env.name}`, {
        environment: env.name,
        commit: outcome.commit.sha,
        files: outcome.result.join(','),
      });
    }
    return {
      environment: env.name,
      created: !existed,
      restored: outcome.result,
      ...(outcome.commit ? { commit: outcome.commit.sha } : {}),
    };
  }

  private committer(): GitIdentity {
    return { ...this.deps.committer, timestamp: Math.floor(this.deps.now().getTime() / 1000) };
  }

  private async ensureSharedBlueprints(organization: string, displayName: string): Promise<void> {
    const repo = await BareGitRepository.init(this.deps.repos.sharedBlueprintsPath(organization));
    const committer = this.committer();
    await this.deps.repos.writer.write(repo, 'main', async head => {
      if (head) return { noop: true, result: undefined };
      return {
        changes: {
          'README.md': `# ${displayName}: shared Blueprints\n\nOrganization-private Blueprints, one folder per Blueprint (\`bp-<name>/\`). A release is the tag \`bp-<name>/v<semver>\`.\n`,
        },
        message: `Create shared-blueprints for ${organization}\n\nCatalyst-Action: create-organization`,
        author: committer,
        committer,
        result: undefined,
      };
    });
  }
}
