import type { Entity } from '@backstage/catalog-model';
import { CatalystClusterConfig, kubernetesClusterNameFor } from '@internal/plugin-catalyst-common';
import { blueprintSummaries } from '../blueprints/blueprintViews';
import type { GitBlueprintRegistry } from '../blueprints/GitBlueprintRegistry';
import type { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import type { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import { buildCatalogEntities } from './buildCatalogEntities';

/**
 * Everything Catalyst publishes into the Backstage catalog, for the catalog module's entity
 * provider: Organizations and teams as Groups, Blueprints, Environments and Applications with the
 * cluster the kubernetes plugin reads them from (named by the same rule as the cluster supplier).
 */
export class CatalogEntities {
  private constructor(
    private readonly deps: {
      store: Pick<DatabaseOrganizationStore, 'listOrganizations' | 'listEnvironments'>;
      registry: Pick<GitBlueprintRegistry, 'catalog'>;
      queries: Pick<EnvironmentQueries, 'catalogSnapshot'>;
      clusters: readonly CatalystClusterConfig[];
    },
  ) {}

  static create(deps: CatalogEntities['deps']): CatalogEntities {
    return new CatalogEntities(deps);
  }

  async entities(): Promise<Entity[]> {
    const orgs = await this.deps.store.listOrganizations();
    const envs = await this.deps.store.listEnvironments();
    const snapshot = await this.deps.queries.catalogSnapshot();
    return buildCatalogEntities({
      organizations: orgs.map(org => ({
        name: org.name,
        displayName: org.displayName,
        sovereign: org.sovereign,
        teams: org.teams,
        environments: envs.filter(e => e.organization === org.name).map(e => e.name),
      })),
      blueprints: blueprintSummaries(
        this.deps.registry.catalog(),
        orgs.map(org => org.name),
      ),
      environments: snapshot.map(s => s.environment),
      applications: snapshot.flatMap(s => s.applications),
      clusterFor: env => kubernetesClusterNameFor(this.deps.clusters, env),
    });
  }
}
