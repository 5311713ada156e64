import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { GitTokenService } from '../gitsurface/GitTokenService';
import type { MountRoute } from './http';

/** `/git-tokens`: a person's tokens for the Git surface (`/git/<org>/<repo>.git`). */
export function createGitTokensRouter(o: { mount: MountRoute; tokens: GitTokenService }) {
  const router = Router();
  o.mount(router, OPS.listGitTokens, async ({ caller }) => ({ items: await o.tokens.list(await caller()) }));
  o.mount(router, OPS.createGitToken, async ({ body, caller }) => o.tokens.create(await caller(), body));
  o.mount(router, OPS.revokeGitToken, async ({ params, caller }) => o.tokens.revoke(await caller(), params.token));
  return router;
}
