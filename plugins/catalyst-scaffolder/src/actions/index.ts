import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { createApplicationConfigureAction } from './applicationConfigure';
import { createApplicationInstallAction } from './applicationInstall';
import { createApplicationPlanAction } from './applicationPlan';
import { createApplicationPromoteAction } from './applicationPromote';
import { createEnvironmentCreateAction } from './environmentCreate';
import { createOrganizationCreateAction } from './organizationCreate';

export { createApplicationConfigureAction } from './applicationConfigure';
export { createApplicationInstallAction } from './applicationInstall';
export { createApplicationPlanAction } from './applicationPlan';
export { createApplicationPromoteAction } from './applicationPromote';
export { createEnvironmentCreateAction } from './environmentCreate';
export { createOrganizationCreateAction } from './organizationCreate';

/**
 * Every `catalyst:*` scaffolder action, each calling the catalyst REST API as the task's initiator.
 *
 * @public
 */
export function createCatalystActions(options: { client: CatalystBackendClient }) {
  return [
    createApplicationPlanAction(options),
    createApplicationInstallAction(options),
    createApplicationConfigureAction(options),
    createApplicationPromoteAction(options),
    createEnvironmentCreateAction(options),
    createOrganizationCreateAction(options),
  ];
}
