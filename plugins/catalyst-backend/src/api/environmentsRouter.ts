import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { OnboardingService } from '../onboarding/OnboardingService';
import type { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import { Answer, MountRoute } from './http';

/** `/environments`: the readable ones with their policy, one Environment, and creating one. */
export function createEnvironmentsRouter(o: {
  mount: MountRoute;
  queries: EnvironmentQueries;
  onboarding: OnboardingService;
}) {
  const router = Router();
  const { mount, queries, onboarding } = o;
  mount(router, OPS.listEnvironments, async ({ query, caller }) => ({
    items: await queries.list(await caller(), query.organization),
  }));
  mount(router, OPS.createEnvironment, async ({ body, caller }) => {
    const { created, value } = await onboarding.createEnvironment(await caller(), body);
    return new Answer(created ? 201 : 200, value);
  });
  mount(router, OPS.getEnvironment, async ({ params, caller }) => queries.get(await caller(), params.environment));
  return router;
}
