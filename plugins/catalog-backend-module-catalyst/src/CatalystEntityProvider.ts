import { AuthService, LoggerService, SchedulerServiceTaskRunner } from '@backstage/backend-plugin-api';
import { Entity, ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION } from '@backstage/catalog-model';
import { EntityProvider, EntityProviderConnection } from '@backstage/plugin-catalog-node';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { createHash } from 'node:crypto';

const LOCATION = 'catalyst:registry';

/**
 * Publishes Catalyst's entities into the catalog: polls the catalyst plugin's
 * `GET /catalog/entities` as a service and applies a full mutation only when the content changed, so
 * a new Environment, an install or a direct Git push shows up within one poll.
 */
export class CatalystEntityProvider implements EntityProvider {
  private connection?: EntityProviderConnection;
  private lastHash?: string;

  private constructor(
    private readonly deps: {
      client: CatalystBackendClient;
      auth: AuthService;
      logger: LoggerService;
    },
  ) {}

  static create(deps: CatalystEntityProvider['deps']): CatalystEntityProvider {
    return new CatalystEntityProvider(deps);
  }

  getProviderName(): string {
    return 'catalyst';
  }

  async connect(connection: EntityProviderConnection): Promise<void> {
    this.connection = connection;
  }

  /** Runs `refresh` on the given schedule (the module wires it to the scheduler). */
  schedule(runner: SchedulerServiceTaskRunner): Promise<void> {
    return runner.run({
      id: 'catalyst-entity-provider',
      fn: async () => {
        try {
          await this.refresh();
        } catch (e) {
          this.deps.logger.warn(`Catalyst entities not refreshed: ${(e as Error).message}`);
        }
      },
    });
  }

  /** Fetches the entities and applies them; returns whether the catalog was updated. */
  async refresh(): Promise<boolean> {
    if (!this.connection) throw new Error('CatalystEntityProvider is not connected');
    // As the catalog plugin itself: entities are read by services only; users see them through the
    // catalog, which applies its own permissions.
    const options = await this.deps.client.as(await this.deps.auth.getOwnServiceCredentials());
    const entities = (await this.deps.client.api.getCatalogEntities(options)).entities as unknown as Entity[];
    const hash = createHash('sha256').update(JSON.stringify(entities)).digest('hex');
    if (hash === this.lastHash) return false;
    await this.connection.applyMutation({
      type: 'full',
      entities: entities.map(entity => ({
        locationKey: LOCATION,
        entity: {
          ...entity,
          metadata: {
            ...entity.metadata,
            annotations: {
              ...entity.metadata.annotations,
              [ANNOTATION_LOCATION]: LOCATION,
              [ANNOTATION_ORIGIN_LOCATION]: LOCATION,
            },
          },
        },
      })),
    });
    this.lastHash = hash;
    this.deps.logger.info(`Published ${entities.length} Catalyst entities`);
    return true;
  }
}
