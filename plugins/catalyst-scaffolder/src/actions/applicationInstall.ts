import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { installBodyFrom, planInstallStep } from './applicationPlan';
import { examples } from './applicationInstall.examples';
import {
  applicationPage,
  applicationRef,
  asJson,
  blankToUndefined,
  changeLinks,
  ChangeOutcome,
  changeOutcome,
  changeRequestLine,
  changeRequestLink,
  changeRequestOutput,
  changeRequestPage,
  commitLine,
  commitPage,
  idempotencyKey,
  installInput,
  linksOutput,
  planOutput,
  Z,
} from './shared';

/**
 * `catalyst:application:install`: installs a Blueprint into an Environment as ONE commit authored by
 * the user who started the task (the catalyst backend authorizes the install and writes the commit).
 * The commit carries an idempotency key derived from the task, and is a checkpoint: a retried task
 * replays the first commit rather than committing twice. In a governed Environment the same call
 * opens a change request instead (the commit is on its branch, and reaches main when the
 * EnvironmentPolicy lets it merge). In a dry run nothing is committed; the plan and the rendered
 * files are logged (and written into the workspace for the template editor).
 *
 * @public
 */
export function createApplicationInstallAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:application:install',
    description:
      'Installs a Blueprint into an Environment: resolves its dependencies, composes the files and commits them to the Environment repo as the user, or opens a change request where the Environment is governed',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...installInput,
        idempotencyKey: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              'Replaces the key derived from the task id; the same key replays the first commit instead of writing again',
            ),
      },
      output: {
        commit: (z: Z) =>
          z
            .string()
            .optional()
            .describe('The commit sha on main (absent in a dry run and when a change request opened)'),
        applications: (z: Z) => z.array(z.string()).describe('The Applications the commit added, in dependency order'),
        entityRef: (z: Z) =>
          z.string().describe('Catalog entity ref of the requested Application (a composite: its first part)'),
        applicationUrl: (z: Z) => z.string().describe("The requested Application's entity page"),
        commitUrl: (z: Z) => z.string().optional().describe('Where the commit is shown (absent when `commit` is)'),
        ...changeRequestOutput,
        replayed: (z: Z) => z.boolean().describe('True when a retry found the commit of an earlier attempt'),
        plan: planOutput,
        links: linksOutput,
      },
    },
    async handler(ctx) {
      const key =
        blankToUndefined(ctx.input.idempotencyKey) ??
        idempotencyKey(ctx, 'install', ctx.input.environment, ctx.input.application);
      const { environment, body } = installBodyFrom(ctx.input, 'catalyst:application:install', key);
      ctx.logger.info(
        `Validate: install ${body.blueprint}${body.version ? `@${body.version}` : ''} as ${
          body.application
        } in ${environment}`,
      );
      const plan = await planInstallStep(ctx, options.client, environment, body);
      const planned = plan.applications.map(a => a.name);
      // The requested Application is what the user came for; a composite's parts have other names.
      const main = planned.includes(plan.root) ? plan.root : planned[0] ?? body.application;
      const linkOrder = (apps: string[]) => [...apps.filter(a => a === main), ...apps.filter(a => a !== main)];
      ctx.output('plan', plan);
      ctx.output('entityRef', applicationRef(environment, main));
      ctx.output('applicationUrl', applicationPage(environment, main));

      if (ctx.isDryRun) {
        ctx.logger.info(`Dry run: nothing committed to ${environment}`);
        ctx.output('applications', planned);
        ctx.output('replayed', false);
        ctx.output('links', changeLinks(environment, linkOrder(planned)));
        return;
      }

      const credentials = await ctx.getInitiatorCredentials();
      const outcome = (await ctx.checkpoint({
        key: 'commit',
        fn: async () =>
          asJson(
            changeOutcome(
              await options.client.api.install(environment, body, await options.client.as(credentials, ctx.signal)),
            ),
          ),
      })) as unknown as ChangeOutcome;

      // The commit lists Applications alphabetically; the plan's order (dependencies first) reads better.
      const applications = [
        ...planned.filter(a => outcome.applications.includes(a)),
        ...outcome.applications.filter(a => !planned.includes(a)),
      ];
      ctx.output('applications', applications);
      ctx.output('replayed', outcome.replayed);
      const cr = outcome.changeRequest;
      if (cr) {
        // The sha is the change request's branch, not main: no commit is reported, and the
        // Applications have no entity page until the request merges.
        const links = [
          ...(cr.merged ? changeLinks(environment, linkOrder(applications)) : []),
          changeRequestLink(environment, cr.id),
        ];
        for (const link of links.slice(0, -1)) ctx.logger.info(`${link.title}: ${link.url}`);
        ctx.logger.info(changeRequestLine(environment, cr, outcome.replayed));
        ctx.output('changeRequest', cr.id);
        ctx.output('changeRequestUrl', changeRequestPage(cr.id));
        ctx.output('links', links);
        return;
      }
      ctx.logger.info(commitLine(outcome));
      const links = changeLinks(environment, linkOrder(applications), outcome.sha);
      for (const link of links) ctx.logger.info(`${link.title}: ${link.url}`);
      ctx.output('commit', outcome.sha);
      ctx.output('commitUrl', commitPage(environment, main, outcome.sha));
      ctx.output('links', links);
    },
  });
}
