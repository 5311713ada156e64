import { createApiRef } from '@backstage/core-plugin-api';
import type { CatalystApi } from '@internal/plugin-catalyst-common';

/**
 * The catalyst REST API as the frontend uses it: catalyst-common's typed client, the same one the
 * scaffolder and the catalog modules use. Every call carries the user's identity (FetchApi); the
 * backend authorizes each one.
 *
 * @public
 */
export type { CatalystApi };

/** @public */
export const catalystApiRef = createApiRef<CatalystApi>({ id: 'plugin.catalyst.service' });
