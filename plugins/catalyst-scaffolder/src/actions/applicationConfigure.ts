import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { updateBodySchema } from '@internal/plugin-catalyst-common';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { examples } from './applicationConfigure.examples';
import {
  applicationRef,
  applicationTargetInput,
  asJson,
  blankToUndefined,
  changeLinks,
  ChangeOutcome,
  changeOutcome,
  changeRequestLine,
  changeRequestLink,
  changeRequestOutput,
  changeRequestPage,
  checkApplicationName,
  checkEnvironmentName,
  commitLine,
  idempotencyKey,
  linksOutput,
  logPlan,
  parseInput,
  PlanSummary,
  planOutput,
  showRenderedFiles,
  summarizePlan,
  Z,
} from './shared';

/**
 * `catalyst:application:configure`: changes an installed Application — its whole configuration
 * (`values` replaces the current values; defaults are applied again), its overlay, or its version
 * (an upgrade, honouring the Blueprint's `upgrades.from/blocks`). One commit as the user — or, in a
 * governed Environment, a change request that merges when its EnvironmentPolicy passes; a retried
 * task replays either. A dry run plans only.
 *
 * @public
 */
export function createApplicationConfigureAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:application:configure',
    description:
      "Changes an installed Application's configuration, overlay or version, or pauses or resumes it, as one commit to the Environment repo, or a change request where the Environment is governed",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...applicationTargetInput,
        values: (z: Z) =>
          z.record(z.unknown()).optional().describe('The whole new configuration (replaces the current values)'),
        overlay: (z: Z) => z.string().optional().describe('New size overlay: small | medium | large'),
        version: (z: Z) => z.string().optional().describe('New version (an upgrade or, where allowed, a downgrade)'),
        paused: (z: Z) => z.boolean().optional().describe('true: scale to zero on purpose; false: resume'),
        idempotencyKey: (z: Z) => z.string().optional().describe('Replaces the key derived from the task id'),
      },
      output: {
        commit: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              'The commit sha on main (absent in a dry run, when nothing changed and when a change request opened)',
            ),
        changed: (z: Z) => z.boolean().describe('False when the change left every file as it was'),
        entityRef: (z: Z) => z.string(),
        ...changeRequestOutput,
        plan: planOutput,
        links: linksOutput,
      },
    },
    async handler(ctx) {
      const { environment, application } = ctx.input;
      checkEnvironmentName(environment);
      checkApplicationName(application);
      const key =
        blankToUndefined(ctx.input.idempotencyKey) ?? idempotencyKey(ctx, 'configure', environment, application);
      const body = parseInput(
        updateBodySchema,
        {
          ...(ctx.input.values !== undefined ? { values: ctx.input.values } : {}),
          ...(blankToUndefined(ctx.input.overlay) ? { overlay: ctx.input.overlay } : {}),
          ...(blankToUndefined(ctx.input.version) ? { version: ctx.input.version } : {}),
          ...(typeof ctx.input.paused === 'boolean' ? { paused: ctx.input.paused } : {}),
          idempotencyKey: key,
        },
        'catalyst:application:configure',
      );
      const what = [
        body.values ? 'values' : '',
        body.overlay ? `overlay ${body.overlay}` : '',
        body.version ? `version ${body.version}` : '',
        body.paused === undefined ? '' : (body.paused && 'pause') || 'resume',
      ]
        .filter(Boolean)
        .join(', ');
      ctx.logger.info(`Validate: configure ${application} in ${environment} (${what})`);
      const credentials = await ctx.getInitiatorCredentials();

      let rendered: Parameters<typeof showRenderedFiles> | undefined;
      const plan = (await ctx.checkpoint({
        key: 'plan',
        fn: async () => {
          const res = await options.client.api.planUpdate(
            environment,
            application,
            body,
            await options.client.as(credentials, ctx.signal),
          );
          rendered = [ctx, res.files, res.changes];
          return asJson(summarizePlan(res.plan, res.changes));
        },
      })) as unknown as PlanSummary;
      logPlan(ctx, plan);
      ctx.output('plan', plan);
      ctx.output('entityRef', applicationRef(environment, application));

      if (ctx.isDryRun) {
        if (rendered) await showRenderedFiles(...rendered);
        ctx.logger.info(`Dry run: nothing committed to ${environment}`);
        ctx.output('changed', plan.files.added + plan.files.modified + plan.files.removed > 0);
        ctx.output('links', changeLinks(environment, [application]));
        return;
      }

      const outcome = (await ctx.checkpoint({
        key: 'commit',
        fn: async () =>
          asJson(
            changeOutcome(
              await options.client.api.updateApplication(
                environment,
                application,
                body,
                await options.client.as(credentials, ctx.signal),
              ),
            ),
          ),
      })) as unknown as ChangeOutcome;

      ctx.output('changed', outcome.changed);
      const cr = outcome.changeRequest;
      if (cr) {
        // The sha is the change request's branch, not main: no commit is reported until it merges.
        const links = [...changeLinks(environment, [application]), changeRequestLink(environment, cr.id)];
        for (const link of links.slice(0, -1)) ctx.logger.info(`${link.title}: ${link.url}`);
        ctx.logger.info(changeRequestLine(environment, cr, outcome.replayed));
        ctx.output('changeRequest', cr.id);
        ctx.output('changeRequestUrl', changeRequestPage(cr.id));
        ctx.output('links', links);
        return;
      }
      if (!outcome.changed) {
        ctx.logger.info(`Commit: none — the change leaves ${application} as it is (head ${outcome.sha.slice(0, 7)})`);
      } else {
        ctx.logger.info(commitLine(outcome));
        ctx.output('commit', outcome.sha);
      }
      const links = changeLinks(environment, [application], outcome.changed ? outcome.sha : undefined);
      for (const link of links) ctx.logger.info(`${link.title}: ${link.url}`);
      ctx.output('links', links);
    },
  });
}
