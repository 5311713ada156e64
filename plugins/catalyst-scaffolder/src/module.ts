import { createBackendModule } from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { catalystApiClientServiceRef } from '@internal/plugin-catalyst-node';
import { createCatalystActions } from './actions';

/**
 * Registers the `catalyst:*` actions with the scaffolder. The actions call the catalyst backend
 * over REST on behalf of the user who started the task, so they hold no state of their own.
 *
 * @public
 */
export const catalystScaffolderModule = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'catalyst',
  register(reg) {
    reg.registerInit({
      deps: { scaffolderActions: scaffolderActionsExtensionPoint, client: catalystApiClientServiceRef },
      async init({ scaffolderActions, client }) {
        scaffolderActions.addActions(...createCatalystActions({ client }));
      },
    });
  },
});
