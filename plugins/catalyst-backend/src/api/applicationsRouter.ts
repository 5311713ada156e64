import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import { changeAnswer, MountRoute } from './http';

/**
 * `/environments/:environment/applications…` and `/environments/:environment/plan`: the
 * Applications of an Environment — read, planned, installed, configured, upgraded, paused,
 * uninstalled — and their history.
 */
export function createApplicationsRouter(o: {
  mount: MountRoute;
  queries: EnvironmentQueries;
  provisioning: ProvisioningService;
}) {
  const router = Router();
  const { mount, queries, provisioning } = o;
  mount(router, OPS.listApplications, async ({ params, caller }) => ({
    items: await queries.listApplications(await caller(), params.environment),
  }));
  mount(router, OPS.planInstall, async ({ params, body, caller }) =>
    provisioning.planInstall(await caller(), params.environment, body),
  );
  mount(router, OPS.install, async ({ params, body, caller }) =>
    changeAnswer(await provisioning.install(await caller(), params.environment, body), 201),
  );
  mount(router, OPS.getApplication, async ({ params, caller }) =>
    queries.getApplication(await caller(), params.environment, params.application),
  );
  mount(router, OPS.planUpdate, async ({ params, body, caller }) =>
    provisioning.planUpdate(await caller(), params.environment, params.application, body),
  );
  mount(router, OPS.updateApplication, async ({ params, body, caller }) =>
    changeAnswer(await provisioning.update(await caller(), params.environment, params.application, body)),
  );
  mount(router, OPS.uninstall, async ({ params, query, caller }) =>
    changeAnswer(
      await provisioning.uninstall(await caller(), params.environment, params.application, query.idempotencyKey),
    ),
  );
  mount(router, OPS.history, async ({ params, query, caller }) => ({
    items: await queries.history(await caller(), params.environment, params.application, query.limit ?? 50),
  }));
  return router;
}
