import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { CatalogEntities } from '../catalog/CatalogEntities';
import type { MountRoute } from './http';

/**
 * `/catalog/entities`: every Catalyst entity, for the catalog module's provider. Backend plugins
 * only — users read entities through the catalog, which applies its own permissions.
 */
export function createCatalogRouter(o: { mount: MountRoute; catalog: CatalogEntities }) {
  const router = Router();
  o.mount(router, OPS.getCatalogEntities, async () => ({ entities: await o.catalog.entities() }), {
    callers: ['service'],
  });
  return router;
}
