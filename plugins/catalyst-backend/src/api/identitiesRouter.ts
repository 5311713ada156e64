import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { IdentityService } from '../identity/IdentityService';
import type { MountRoute } from './http';

/** `/identities`: the auth plugin's sign-in resolver records what it issued. */
export function createIdentitiesRouter(o: { mount: MountRoute; identities: IdentityService }) {
  const router = Router();
  o.mount(
    router,
    OPS.recordIdentity,
    async ({ body, caller }) => {
      const record = await o.identities.record(await caller(), body);
      return { userRef: record.userRef, updatedAt: record.updatedAt };
    },
    { callers: ['service'] },
  );
  return router;
}
