import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { HealthService } from '../health/HealthService';

/**
 * `/health` and `/openapi.json`, unauthenticated on purpose (see plugin.ts's auth policies): load
 * balancers and the launcher probe health; integrators read the document before they hold a token.
 */
export function createServiceRouter(o: { health: HealthService; openApiDocument: Record<string, unknown> }) {
  const router = Router();
  router.get(OPS.health.path, async (_req, res) => {
    const report = await o.health.check();
    res.status(report.status === 'healthy' ? 200 : 503).json(report);
  });
  router.get(OPS.openApi.path, (_req, res) => {
    res.json(o.openApiDocument);
  });
  return router;
}
