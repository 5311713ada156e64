import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { promotionBodySchema } from '@internal/plugin-catalyst-common';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { examples } from './applicationPromote.examples';
import {
  applicationPage,
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
  parseInput,
  Z,
} from './shared';

/** What the task read before promoting: the source Application and the destination, as JSON. */
type PromotionPreview = {
  blueprint: string;
  version: string;
  overlay?: string;
  valueKeys: string[];
  sourceOrganization: string;
  targetOrganization: string;
  governed: boolean;
  /** The destination's Application of the same name, when it has one (the copy then upgrades it). */
  existing?: { blueprint: string; version: string };
};

/**
 * `catalyst:application:promote`: "Copy to another Environment" (DESIGN §7). The catalyst backend
 * copies the source Application's Blueprint version, values, overlay and placement, as they are on
 * the source's main, into the destination of the same Organization, as the user who started the
 * task: one commit where the destination is ungoverned, a change request where its
 * EnvironmentPolicy has rules (the request merges when they pass). The call is a checkpoint with an
 * idempotency key derived from the task, so a retried task replays the first commit or request. A
 * dry run reads the source and the destination and says what would happen; nothing is written.
 *
 * @public
 */
export function createApplicationPromoteAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:application:promote',
    description:
      "Copies an Application (its Blueprint version and values) to another Environment of its Organization as the user: a commit, or a change request where the destination's EnvironmentPolicy governs it",
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        ...applicationTargetInput,
        environment: (z: Z) => z.string().describe('The source Environment, `{org}-{env_type}` (e.g. acme-stg)'),
        targetEnvironment: (z: Z) =>
          z.string().describe('The destination Environment, of the same Organization (e.g. acme-prod)'),
        idempotencyKey: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              'Replaces the key derived from the task id; the same key replays the first commit or change request',
            ),
      },
      output: {
        blueprint: (z: Z) => z.string().describe('The Blueprint of the copied Application'),
        version: (z: Z) => z.string().describe('The Blueprint version copied (what runs in the source)'),
        governed: (z: Z) => z.boolean().describe("Whether the destination's EnvironmentPolicy governs it"),
        state: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              "`committed` (a commit on the destination's main), `unchanged` (the destination already runs the same), or the change request's state: open, merged, conflicted, rejected, superseded (absent in a dry run)",
            ),
        commit: (z: Z) =>
          z
            .string()
            .optional()
            .describe(
              "The commit on the destination's main (absent in a dry run, when unchanged, and for a change request)",
            ),
        ...changeRequestOutput,
        applications: (z: Z) =>
          z.array(z.string()).optional().describe('The Applications the copy adds or changes in the destination'),
        replayed: (z: Z) =>
          z.boolean().optional().describe('True when a retry found the commit or change request of an earlier attempt'),
        entityRef: (z: Z) => z.string().describe('Catalog entity ref of the Application in the destination'),
        applicationUrl: (z: Z) => z.string().describe("The destination Application's entity page"),
        links: (z: Z) =>
          z
            .array(z.object({ title: z.string(), url: z.string(), icon: z.string().optional() }))
            .describe("The Application's entity page, then the commit or the change request"),
      },
    },
    async handler(ctx) {
      const { environment, application, targetEnvironment } = ctx.input;
      checkEnvironmentName(environment);
      checkApplicationName(application);
      checkEnvironmentName(targetEnvironment, 'targetEnvironment');
      const body = parseInput(
        promotionBodySchema,
        {
          sourceEnvironment: environment,
          application,
          targetEnvironment,
          idempotencyKey:
            blankToUndefined(ctx.input.idempotencyKey) ??
            idempotencyKey(ctx, 'promote', environment, application, targetEnvironment),
        },
        'catalyst:application:promote',
      );
      ctx.logger.info(`Validate: promote ${application} from ${environment} to ${targetEnvironment}`);
      const credentials = await ctx.getInitiatorCredentials();

      // A checkpoint, so a retried task logs what it promoted then rather than what runs now.
      const preview = (await ctx.checkpoint({
        key: 'source',
        fn: async () => {
          const as = await options.client.as(credentials, ctx.signal);
          const source = await options.client.api.getApplication(environment, application, as);
          const target = await options.client.api.getEnvironment(targetEnvironment, as);
          const existing = await options.client.api.getApplication(targetEnvironment, application, as).catch(e => {
            if (e instanceof NotFoundError) return undefined;
            throw e;
          });
          const result: PromotionPreview = {
            blueprint: source.blueprint,
            version: source.version,
            ...(source.overlay ? { overlay: source.overlay } : {}),
            valueKeys: Object.keys(source.values),
            sourceOrganization: source.organization,
            targetOrganization: target.organization,
            governed: target.governed,
            ...(existing ? { existing: { blueprint: existing.blueprint, version: existing.version } } : {}),
          };
          return asJson(result);
        },
      })) as unknown as PromotionPreview;

      ctx.logger.info(
        `Source: ${application} in ${environment} runs ${preview.blueprint}@${preview.version}${
          preview.overlay ? ` (${preview.overlay})` : ''
        } with values ${preview.valueKeys.length ? preview.valueKeys.join(', ') : '(none)'}`,
      );
      ctx.logger.info(
        preview.existing
          ? `Target: ${targetEnvironment} runs ${application} at ${preview.existing.blueprint}@${preview.existing.version}; the copy replaces its version and values`
          : `Target: ${targetEnvironment} has no ${application}; the copy installs it`,
      );
      ctx.output('blueprint', preview.blueprint);
      ctx.output('version', preview.version);
      ctx.output('governed', preview.governed);
      ctx.output('entityRef', applicationRef(targetEnvironment, application));
      ctx.output('applicationUrl', applicationPage(targetEnvironment, application));

      if (ctx.isDryRun) {
        // The backend has no dry run of a promotion; the refusals visible in what was read are
        // said here, so the template editor does not promise a copy the real run would refuse.
        if (environment === targetEnvironment) {
          throw new InputError('targetEnvironment: must be another Environment than the source');
        }
        if (preview.sourceOrganization !== preview.targetOrganization) {
          throw new InputError(
            `targetEnvironment: ${targetEnvironment} belongs to ${preview.targetOrganization}, ${environment} to ${preview.sourceOrganization}: promotions stay inside an Organization`,
          );
        }
        ctx.logger.info(
          preview.governed
            ? `Dry run: would open a change request in ${targetEnvironment} (governed by its EnvironmentPolicy); nothing written`
            : `Dry run: would commit to ${targetEnvironment}; nothing written`,
        );
        ctx.output('links', [
          {
            title: `Application ${application} in ${environment}`,
            url: applicationPage(environment, application),
            icon: 'catalog',
          },
        ]);
        return;
      }

      const outcome = (await ctx.checkpoint({
        key: 'promote',
        fn: async () =>
          asJson(
            changeOutcome(await options.client.api.promote(body, await options.client.as(credentials, ctx.signal))),
          ),
      })) as unknown as ChangeOutcome;

      // The requested Application first; a copy may also add dependencies the source had.
      const applications = [application, ...outcome.applications.filter(a => a !== application)];
      ctx.output('replayed', outcome.replayed);
      const cr = outcome.changeRequest;
      if (cr) {
        // The sha is the change request's branch, not main: no commit is reported, and a new
        // Application has no entity page in the destination until the request merges.
        const links = [
          ...(cr.merged || preview.existing ? changeLinks(targetEnvironment, applications) : []),
          changeRequestLink(targetEnvironment, cr.id),
        ];
        for (const link of links.slice(0, -1)) ctx.logger.info(`${link.title}: ${link.url}`);
        ctx.logger.info(changeRequestLine(targetEnvironment, cr, outcome.replayed));
        ctx.output('state', cr.merged ? 'merged' : cr.state);
        ctx.output('changeRequest', cr.id);
        ctx.output('changeRequestUrl', changeRequestPage(cr.id));
        ctx.output('applications', applications);
        ctx.output('links', links);
        return;
      }
      if (!outcome.changed) {
        ctx.logger.info(
          `Commit: none — ${targetEnvironment} already runs ${application} as in ${environment} (head ${outcome.sha.slice(
            0,
            7,
          )})`,
        );
        ctx.output('state', 'unchanged');
        ctx.output('applications', []);
      } else {
        ctx.logger.info(commitLine(outcome));
        ctx.output('state', 'committed');
        ctx.output('commit', outcome.sha);
        ctx.output('applications', applications);
      }
      const links = changeLinks(targetEnvironment, applications, outcome.changed ? outcome.sha : undefined);
      for (const link of links) ctx.logger.info(`${link.title}: ${link.url}`);
      ctx.output('links', links);
    },
  });
}
