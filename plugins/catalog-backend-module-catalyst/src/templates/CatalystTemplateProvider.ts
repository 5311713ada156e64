import type { AuthService, LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { NotFoundError } from '@backstage/errors';
import type { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { BlueprintDetail } from '@internal/plugin-catalyst-common';
import type { CatalystRequestOptions } from '@internal/plugin-catalyst-common';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { createHash } from 'node:crypto';
import { blueprintTemplate } from './blueprintTemplate';

const LOCATION_KEY = 'catalyst-templates';
/** Dependency Blueprints missing from the list (unlisted ones) are fetched this many levels deep. */
const MAX_DEPENDENCY_FETCH_ROUNDS = 8;

const keyOf = (namespace: string, name: string) => `${namespace}/${name}`;

/**
 * Publishes one install Template per Blueprint (docs/contracts.md §5). It polls the catalyst REST
 * API as the catalog plugin's service (which sees every Organization's private Blueprints), builds
 * the Templates from each Blueprint's latest version, and applies a full mutation only when the
 * generated Templates changed — so a new version or a new Blueprint shows up within one poll, and an
 * idle Sovereign costs one hash per poll.
 *
 * Unlisted Blueprints get no Template (they are not on any card; the API lists them only by exact
 * name): they can still be installed by `catalyst:application:install` in a hand-written template.
 */
export class CatalystTemplateProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private lastHash?: string;

  private constructor(
    private readonly deps: { client: CatalystBackendClient; auth: AuthService; logger: LoggerService },
  ) {}

  static create(deps: CatalystTemplateProvider['deps']): CatalystTemplateProvider {
    return new CatalystTemplateProvider(deps);
  }

  getProviderName(): string {
    return 'catalyst-templates';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /** Runs `refresh` on the given schedule; a failed poll is logged and retried at the next one. */
  schedule(runner: SchedulerServiceTaskRunner): Promise<void> {
    return runner.run({
      id: 'catalyst-template-provider',
      fn: async () => {
        try {
          await this.refresh();
        } catch (e) {
          this.deps.logger.warn(
            `Catalyst install Templates not refreshed: ${e instanceof Error ? e.message : String(e)}`,
          );
        }
      },
    });
  }

  /** Reads the Blueprints, builds the Templates and applies them if they changed; returns whether it applied. */
  async refresh(): Promise<boolean> {
    if (!this.connection) throw new Error('CatalystTemplateProvider is not connected');
    // As the catalog module itself: a backend plugin reads every Blueprint (it never writes).
    const options = await this.deps.client.as(await this.deps.auth.getOwnServiceCredentials());
    const summaries = await this.deps.client.api.listBlueprints({}, options);
    const details = new Map<string, BlueprintDetail>();
    for (const s of summaries) {
      const detail = await this.deps.client.api.getBlueprint(s.name, { organization: s.organization }, options);
      details.set(keyOf(detail.namespace, detail.name), detail);
    }
    await this.fetchMissingDependencies(details, options);

    // A private Blueprint's dependencies resolve to its Organization's own Blueprint of the name first.
    const lookupFor = (organization?: string) => (name: string) =>
      (organization ? details.get(keyOf(organization, name)) : undefined) ?? details.get(keyOf('default', name));
    const entities = [];
    for (const s of summaries) {
      const detail = details.get(keyOf(s.namespace, s.name));
      if (!detail || detail.visibility === 'unlisted') continue;
      try {
        entities.push(blueprintTemplate(detail, { lookup: lookupFor(detail.organization) }));
      } catch (e) {
        // One broken Blueprint must not take every other Template out of the catalog.
        this.deps.logger.warn(
          `No install Template for ${s.namespace}/${s.name}: ${e instanceof Error ? e.message : String(e)}`,
        );
      }
    }
    entities.sort((a, b) =>
      keyOf(a.metadata.namespace!, a.metadata.name).localeCompare(keyOf(b.metadata.namespace!, b.metadata.name)),
    );

    const hash = createHash('sha256').update(JSON.stringify(entities)).digest('hex');
    if (hash === this.lastHash) return false;
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({ entity, locationKey: LOCATION_KEY })),
    });
    this.lastHash = hash;
    this.deps.logger.info(`Published ${entities.length} Catalyst install Templates`);
    return true;
  }

  /** Dependencies can name Blueprints the list leaves out (unlisted): fetch those by name. */
  private async fetchMissingDependencies(details: Map<string, BlueprintDetail>, options: CatalystRequestOptions) {
    const missed = new Set<string>();
    for (let round = 0; round < MAX_DEPENDENCY_FETCH_ROUNDS; round++) {
      const wanted = new Map<string, string | undefined>();
      for (const d of details.values()) {
        for (const v of d.versionDetails) {
          for (const dep of v.depends) {
            const known =
              (d.organization && details.has(keyOf(d.organization, dep.blueprint))) ||
              details.has(keyOf('default', dep.blueprint));
            if (!known && !missed.has(dep.blueprint)) wanted.set(dep.blueprint, d.organization);
          }
        }
      }
      if (wanted.size === 0) return;
      for (const [name, organization] of wanted) {
        try {
          const detail = await this.deps.client.api.getBlueprint(name, { organization }, options);
          details.set(keyOf(detail.namespace, detail.name), detail);
        } catch (e) {
          if (!(e instanceof NotFoundError)) throw e;
          missed.add(name);
        }
      }
    }
  }
}
