import { ConflictError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createEnvironmentBodySchema, ENV_TYPES } from '@internal/plugin-catalyst-common';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { examples } from './environmentCreate.examples';
import { asJson, checkEnvironmentName, idempotencyKey, linksOutput, parseInput, Z } from './shared';

type Created = { name: string; organization: string; repository: string; governed: boolean; head?: string };

/** The Environment's entity page (`environment:<org>/<env>`). */
const environmentPage = (organization: string, environment: string) =>
  `/catalog/${organization}/environment/${environment}`;

/**
 * `catalyst:environment:create`: a new Environment `{org}-{env_type}` with its Git repo, Flux
 * bootstrap and EnvironmentPolicy (the starting rules; none means ungoverned). The catalyst backend
 * requires manage-environment in the Organization and refuses a second Environment of one type.
 *
 * @public
 */
export function createEnvironmentCreateAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:environment:create',
    description: 'Creates an Environment {org}-{env_type}: its Git repo, Flux bootstrap and starting EnvironmentPolicy',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        organization: (z: Z) => z.string().describe('The Organization (slug)'),
        envType: (z: Z) => z.enum(ENV_TYPES).describe(`Environment type: ${ENV_TYPES.join(' | ')}`),
        placement: (z: Z) =>
          z
            .object({
              preset: z.enum(['small', 'medium', 'large']).optional(),
              regions: z.array(z.string()).optional(),
            })
            .optional()
            .describe('Placement preset (small | medium | large) and regions'),
        policyRules: (z: Z) =>
          z
            .array(z.object({ kind: z.enum(['pr-required', 'soak', 'change-window', 'freeze']) }).passthrough())
            .optional()
            .describe('Starting EnvironmentPolicy rules; none leaves the Environment ungoverned'),
      },
      output: {
        environment: (z: Z) => z.string().describe('The new Environment, {org}-{env_type}'),
        repository: (z: Z) => z.string().optional().describe('Its Git repository (absent in a dry run)'),
        governed: (z: Z) => z.boolean().describe('Whether changes go through change requests'),
        entityRef: (z: Z) => z.string(),
        links: linksOutput,
      },
    },
    async handler(ctx) {
      const body = parseInput(
        createEnvironmentBodySchema,
        {
          organization: ctx.input.organization,
          envType: ctx.input.envType,
          ...(ctx.input.placement ? { placement: ctx.input.placement } : {}),
          policyRules: ctx.input.policyRules ?? [],
          // A retry whose first attempt created the Environment but did not record it gets that
          // Environment back instead of a 409 (the checkpoint covers the other retries).
          idempotencyKey: idempotencyKey(ctx, 'environment-create', ctx.input.organization, ctx.input.envType),
        },
        'catalyst:environment:create',
      );
      const name = `${body.organization}-${body.envType}`;
      checkEnvironmentName(name, 'envType');
      const rules = body.policyRules.map(r => r.kind);
      ctx.logger.info(
        `Validate: Environment ${name} (placement ${body.placement.preset}${
          body.placement.regions.length ? ` in ${body.placement.regions.join(', ')}` : ''
        }; ${rules.length ? `policy rules ${rules.join(', ')}` : 'no policy rules: ungoverned'})`,
      );
      const credentials = await ctx.getInitiatorCredentials();
      const entityRef = `environment:${body.organization}/${name}`;
      ctx.output('environment', name);
      ctx.output('entityRef', entityRef);

      if (ctx.isDryRun) {
        // What the real run would be refused for, without creating anything.
        const orgs = await options.client.api.listOrganizations(await options.client.as(credentials, ctx.signal));
        if (!orgs.some(o => o.name === body.organization)) {
          throw new NotFoundError(`Organization ${body.organization} does not exist`);
        }
        const existing = await options.client.api
          .getEnvironment(name, await options.client.as(credentials, ctx.signal))
          .catch(e => {
            if (e instanceof NotFoundError) return undefined;
            throw e;
          });
        if (existing) throw new ConflictError(`Environment ${name} already exists`);
        ctx.logger.info(`Dry run: would create ${name}; nothing created`);
        ctx.output('governed', rules.length > 0);
        ctx.output('links', [{ title: `Environment ${name}`, url: environmentPage(body.organization, name) }]);
        return;
      }

      const created = (await ctx.checkpoint({
        key: 'create',
        fn: async () => {
          const env = await options.client.api.createEnvironment(
            body,
            await options.client.as(credentials, ctx.signal),
          );
          const result: Created = {
            name: env.name,
            organization: env.organization,
            repository: env.repository,
            governed: env.governed,
            ...(env.head ? { head: env.head } : {}),
          };
          return asJson(result);
        },
      })) as unknown as Created;
      ctx.logger.info(
        `Created ${created.name}: repository ${created.repository}${
          created.head ? ` at ${created.head.slice(0, 7)}` : ''
        }${created.governed ? ', governed by its EnvironmentPolicy' : ''}`,
      );
      const links = [
        { title: `Environment ${created.name}`, url: environmentPage(created.organization, created.name) },
      ];
      for (const link of links) ctx.logger.info(`${link.title}: ${link.url}`);
      ctx.output('repository', created.repository);
      ctx.output('governed', created.governed);
      ctx.output('links', links);
    },
  });
}
