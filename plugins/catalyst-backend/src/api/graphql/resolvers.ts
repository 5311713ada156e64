import { isError } from '@backstage/errors';
import {
  ApplicationSummary,
  BlueprintSummary,
  CATALYST_ERROR_CODES,
  ChangeResponse,
  EnvironmentOverview,
  installBodySchema,
  promotionBodySchema,
  updateBodySchema,
} from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { z } from 'zod';
import type { BlueprintQueries } from '../../blueprints/BlueprintQueries';
import type { ChangeRequestService } from '../../changes/ChangeRequestService';
import type { OnboardingService } from '../../onboarding/OnboardingService';
import type { EnvironmentQueries } from '../../provisioning/EnvironmentQueries';
import type { ProvisioningService } from '../../provisioning/ProvisioningService';
import type { ReadSide } from '../../readside';

export interface GraphqlServices {
  onboarding: OnboardingService;
  queries: EnvironmentQueries;
  blueprints: BlueprintQueries;
  changeRequests: ChangeRequestService;
  provisioning: ProvisioningService;
  readSide: Pick<ReadSide, 'applicationViews'>;
}

export interface GraphqlContext {
  principal: () => Promise<CatalystPrincipal>;
  /** Runs a mutation as one audited write (the REST mount does the same per request). */
  write: <T>(field: string, target: Record<string, string>, run: () => Promise<T>) => Promise<T>;
}

/** Input checked by the same zod schema as the REST body: a bad field is named the same way. */
function parsed<T>(schema: z.ZodType<T>, input: unknown, argument: string): T {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issues = result.error.issues.slice(0, 5).map(i => ({
    code: 'invalid-request',
    path: [argument, ...i.path.map(String)].join('.'),
    message: i.message,
  }));
  throw Object.assign(new Error(`Invalid ${argument}: ${issues.map(i => `${i.path}: ${i.message}`).join('; ')}`), {
    name: 'InputError',
    code: CATALYST_ERROR_CODES.invalidRequest,
    issues,
  });
}

const liveStatus = (
  view:
    | {
        status: string;
        reason: string;
        pods: { ready: number; total: number };
        version: string | null;
        targetVersion: string | null;
      }
    | undefined,
) =>
  view
    ? {
        status: view.status,
        reason: view.reason,
        readyPods: view.pods.ready,
        totalPods: view.pods.total,
        version: view.version,
        targetVersion: view.targetVersion,
      }
    : null;

/**
 * The root value: every Query and Mutation field, each calling one service — a resolver is a thin
 * router too. Object fields that cost a service call are functions, resolved only when selected.
 */
export function catalystGraphqlRoot(services: GraphqlServices) {
  const { onboarding, queries, blueprints, changeRequests, provisioning, readSide } = services;

  function appNode(p: CatalystPrincipal, a: ApplicationSummary, views?: Promise<Map<string, any>>) {
    return {
      ...a,
      inEnvironment: async () => envNode(p, await queries.get(p, a.environment)),
      overlay: a.overlay ?? null,
      status: async () => liveStatus((await (views ?? readSide.applicationViews(a.environment))).get(a.name)),
      values: async () => (await queries.getApplication(p, a.environment, a.name)).values,
    };
  }

  async function orgNode(p: CatalystPrincipal, name: string) {
    const o = (await onboarding.listOrganizations(p)).find(x => x.name === name);
    if (!o) throw Object.assign(new Error(`Organization ${name} is not readable`), { name: 'NotFoundError' });
    return {
      ...o,
      environments: async () => (await queries.list(p, o.name)).map(e => envNode(p, e)),
    };
  }

  function envNode(p: CatalystPrincipal, e: EnvironmentOverview): Record<string, unknown> {
    return {
      ...e,
      inOrganization: () => orgNode(p, e.organization),
      policy: e.policy,
      freeze: e.freeze ?? null,
      openChangeRequests: e.openChangeRequests ?? 0,
      head: e.head ?? null,
      applications: async () => {
        const views = readSide.applicationViews(e.name);
        return (await queries.listApplications(p, e.name)).map(a => appNode(p, a, views));
      },
      application: async ({ name }: { name: string }) => {
        const found = (await queries.listApplications(p, e.name)).find(a => a.name === name);
        return found ? appNode(p, found) : null;
      },
      changeRequests: async ({ state }: { state?: string }) =>
        (await changeRequests.list(p, { environment: e.name, ...(state ? { state: state as never } : {}) })).map(cr =>
          crSummary(p, cr),
        ),
    };
  }

  function crDetail(cr: Awaited<ReturnType<ChangeRequestService['get']>>) {
    return {
      ...cr,
      application: cr.application ?? null,
      verdicts: cr.evaluation?.verdicts ?? [],
      approvals: cr.approvalsList,
    };
  }

  function crSummary(p: CatalystPrincipal, cr: Awaited<ReturnType<ChangeRequestService['list']>>[number]) {
    return {
      ...cr,
      application: cr.application ?? null,
      version: cr.version ?? null,
      detail: async () => crDetail(await changeRequests.get(p, cr.id)),
    };
  }

  function blueprintNode(p: CatalystPrincipal, b: BlueprintSummary) {
    return {
      ...b,
      organization: b.organization ?? null,
      title: b.card?.title ?? null,
      usage: async () =>
        (await blueprints.usage(p, b.name, b.organization)).items.map(u => ({
          environment: u.application.environment,
          application: u.application.name,
          version: u.application.version,
          status: liveStatus(u.live),
        })),
    };
  }

  const changeResult = (r: ChangeResponse) => ({
    action: r.action,
    environment: r.environment,
    commit: r.commit.sha,
    applications: r.applications,
    replayed: r.replayed,
    changed: r.changed,
    changeRequest: r.changeRequest?.id ?? null,
  });

  const nullWhenNotFound = async <T>(run: () => Promise<T>): Promise<T | null> => {
    try {
      return await run();
    } catch (error) {
      if (isError(error) && error.name === 'NotFoundError') return null;
      throw error;
    }
  };

  return {
    organizations: async (_: unknown, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      const all = await queries.list(p);
      return (await onboarding.listOrganizations(p)).map(o => ({
        ...o,
        environments: () => all.filter(e => e.organization === o.name).map(e => envNode(p, e)),
      }));
    },
    environments: async ({ organization }: { organization?: string }, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      return (await queries.list(p, organization)).map(e => envNode(p, e));
    },
    environment: async ({ name }: { name: string }, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      return nullWhenNotFound(async () => envNode(p, await queries.get(p, name)));
    },
    blueprints: async ({ q, organization }: { q?: string; organization?: string }, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      return (await blueprints.list(p, { ...(q ? { q } : {}), ...(organization ? { organization } : {}) })).map(b =>
        blueprintNode(p, b),
      );
    },
    blueprint: async ({ name, organization }: { name: string; organization?: string }, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      return nullWhenNotFound(async () => blueprintNode(p, await blueprints.get(p, name, organization)));
    },
    changeRequests: async (
      args: { environment?: string; application?: string; state?: string; limit?: number },
      ctx: GraphqlContext,
    ) => {
      const p = await ctx.principal();
      const query = {
        ...(args.environment ? { environment: args.environment } : {}),
        ...(args.application ? { application: args.application } : {}),
        ...(args.state ? { state: args.state as never } : {}),
        limit: Math.min(Math.max(args.limit ?? 100, 1), 500),
      };
      return (await changeRequests.list(p, query)).map(cr => crSummary(p, cr));
    },
    changeRequest: async ({ id }: { id: string }, ctx: GraphqlContext) => {
      const p = await ctx.principal();
      return nullWhenNotFound(async () => crDetail(await changeRequests.get(p, id)));
    },

    install: ({ environment: env, input }: { environment: string; input: unknown }, ctx: GraphqlContext) =>
      ctx.write('install', { environment: env }, async () =>
        changeResult(await provisioning.install(await ctx.principal(), env, parsed(installBodySchema, input, 'input'))),
      ),
    configure: (
      { environment: env, application: app, input }: { environment: string; application: string; input: unknown },
      ctx: GraphqlContext,
    ) =>
      ctx.write('configure', { environment: env, application: app }, async () =>
        changeResult(
          await provisioning.update(await ctx.principal(), env, app, parsed(updateBodySchema, input, 'input')),
        ),
      ),
    promote: (args: Record<string, unknown>, ctx: GraphqlContext) =>
      ctx.write(
        'promote',
        { environment: String(args.targetEnvironment), application: String(args.application) },
        async () => {
          const body = parsed(
            promotionBodySchema,
            Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null)),
            'arguments',
          );
          return changeResult(await provisioning.promote(await ctx.principal(), body));
        },
      ),
    approve: ({ id, comment }: { id: string; comment?: string }, ctx: GraphqlContext) =>
      ctx.write('approve', { id }, async () =>
        crDetail(await changeRequests.approve(await ctx.principal(), id, comment ?? undefined)),
      ),
  };
}
