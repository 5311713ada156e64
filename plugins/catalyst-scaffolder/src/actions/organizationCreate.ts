import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { createOrganizationBodySchema, validateOrganizationName } from '@internal/plugin-catalyst-common';
import type { CatalystBackendClient } from '@internal/plugin-catalyst-node';
import { examples } from './organizationCreate.examples';
import { asJson, idempotencyKey, linksOutput, parseInput, Z } from './shared';

type Created = { name: string; displayName: string; teams: string[] };

/**
 * `catalyst:organization:create`: onboards an Organization (its Group, teams, and Blueprint repo).
 * Only a sovereign-admin may; the catalyst backend refuses everyone else with 403.
 *
 * @public
 */
export function createOrganizationCreateAction(options: { client: CatalystBackendClient }) {
  return createTemplateAction({
    id: 'catalyst:organization:create',
    description: 'Creates an Organization with its teams (sovereign-admin only)',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        name: (z: Z) => z.string().describe('Organization slug: ^[a-z][a-z0-9-]{2,31}$, not reserved'),
        displayName: (z: Z) => z.string().describe('Display name'),
        teams: (z: Z) => z.array(z.string()).optional().describe('Team slugs (Groups group:<org>/<team>)'),
      },
      output: {
        organization: (z: Z) => z.string(),
        entityRef: (z: Z) => z.string(),
        links: linksOutput,
      },
    },
    async handler(ctx) {
      const body = parseInput(
        createOrganizationBodySchema,
        {
          name: ctx.input.name,
          displayName: ctx.input.displayName,
          teams: ctx.input.teams ?? [],
          // A retry whose first attempt created the Organization but did not record it gets that
          // Organization back instead of a 409 (the checkpoint covers the other retries).
          idempotencyKey: idempotencyKey(ctx, 'organization-create', ctx.input.name),
        },
        'catalyst:organization:create',
      );
      const checked = validateOrganizationName(body.name, 'name');
      if (!checked.ok) throw new InputError(`name: ${checked.errors[0].message}`);
      ctx.logger.info(
        `Validate: Organization ${body.name} "${body.displayName}"${
          body.teams.length ? ` with teams ${body.teams.join(', ')}` : ''
        }`,
      );
      const entityRef = `group:default/${body.name}`;
      const links = [{ title: `Organization ${body.name}`, url: `/catalog/default/group/${body.name}` }];
      ctx.output('organization', body.name);
      ctx.output('entityRef', entityRef);
      const credentials = await ctx.getInitiatorCredentials();

      if (ctx.isDryRun) {
        const orgs = await options.client.api.listOrganizations(await options.client.as(credentials, ctx.signal));
        if (orgs.some(o => o.name === body.name)) throw new ConflictError(`Organization ${body.name} already exists`);
        ctx.logger.info(`Dry run: would create ${body.name}; nothing created`);
        ctx.output('links', links);
        return;
      }

      const created = (await ctx.checkpoint({
        key: 'create',
        fn: async () => {
          const org = await options.client.api.createOrganization(
            body,
            await options.client.as(credentials, ctx.signal),
          );
          const result: Created = { name: org.name, displayName: org.displayName, teams: org.teams };
          return asJson(result);
        },
      })) as unknown as Created;
      ctx.logger.info(
        `Created Organization ${created.name}${created.teams.length ? ` with teams ${created.teams.join(', ')}` : ''}`,
      );
      for (const link of links) ctx.logger.info(`${link.title}: ${link.url}`);
      ctx.output('links', links);
    },
  });
}
