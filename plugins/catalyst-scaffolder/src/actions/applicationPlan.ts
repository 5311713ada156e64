import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { InstallBody, installBodySchema } from '@internal/plugin-catalyst-common';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { examples } from './applicationPlan.examples';
import {
  StepContext,
  asJson,
  blankToUndefined,
  checkApplicationName,
  checkEnvironmentName,
  installInput,
  logPlan,
  parseInput,
  PlanSummary,
  planOutput,
  showRenderedFiles,
  summarizePlan,
  Z,
} from './shared';

/** The install request an action's input describes, checked with the REST API's own schema. */
export function installBodyFrom(
  input: {
    environment: string;
    application: string;
    blueprint: string;
    version?: string;
    overlay?: string;
    values?: Record<string, unknown>;
    dependencies?: Record<string, unknown>;
    placement?: unknown;
  },
  action: string,
  idempotencyKey?: string,
): { environment: string; body: InstallBody } {
  checkEnvironmentName(input.environment);
  checkApplicationName(input.application);
  const body = parseInput(
    installBodySchema,
    {
      application: input.application,
      blueprint: input.blueprint,
      ...(blankToUndefined(input.version) ? { version: input.version } : {}),
      ...(blankToUndefined(input.overlay) ? { overlay: input.overlay } : {}),
      values: input.values ?? {},
      dependencies: input.dependencies ?? {},
      ...(input.placement ? { placement: input.placement } : {}),
      ...(idempotencyKey ? { idempotencyKey } : {}),
    },
    action,
  );
  return { environment: input.environment, body };
}

/**
 * Plans an install and logs what it resolves to, then (in the template editor's dry run) the rendered
 * files. The plan is kept as a checkpoint: when a task is retried after its install step committed,
 * re-planning would now fail with "already exists".
 */
export async function planInstallStep(
  ctx: StepContext,
  client: CatalystBackendClient,
  environment: string,
  body: InstallBody,
): Promise<PlanSummary> {
  const credentials = await ctx.getInitiatorCredentials();
  let rendered: Parameters<typeof showRenderedFiles> | undefined;
  const summary = (await ctx.checkpoint({
    key: 'plan',
    fn: async () => {
      const res = await client.api.planInstall(environment, body, await client.as(credentials, ctx.signal));
      rendered = [ctx, res.files, res.changes];
      return asJson(summarizePlan(res.plan, res.changes));
    },
  })) as unknown as PlanSummary;
  logPlan(ctx, summary);
  if (ctx.isDryRun && rendered) await showRenderedFiles(...rendered);
  return summary;
}

/**
 * `catalyst:application:plan`: what installing a Blueprint would commit — the Applications, their
 * dependsOn edges, the files — without writing anything. Templates run it before
 * `catalyst:application:install` so problems show before the commit step.
 *
 * @public
 */
export function createApplicationPlanAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:application:plan',
    description:
      'Plans installing a Blueprint into an Environment (dependencies resolved, files rendered) without committing anything',
    examples,
    supportsDryRun: true,
    schema: {
      input: installInput,
      output: {
        plan: planOutput,
        applications: (z: Z) =>
          z.array(z.string()).describe('The Applications the install would create or change, in order'),
      },
    },
    async handler(ctx) {
      const { environment, body } = installBodyFrom(ctx.input, 'catalyst:application:plan');
      ctx.logger.info(
        `Validate: install ${body.blueprint}${body.version ? `@${body.version}` : ''} as ${
          body.application
        } in ${environment}`,
      );
      const summary = await planInstallStep(ctx, options.client, environment, body);
      ctx.output('plan', summary);
      ctx.output(
        'applications',
        summary.applications.map(a => a.name),
      );
    },
  });
}
