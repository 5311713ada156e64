import { coreServices, createBackendModule } from '@backstage/backend-plugin-api';
import { kubernetesClusterSupplierExtensionPoint } from '@backstage/plugin-kubernetes-node';
import { catalystApiClientServiceRef } from '@internal/plugin-catalyst-node';
import { CatalystClusterSupplier } from './CatalystClusterSupplier';

/**
 * The kubernetes plugin's Catalyst module: its clusters come from `catalyst.clusters`, one per
 * Environment on a devcluster. The kubernetes plugin still needs a `kubernetes:` config block
 * (`serviceLocatorMethod`, `clusterLocatorMethods: []`) to start.
 *
 * @public
 */
export const kubernetesModuleCatalyst = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'catalyst-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        client: catalystApiClientServiceRef,
      },
      async init({ clusterSupplier, config, logger, auth, client }) {
        clusterSupplier.addClusterSupplier(CatalystClusterSupplier.create({ config, client, auth, logger }));
      },
    });
  },
});
