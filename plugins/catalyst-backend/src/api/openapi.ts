import {
  ENV_TYPES,
  NAME_PATTERNS,
  createEnvironmentBodySchema,
  createOrganizationBodySchema,
  installBodySchema,
  rollbackBodySchema,
  updateBodySchema,
} from '@internal/plugin-catalyst-common';
import { z } from 'zod';

/**
 * The OpenAPI 3.1 document of the catalyst REST API (DESIGN §9), served at
 * `GET /api/catalyst/openapi.json`. Request bodies are converted from the same zod schemas the
 * routes validate with, so the document cannot drift from what the server accepts; responses are
 * described in words (their shapes are catalyst-common's TypeScript types, see the plugin README).
 * `openapi.test.ts` fails when a route is added without an entry here.
 */

type Method = 'get' | 'post' | 'patch' | 'delete';

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  description: string;
  required?: boolean;
  schema?: Record<string, unknown>;
}

interface Operation {
  method: Method;
  /** Express form (`/environments/:environment`). */
  path: string;
  summary: string;
  /** The Catalyst permission checked, or who may call. */
  permission: string;
  tags: string[];
  query?: Parameter[];
  headers?: Parameter[];
  body?: z.ZodType;
  responses: Record<string, string>;
  /** No credentials needed. */
  public?: boolean;
  /** text/event-stream instead of JSON. */
  stream?: boolean;
}

// The shapes of the names (catalyst-common's); the server's validation is the authority.
const unanchored = (pattern: string) => pattern.replace(/^\^/, '').replace(/\$$/, '');
const ENVIRONMENT_NAME = `^${unanchored(NAME_PATTERNS.organization)}-(${ENV_TYPES.join('|')})$`;
const APPLICATION_NAME = NAME_PATTERNS.application;

const PATH_PARAMETERS: Record<string, Parameter> = {
  environment: {
    name: 'environment',
    in: 'path',
    description: 'Environment `{org}-{env_type}`',
    schema: { type: 'string', pattern: ENVIRONMENT_NAME },
  },
  env: {
    name: 'env',
    in: 'path',
    description: 'Environment `{org}-{env_type}`',
    schema: { type: 'string', pattern: ENVIRONMENT_NAME },
  },
  application: {
    name: 'application',
    in: 'path',
    description: 'Application (DNS label)',
    schema: { type: 'string', pattern: APPLICATION_NAME },
  },
  app: {
    name: 'app',
    in: 'path',
    description: 'Application (DNS label)',
    schema: { type: 'string', pattern: APPLICATION_NAME },
  },
  name: {
    name: 'name',
    in: 'path',
    description: 'Blueprint `bp-<name>`',
    schema: { type: 'string', pattern: NAME_PATTERNS.blueprint },
  },
  version: { name: 'version', in: 'path', description: 'Blueprint version (semver)', schema: { type: 'string' } },
  sha: {
    name: 'sha',
    in: 'path',
    description: 'Full commit sha',
    schema: { type: 'string', pattern: '^[0-9a-f]{40}$' },
  },
};

const organizationQuery: Parameter = {
  name: 'organization',
  in: 'query',
  description: 'Only this Organization',
  schema: { type: 'string' },
};

const read = 'catalyst.read on the Environment or Organization';

/** Every route the plugin serves under /api/catalyst. */
export const CATALYST_OPERATIONS: readonly Operation[] = [
  {
    method: 'get',
    path: '/health',
    summary: 'NATS, Git data dir and database',
    permission: 'none',
    tags: ['Service'],
    public: true,
    responses: { '200': 'All parts healthy', '503': 'A part is unhealthy (named in the body)' },
  },
  {
    method: 'get',
    path: '/openapi.json',
    summary: 'This document',
    permission: 'none',
    tags: ['Service'],
    public: true,
    responses: { '200': 'OpenAPI 3.1 document' },
  },
  {
    method: 'get',
    path: '/blueprints',
    summary: 'Marketplace list: listed Blueprints, unlisted ones by exact name, private ones of readable Organizations',
    permission: read,
    tags: ['Blueprints'],
    query: [
      {
        name: 'q',
        in: 'query',
        description: 'Search term (name, title, tagline, category, tags)',
        schema: { type: 'string', maxLength: 100 },
      },
      { name: 'category', in: 'query', description: 'Only this category', schema: { type: 'string', maxLength: 50 } },
      organizationQuery,
    ],
    responses: { '200': '`{items: BlueprintSummary[]}`' },
  },
  {
    method: 'get',
    path: '/blueprints/:name',
    summary: "One Blueprint with every version's configSchema, overlays, dependencies and README",
    permission: read,
    tags: ['Blueprints'],
    query: [organizationQuery],
    responses: { '200': '`BlueprintDetail`', '404': 'No such Blueprint visible to the caller' },
  },
  {
    method: 'get',
    path: '/blueprints/:name/versions/:version/files',
    summary: "A version's files (Compare versions)",
    permission: read,
    tags: ['Blueprints'],
    responses: { '200': '`{name, version, files}`', '404': 'No such version visible to the caller' },
  },
  {
    method: 'get',
    path: '/blueprints/:name/applications',
    summary: 'Applications installed from the Blueprint across readable Environments, with live status',
    permission: read,
    tags: ['Blueprints'],
    query: [organizationQuery],
    responses: { '200': '`{items}`: Application, Environment, version, status' },
  },
  {
    method: 'get',
    path: '/blueprint-releases/invalid',
    summary: 'Release tags that failed registration, with their errors',
    permission: read,
    tags: ['Blueprints'],
    responses: { '200': '`{items: InvalidBlueprintVersion[]}`' },
  },
  {
    method: 'get',
    path: '/organizations',
    summary: 'Organizations the caller may read',
    permission: read,
    tags: ['Organizations'],
    responses: { '200': '`{items: OrganizationSummary[]}`' },
  },
  {
    method: 'post',
    path: '/organizations',
    summary: 'Create an Organization (idempotent by `idempotencyKey` for the same user)',
    permission: 'sovereign-admin',
    tags: ['Organizations'],
    body: createOrganizationBodySchema,
    responses: {
      '201': 'Created',
      '200': 'Created earlier by the same request (same key, same user)',
      '400': 'Invalid name or body (the field is named)',
      '403': 'Not a sovereign-admin',
      '409': 'The name is taken',
    },
  },
  {
    method: 'get',
    path: '/environments',
    summary: 'Environments the caller may read, with policy, `governed` and `canInstall`',
    permission: read,
    tags: ['Environments'],
    query: [organizationQuery],
    responses: { '200': '`{items: EnvironmentOverview[]}`' },
  },
  {
    method: 'post',
    path: '/environments',
    summary:
      'Create an Environment; its repo exists when this answers (idempotent by `idempotencyKey` for the same user)',
    permission: 'catalyst.manage-environment in the Organization',
    tags: ['Environments'],
    body: createEnvironmentBodySchema,
    responses: {
      '201': 'Created: `EnvironmentOverview`',
      '200': 'Created earlier by the same request',
      '400': 'Invalid body (the field is named)',
      '403': 'Not allowed',
      '404': 'No such Organization',
      '409': 'The Organization already has this env type',
    },
  },
  {
    method: 'get',
    path: '/environments/:environment',
    summary: 'One Environment',
    permission: read,
    tags: ['Environments'],
    responses: { '200': '`EnvironmentOverview`', '404': 'Unknown or not readable' },
  },
  {
    method: 'get',
    path: '/environments/:environment/applications',
    summary: 'Applications at the repo head (desired state)',
    permission: read,
    tags: ['Applications'],
    responses: { '200': '`{items: ApplicationSummary[]}`' },
  },
  {
    method: 'post',
    path: '/environments/:environment/plan',
    summary: 'Dry run of an install: the plan, the rendered files and the changes; nothing is written',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    body: installBodySchema,
    responses: {
      '200': '`PlanResponse`',
      '400': 'Invalid values (the field is named)',
      '404': 'Unknown Blueprint or version',
      '409': 'Unresolvable dependencies',
    },
  },
  {
    method: 'post',
    path: '/environments/:environment/applications',
    summary: 'Install a Blueprint (with its dependencies) as one commit authored by the caller',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    body: installBodySchema,
    responses: {
      '201': '`ChangeResponse` with the commit',
      '200': 'Replayed: the commit of an earlier request with the same key',
      '400': 'Invalid values (the field is named); nothing written',
      '404': 'Unknown Blueprint or version',
      '409': 'Name taken, cycle, unsatisfiable range, or a governed Environment',
    },
  },
  {
    method: 'get',
    path: '/environments/:environment/applications/:application',
    summary: 'application.yaml, values and files of one Application',
    permission: read,
    tags: ['Applications'],
    responses: { '200': '`ApplicationDetail`', '404': 'No such Application' },
  },
  {
    method: 'post',
    path: '/environments/:environment/applications/:application/plan',
    summary: 'Dry run of a configure or upgrade',
    permission: 'catalyst.configure on the Environment',
    tags: ['Applications'],
    body: updateBodySchema,
    responses: {
      '200': '`PlanResponse`',
      '400': 'Invalid values (the field is named)',
      '409': 'Upgrade blocked by the Blueprint',
    },
  },
  {
    method: 'patch',
    path: '/environments/:environment/applications/:application',
    summary: 'Configure (values, overlay), upgrade (version) and/or pause or resume (paused) as one commit',
    permission: 'catalyst.configure on the Environment',
    tags: ['Applications'],
    body: updateBodySchema,
    responses: {
      '200': '`ChangeResponse` (`changed: false` when nothing changed)',
      '400': 'Invalid values (the field is named); nothing written',
      '409': 'Upgrade blocked, or a governed Environment',
    },
  },
  {
    method: 'delete',
    path: '/environments/:environment/applications/:application',
    summary: 'Uninstall as one commit',
    permission: 'catalyst.install on the Environment',
    tags: ['Applications'],
    query: [
      {
        name: 'idempotencyKey',
        in: 'query',
        description: 'The same key again returns the first commit',
        schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,128}$' },
      },
    ],
    responses: {
      '200': '`ChangeResponse`',
      '404': 'No such Application',
      '409': 'Other Applications depend on it (named)',
    },
  },
  {
    method: 'get',
    path: '/environments/:environment/applications/:application/history',
    summary: 'Commits that touched the Application, newest first',
    permission: read,
    tags: ['Applications'],
    query: [
      {
        name: 'limit',
        in: 'query',
        description: 'At most this many (1-500, default 50)',
        schema: { type: 'integer', minimum: 1, maximum: 500 },
      },
    ],
    responses: { '200': '`{items: HistoryEntry[]}`', '400': 'Bad limit' },
  },
  {
    method: 'get',
    path: '/environments/:environment/commits/:sha',
    summary: 'One commit with before/after contents of the files it changed',
    permission: read,
    tags: ['Applications'],
    query: [
      {
        name: 'application',
        in: 'query',
        description: "Only this Application's files",
        schema: { type: 'string', pattern: APPLICATION_NAME },
      },
    ],
    responses: { '200': '`HistoryEntry` with `changes`', '400': 'Not a full sha', '404': 'No such commit' },
  },
  {
    method: 'post',
    path: '/environments/:environment/rollback',
    summary: 'Revert one commit as a new commit',
    permission: 'catalyst.configure on the Environment',
    tags: ['Applications'],
    body: rollbackBodySchema,
    responses: { '200': '`ChangeResponse`', '409': 'Later commits changed the same files (named)' },
  },
  {
    method: 'get',
    path: '/catalog/entities',
    summary: 'Every Catalyst entity, for the catalog module',
    permission: 'Backstage service credentials only',
    tags: ['Service'],
    responses: { '200': '`{entities}`', '403': 'Not a service' },
  },
  {
    method: 'get',
    path: '/events',
    summary:
      'Live status (SSE): snapshot, change, ready, overflow and end events multiplexed over the requested Environments',
    permission: read,
    tags: ['Live status'],
    stream: true,
    query: [
      {
        name: 'environment',
        in: 'query',
        required: true,
        description: 'One or more Environments (repeat the parameter, at most 50)',
        schema: { type: 'array', items: { type: 'string', pattern: ENVIRONMENT_NAME }, maxItems: 50 },
      },
      {
        name: 'application',
        in: 'query',
        description: "Only these Applications' keys (plus the Environment summary)",
        schema: { type: 'array', items: { type: 'string', pattern: APPLICATION_NAME } },
      },
      {
        name: 'lastEventId',
        in: 'query',
        description: 'Resume cursor, for clients that cannot send Last-Event-ID',
        schema: { type: 'string', maxLength: 8192 },
      },
    ],
    headers: [
      {
        name: 'Last-Event-ID',
        in: 'header',
        description: 'Resume each Environment right after the revision this id names',
        schema: { type: 'string' },
      },
    ],
    responses: {
      '200': 'text/event-stream',
      '403': 'An Environment is not readable (named)',
      '404': 'Unknown Environment',
      '503': 'The read model is not available',
    },
  },
  {
    method: 'get',
    path: '/environments/:env/status',
    summary: "An Environment's live status from the read model",
    permission: read,
    tags: ['Live status'],
    responses: { '200': '`{environment, revision, summary, applications}`', '503': 'The read model is not available' },
  },
  {
    method: 'get',
    path: '/environments/:env/applications/:app/status',
    summary: "An Application's live status and recent events",
    permission: read,
    tags: ['Live status'],
    responses: { '200': '`{environment, revision, application, activity}`', '404': 'No such Application' },
  },
];

/** `/environments/:environment` → `/environments/{environment}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z]+)/g, '{$1}');
}

function bodySchema(schema: z.ZodType): Record<string, unknown> {
  // `input`: what a client sends (defaults are optional there); the $schema key belongs to a
  // standalone JSON Schema, not to one embedded in OpenAPI.
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

const errorSchema = {
  type: 'object',
  description: 'Backstage error JSON; `error.message` names the field or the reason',
  properties: {
    error: {
      type: 'object',
      properties: { name: { type: 'string' }, message: { type: 'string' } },
      required: ['name', 'message'],
    },
    response: { type: 'object', properties: { statusCode: { type: 'integer' } } },
  },
  required: ['error'],
};

/** The whole document; `version` is the plugin's. */
export function catalystOpenApiDocument(version: string): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of CATALYST_OPERATIONS) {
    const pathParameters = [...op.path.matchAll(/:([A-Za-z]+)/g)].map(m => ({
      ...PATH_PARAMETERS[m[1]],
      required: true,
    }));
    const responses: Record<string, unknown> = {};
    for (const [status, description] of Object.entries(op.responses)) {
      const ok = status.startsWith('2');
      let content: Record<string, unknown>;
      if (ok && op.stream) content = { 'text/event-stream': { schema: { type: 'string' } } };
      else if (ok) content = { 'application/json': { schema: { type: 'object' } } };
      else content = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
      responses[status] = { description, content };
    }
    if (!op.public && !responses['401']) {
      responses['401'] = {
        description: 'No or invalid credentials',
        content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
      };
    }
    paths[openApiPath(op.path)] ??= {};
    paths[openApiPath(op.path)][op.method] = {
      operationId: `${op.method}${openApiPath(op.path)
        .replace(/[{}]/g, '')
        .replace(/(^|[/.-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`,
      summary: op.summary,
      description: `Permission: ${op.permission}.`,
      tags: op.tags,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParameters, ...(op.query ?? []), ...(op.headers ?? [])],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: bodySchema(op.body) } } } }
        : {}),
      responses,
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Catalyst',
      version,
      description:
        'The REST API of the Catalyst backend plugin: Blueprints, Organizations, Environments, Applications and live status. Every change is one commit in the Environment repo.',
    },
    servers: [{ url: '/api/catalyst' }],
    security: [{ backstageToken: [] }],
    components: {
      securitySchemes: {
        backstageToken: { type: 'http', scheme: 'bearer', description: 'A Backstage user or service token' },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
