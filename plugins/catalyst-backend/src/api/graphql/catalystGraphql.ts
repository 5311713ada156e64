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
import {
  ASTVisitor,
  buildSchema,
  FieldNode,
  FragmentDefinitionNode,
  GraphQLError,
  GraphQLSchema,
  GraphQLScalarType,
  InlineFragmentNode,
  Kind,
  SelectionSetNode,
  ValidationContext,
} from 'graphql';
import type { z } from 'zod';
import type { BlueprintQueries } from '../../blueprints/BlueprintQueries';
import type { ChangeRequestService } from '../../changes/ChangeRequestService';
import type { OnboardingService } from '../../onboarding/OnboardingService';
import type { EnvironmentQueries } from '../../provisioning/EnvironmentQueries';
import type { ProvisioningService } from '../../provisioning/ProvisioningService';
import type { ReadSide } from '../../readside';

/**
 * The GraphQL surface (DESIGN §9): the same services, the same permission and EnvironmentPolicy
 * checks and the same input validation as REST — a resolver is a thin router too. Object fields
 * that cost a service call are functions, resolved only when selected.
 */
export const CATALYST_GRAPHQL_SDL = /* GraphQL */ `
  """
  Any JSON value (values, plans, policy rules, rule verdicts).
  """
  scalar JSON

  type Query {
    """
    Organizations the caller has a role in (every one for a sovereign-admin).
    """
    organizations: [Organization!]!
    """
    Environments the caller may read, optionally of one Organization.
    """
    environments(organization: String): [Environment!]!
    environment(name: String!): Environment
    """
    Marketplace: listed Blueprints, unlisted ones by exact name, private ones of readable Organizations.
    """
    blueprints(q: String, organization: String): [Blueprint!]!
    blueprint(name: String!, organization: String): Blueprint
    """
    Change requests of readable Environments, newest first.
    """
    changeRequests(environment: String, application: String, state: String, limit: Int): [ChangeRequestSummary!]!
    changeRequest(id: ID!): ChangeRequest
  }

  type Mutation {
    """
    Install a Blueprint: a commit, or a change request where the Environment is governed.
    """
    install(environment: String!, input: JSON!): ChangeResult!
    """
    Configure, upgrade, pause or resume an Application (the REST PATCH body as input).
    """
    configure(environment: String!, application: String!, input: JSON!): ChangeResult!
    """
    Copy an Application to another Environment of its Organization.
    """
    promote(
      sourceEnvironment: String!
      application: String!
      targetEnvironment: String!
      idempotencyKey: String
    ): ChangeResult!
    """
    Approve a change request (never your own).
    """
    approve(id: ID!, comment: String): ChangeRequest!
  }

  type Organization {
    name: String!
    displayName: String!
    teams: [String!]!
    environments: [Environment!]!
  }

  type Environment {
    name: String!
    organization: String!
    envType: String!
    governed: Boolean!
    canInstall: Boolean
    policy: JSON
    freeze: JSON
    openChangeRequests: Int!
    head: String
    """
    The Organization it belongs to (a graph can be walked both ways: hence the depth limit).
    """
    inOrganization: Organization!
    applications: [Application!]!
    application(name: String!): Application
    changeRequests(state: String): [ChangeRequestSummary!]!
  }

  type Application {
    name: String!
    environment: String!
    organization: String!
    blueprint: String!
    version: String!
    overlay: String
    paused: Boolean!
    dependents: [String!]!
    inEnvironment: Environment!
    """
    Live status from the read model (null until the projector has seen the Application).
    """
    status: LiveStatus
    values: JSON
  }

  type LiveStatus {
    status: String!
    reason: String!
    readyPods: Int!
    totalPods: Int!
    version: String
    targetVersion: String
  }

  type Blueprint {
    name: String!
    namespace: String!
    organization: String
    visibility: String!
    latestVersion: String!
    versions: [String!]!
    title: String
    """
    Applications pinned to this Blueprint in the caller's readable Environments, with live status.
    """
    usage: [BlueprintUsage!]!
  }

  type BlueprintUsage {
    environment: String!
    application: String!
    version: String!
    status: LiveStatus
  }

  type ChangeRequestSummary {
    id: ID!
    environment: String!
    application: String
    action: String!
    title: String!
    author: String!
    state: String!
    version: String
    approvals: Int!
    mergeable: Boolean!
    createdAt: String!
    detail: ChangeRequest
  }

  type ChangeRequest {
    id: ID!
    environment: String!
    application: String
    action: String!
    title: String!
    author: String!
    state: String!
    mergeable: Boolean!
    files: JSON!
    verdicts: JSON!
    approvals: JSON!
    timeline: JSON!
    can: JSON!
  }

  type ChangeResult {
    action: String!
    environment: String!
    commit: String!
    applications: [String!]!
    replayed: Boolean!
    changed: Boolean!
    """
    The change request a governed Environment opened instead of a commit on main.
    """
    changeRequest: String
  }
`;

/** The deepest selection a query may make (Query → Organization → Environment → Application → … ). */
export const MAX_DEPTH = 6;
/**
 * The most a query may cost: one point per field, list fields counted as if they returned 20
 * items. A query over the limit is refused before anything runs.
 */
export const MAX_COST = 20_000;
const LIST_FACTOR = 20;

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

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: value => value,
  parseValue: value => value,
  parseLiteral: () => {
    throw new GraphQLError('JSON arguments are passed as variables');
  },
});

/** The executable schema: SDL above, the JSON scalar attached. */
export function catalystGraphqlSchema(): GraphQLSchema {
  const schema = buildSchema(CATALYST_GRAPHQL_SDL);
  const json = schema.getType('JSON') as GraphQLScalarType;
  Object.assign(json, {
    serialize: JSONScalar.serialize,
    parseValue: JSONScalar.parseValue,
    parseLiteral: JSONScalar.parseLiteral,
  });
  return schema;
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

/** The root value: every Query and Mutation field, each calling one service. */
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

/** How deep a selection set goes, fragments followed (a cycle counts as too deep). */
function depthOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let deepest = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      deepest = Math.max(deepest, selection.selectionSet ? 1 + depthOf(selection.selectionSet, fragments, seen) : 1);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      deepest = Math.max(deepest, depthOf((selection as InlineFragmentNode).selectionSet, fragments, seen));
    } else {
      const name = selection.name.value;
      if (seen.has(name)) return Infinity;
      const fragment = fragments[name];
      if (fragment) deepest = Math.max(deepest, depthOf(fragment.selectionSet, fragments, new Set([...seen, name])));
    }
  }
  return deepest;
}

/** The cost of a selection set (see {@link MAX_COST}). */
function costOf(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  isList: (field: FieldNode, parent: string) => { list: boolean; type?: string },
  parent: string,
  seen: Set<string>,
): number {
  if (!set) return 0;
  let total = 0;
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) {
      const { list, type } = isList(selection, parent);
      const inner = type ? costOf(selection.selectionSet, fragments, isList, type, seen) : 0;
      total += 1 + (list ? LIST_FACTOR : 1) * inner;
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += costOf(selection.selectionSet, fragments, isList, parent, seen);
    } else {
      const name = selection.name.value;
      if (seen.has(name)) return Infinity;
      const fragment = fragments[name];
      if (fragment) total += costOf(fragment.selectionSet, fragments, isList, parent, new Set([...seen, name]));
    }
  }
  return total;
}

/**
 * A validation rule refusing queries deeper than {@link MAX_DEPTH} or costlier than
 * {@link MAX_COST} — before any resolver runs, so an abusive query costs only its parse.
 */
export function limitsRule(context: ValidationContext): ASTVisitor {
  const schema = context.getSchema();
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of context.getDocument().definitions) {
    if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  }
  const isList = (field: FieldNode, parent: string) => {
    const type = schema.getType(parent);
    const def =
      type && 'getFields' in type
        ? (type.getFields() as Record<string, { type: unknown }>)[field.name.value]
        : undefined;
    const text = def ? String(def.type) : '';
    const named = text.replace(/[[\]!]/g, '');
    return {
      list: text.startsWith('['),
      ...(schema.getType(named) && 'getFields' in schema.getType(named)! ? { type: named } : {}),
    };
  };
  return {
    OperationDefinition(node) {
      const depth = depthOf(node.selectionSet, fragments, new Set());
      if (depth > MAX_DEPTH) {
        context.reportError(
          new GraphQLError(
            `The query is ${
              Number.isFinite(depth) ? depth : 'infinitely'
            } levels deep; at most ${MAX_DEPTH} are allowed`,
            {
              nodes: [node],
              extensions: { code: CATALYST_ERROR_CODES.invalidRequest, limit: 'depth' },
            },
          ),
        );
        return;
      }
      const root = node.operation === 'mutation' ? 'Mutation' : 'Query';
      const cost = costOf(node.selectionSet, fragments, isList, root, new Set());
      if (cost > MAX_COST) {
        context.reportError(
          new GraphQLError(
            `The query would cost ${cost} points; at most ${MAX_COST} are allowed (list fields count ${LIST_FACTOR} items)`,
            {
              nodes: [node],
              extensions: { code: CATALYST_ERROR_CODES.invalidRequest, limit: 'cost' },
            },
          ),
        );
      }
    },
  };
}
