import { ClientTestBackend, startClientTestBackend } from '@internal/catalyst-test-utils';
// Tests only: the module is tested against the real catalyst backend, installed by package.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import catalystBackend from '@internal/plugin-catalyst-backend';
import catalystPermissionPolicy from '@internal/plugin-permission-backend-module-catalyst';

export { TEST_USERS } from '@internal/catalyst-test-utils';
export type CatalystTestBackend = ClientTestBackend;

/** The catalyst backend and its permission policy, installed by package as an adopter does, plus `extraFeatures`. */
export function startCatalystTestBackend(
  options: Pick<Parameters<typeof startClientTestBackend>[0], 'extraFeatures'> = {},
) {
  return startClientTestBackend({ catalyst: [catalystBackend, catalystPermissionPolicy], ...options });
}
