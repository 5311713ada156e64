import express from 'express';
import Router from 'express-promise-router';
import { HealthService } from './health/HealthService';

export interface RouterOptions {
  health: HealthService;
}

/** The catalyst REST surface under /api/catalyst. */
export async function createRouter(options: RouterOptions): Promise<express.Router> {
  const router = Router();
  router.use(express.json({ limit: '1mb' }));

  // Unauthenticated on purpose (see plugin.ts): load balancers and the launcher probe it.
  router.get('/health', async (_req, res) => {
    const report = await options.health.check();
    res.status(report.status === 'healthy' ? 200 : 503).json(report);
  });

  return router;
}
