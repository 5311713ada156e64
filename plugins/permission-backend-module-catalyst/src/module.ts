import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { readRoleBindings } from '@internal/plugin-catalyst-node';
import { CatalystPermissionPolicy } from './CatalystPermissionPolicy';

/** Installs {@link CatalystPermissionPolicy} as the permission backend's policy. */
export const catalystPermissionPolicyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'catalyst-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(new CatalystPermissionPolicy(readRoleBindings(config)));
      },
    });
  },
});
