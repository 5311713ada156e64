import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import { changeAnswer, MountRoute } from './http';

/** `/environments/:environment/commits/:sha` and `…/rollback`: one commit's diff, and reverting one. */
export function createCommitsRouter(o: {
  mount: MountRoute;
  queries: EnvironmentQueries;
  provisioning: ProvisioningService;
}) {
  const router = Router();
  const { mount, queries, provisioning } = o;
  mount(router, OPS.getCommit, async ({ params, query, caller }) =>
    queries.commitDiff(await caller(), params.environment, params.sha, query.application),
  );
  mount(router, OPS.rollback, async ({ params, body, caller }) =>
    changeAnswer(await provisioning.rollback(await caller(), params.environment, body)),
  );
  return router;
}
