import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { ChangeRequestService } from '../changes/ChangeRequestService';
import type { ProvisioningService } from '../provisioning/ProvisioningService';
import { changeAnswer, MountRoute } from './http';

/**
 * The governed path (DESIGN §7): `/promotions` (copy an Application to another Environment),
 * `/change-requests…` (read, approve, reject, merge, rebase), an Environment's freeze and its
 * EnvironmentPolicy. Promotions and policy edits are writes like any other, so they go through the
 * ProvisioningService, which decides between a commit and a change request.
 */
export function createChangeRequestsRouter(o: {
  mount: MountRoute;
  provisioning: ProvisioningService;
  changeRequests: ChangeRequestService;
}) {
  const router = Router();
  const { mount, provisioning, changeRequests } = o;
  mount(router, OPS.promote, async ({ body, caller }) =>
    changeAnswer(await provisioning.promote(await caller(), body), 201),
  );
  mount(router, OPS.listChangeRequests, async ({ query, caller }) => ({
    items: await changeRequests.list(await caller(), query),
  }));
  mount(router, OPS.getChangeRequest, async ({ params, caller }) => changeRequests.get(await caller(), params.id));
  mount(router, OPS.approveChangeRequest, async ({ params, body, caller }) =>
    changeRequests.approve(await caller(), params.id, body.comment),
  );
  mount(router, OPS.rejectChangeRequest, async ({ params, body, caller }) =>
    changeRequests.reject(await caller(), params.id, body.reason),
  );
  mount(router, OPS.mergeChangeRequest, async ({ params, body, caller }) =>
    changeRequests.merge(await caller(), params.id, body.breakGlass),
  );
  mount(router, OPS.rebaseChangeRequest, async ({ params, caller }) =>
    changeRequests.rebase(await caller(), params.id),
  );
  mount(router, OPS.getFreeze, async ({ params, caller }) =>
    changeRequests.getFreeze(await caller(), params.environment),
  );
  mount(router, OPS.freezeEnvironment, async ({ params, body, caller }) =>
    changeRequests.freeze(await caller(), params.environment, body.reason),
  );
  mount(router, OPS.liftFreeze, async ({ params, caller }) =>
    changeRequests.liftFreeze(await caller(), params.environment),
  );
  mount(router, OPS.updatePolicy, async ({ params, body, caller }) =>
    changeAnswer(await provisioning.updatePolicy(await caller(), params.environment, body)),
  );
  return router;
}
