import { CATALYST_OPERATIONS as OPS } from '@internal/plugin-catalyst-common';
import Router from 'express-promise-router';
import type { BlueprintQueries } from '../blueprints/BlueprintQueries';
import type { MountRoute } from './http';

/**
 * `/blueprints…`: the marketplace list, one Blueprint, a version's files, the usage table and the
 * release tags that failed registration.
 */
export function createBlueprintsRouter(o: { mount: MountRoute; blueprints: BlueprintQueries }) {
  const router = Router();
  const { mount, blueprints } = o;
  mount(router, OPS.listBlueprints, async ({ query, caller }) => ({
    items: await blueprints.list(await caller(), query),
  }));
  mount(router, OPS.getBlueprint, async ({ params, query, caller }) =>
    blueprints.get(await caller(), params.name, query.organization),
  );
  mount(router, OPS.getBlueprintFiles, async ({ params, caller }) =>
    blueprints.files(await caller(), params.name, params.version),
  );
  mount(router, OPS.getBlueprintUsage, async ({ params, query, caller }) =>
    blueprints.usage(await caller(), params.name, query.organization),
  );
  mount(router, OPS.listInvalidReleases, async ({ caller }) => ({
    items: await blueprints.invalidReleases(await caller()),
  }));
  return router;
}
