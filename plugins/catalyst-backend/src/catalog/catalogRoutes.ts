import { HttpAuthService } from '@backstage/backend-plugin-api';
import { ApplicationSummary, EnvironmentOverview } from '@internal/plugin-catalyst-common';
import express from 'express';
import Router from 'express-promise-router';
import { GitBlueprintRegistry } from '../blueprints/GitBlueprintRegistry';
import { blueprintSummaries } from '../blueprints/blueprintViews';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { ProvisioningService } from '../provisioning/ProvisioningService';
import { buildCatalogEntities } from './buildCatalogEntities';
import { clusterNameFor, ClusterEntry } from './clusters';

/**
 * `GET /catalog/entities`: every Catalyst entity, for the catalog module's provider. Service callers
 * only — users read entities through the catalog, which applies its own permissions.
 */
export function createCatalogRoutes(o: {
  httpAuth: HttpAuthService;
  store: DatabaseOrganizationStore;
  registry: GitBlueprintRegistry;
  provisioning: ProvisioningService;
  clusters: ClusterEntry[];
}): express.Router {
  const router = Router();
  router.get('/catalog/entities', async (req, res) => {
    await o.httpAuth.credentials(req, { allow: ['service'] });
    const orgs = await o.store.listOrganizations();
    const envs = await o.store.listEnvironments();
    const environments: EnvironmentOverview[] = [];
    const applications: ApplicationSummary[] = [];
    for (const env of envs) {
      environments.push(await o.provisioning.overview(env));
      // an Environment whose repo is not bootstrapped yet simply has no Applications
      applications.push(...(await o.provisioning.listApplications(env.name).catch(() => [])));
    }
    res.json({
      entities: buildCatalogEntities({
        organizations: orgs.map(org => ({
          name: org.name,
          displayName: org.displayName,
          sovereign: org.sovereign,
          teams: org.teams,
          environments: envs.filter(e => e.organization === org.name).map(e => e.name),
        })),
        blueprints: blueprintSummaries(
          o.registry.catalog(),
          orgs.map(org => org.name),
        ),
        environments,
        applications,
        clusterFor: env => clusterNameFor(o.clusters, env),
      }),
    });
  });
  return router;
}
