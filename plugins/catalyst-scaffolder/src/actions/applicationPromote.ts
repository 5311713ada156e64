import { NotImplementedError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './applicationPromote.examples';
import { applicationTargetInput, checkApplicationName, checkEnvironmentName, Z } from './shared';

/** The refusal, word for word, so templates and tests can rely on it. @public */
export const PROMOTION_NOT_AVAILABLE =
  'Promotion is not available in this version of Catalyst: copying an Application to another Environment as a change request has not been built yet';

/**
 * `catalyst:application:promote`: registered so templates can name it, but promotion (a change
 * request in the destination Environment, DESIGN §7) does not exist yet. It refuses — also in a dry
 * run — rather than pretend: nothing is written.
 *
 * @public
 */
export function createApplicationPromoteAction() {
  return createTemplateAction({
    id: 'catalyst:application:promote',
    description: `Promotes an Application to another Environment. ${PROMOTION_NOT_AVAILABLE}; the action always fails.`,
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...applicationTargetInput,
        targetEnvironment: (z: Z) => z.string().describe('The destination Environment'),
      },
    },
    async handler(ctx) {
      const { environment, application, targetEnvironment } = ctx.input;
      checkEnvironmentName(environment);
      checkApplicationName(application);
      checkEnvironmentName(targetEnvironment, 'targetEnvironment');
      ctx.logger.error(`${PROMOTION_NOT_AVAILABLE}. Nothing was written.`);
      throw new NotImplementedError(
        `${PROMOTION_NOT_AVAILABLE}. ${application} was not promoted from ${environment} to ${targetEnvironment}; install it there with catalyst:application:install instead.`,
      );
    },
  });
}
