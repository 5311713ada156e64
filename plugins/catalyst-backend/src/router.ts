import express from 'express';
import Router from 'express-promise-router';
import { catalystOpenApiDocument } from './api/openapi';
import { HealthService } from './health/HealthService';

export interface RouterOptions {
  health: HealthService;
  /** The plugin's version, for the OpenAPI document. */
  version: string;
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

  // Unauthenticated too: integrators and API tooling read it before they hold a token.
  const openapi = catalystOpenApiDocument(options.version);
  router.get('/openapi.json', (_req, res) => {
    res.json(openapi);
  });

  return router;
}
