import { startCatalystTestBackend } from '@internal/catalyst-test-utils';
import catalystPermissionPolicyModule from '@internal/plugin-permission-backend-module-catalyst';
import { catalystPlugin } from '../plugin';

type Options = Omit<Parameters<typeof startCatalystTestBackend>[0], 'catalyst'>;

/** This package's plugin and permission policy on a test backend (see @internal/catalyst-test-utils). */
export function startBackendUnderTest(options: Options) {
  return startCatalystTestBackend({ ...options, catalyst: [catalystPlugin, catalystPermissionPolicyModule] });
}
