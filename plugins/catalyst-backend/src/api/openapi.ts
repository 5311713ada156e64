import {
  CATALYST_OPERATIONS,
  CatalystOperation,
  ENV_TYPES,
  errorResponseSchema,
  NAME_PATTERNS,
} from '@internal/plugin-catalyst-common';
import { z } from 'zod';

/**
 * The OpenAPI 3.1 document of the catalyst REST API (DESIGN §9), served at
 * `GET /api/catalyst/openapi.json` — generated from catalyst-common's operation table, the same
 * table the routers mount by and the client calls through: request bodies, query parameters and
 * answers are the zod schemas the server validates with and the client checks answers against.
 */

// The shapes of the names (catalyst-common's); the server's validation is the authority.
const unanchored = (pattern: string) => pattern.replace(/^\^/, '').replace(/\$$/, '');
const ENVIRONMENT_NAME = `^${unanchored(NAME_PATTERNS.organization)}-(${ENV_TYPES.join('|')})$`;

const PATH_PARAMETERS: Record<string, { description: string; schema: Record<string, unknown> }> = {
  environment: {
    description: 'Environment `{org}-{env_type}`',
    schema: { type: 'string', pattern: ENVIRONMENT_NAME },
  },
  application: {
    description: 'Application (DNS label)',
    schema: { type: 'string', pattern: NAME_PATTERNS.application },
  },
  name: { description: 'Blueprint `bp-<name>`', schema: { type: 'string', pattern: NAME_PATTERNS.blueprint } },
  version: { description: 'Blueprint version (semver)', schema: { type: 'string' } },
  sha: { description: 'Full commit sha', schema: { type: 'string', pattern: '^[0-9a-f]{40}$' } },
};

/** Extra words for query parameters whose schema does not say enough. */
const QUERY_DESCRIPTIONS: Record<string, string> = {
  q: 'Search term (name, title, tagline, category, tags)',
  category: 'Only this category',
  organization: 'Only this Organization',
  limit: 'At most this many (1-500, default 50)',
  application: "Only this Application's files (commits) or keys (live status)",
  idempotencyKey: 'The same key again returns the first commit',
  environment: 'One or more Environments (repeat the parameter)',
  lastEventId: 'Resume cursor, for clients that cannot send Last-Event-ID',
};

/** `/environments/:environment` → `/environments/{environment}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z]+)/g, '{$1}');
}

/** A zod schema as JSON Schema embedded in OpenAPI (`io` picks what a client sends or receives). */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // The $schema key belongs to a standalone JSON Schema, not to one embedded in OpenAPI.
  const { $schema: _ignored, ...json } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
  return json;
}

function queryParameters(op: CatalystOperation): Array<Record<string, unknown>> {
  if (!op.query) return [];
  const schema = jsonSchema(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(schema.properties ?? {}).map(([name, property]) => ({
    name,
    in: 'query',
    description: QUERY_DESCRIPTIONS[name] ?? name,
    required: schema.required?.includes(name) ?? false,
    schema: property,
  }));
}

const operationId = (op: CatalystOperation) =>
  `${op.method.toLowerCase()}${openApiPath(op.path)
    .replace(/[{}]/g, '')
    .replace(/(^|[/.-])([a-z])/g, (_m, _s, c: string) => c.toUpperCase())}`;

/** The whole document; `version` is the plugin's. */
export function catalystOpenApiDocument(version: string): Record<string, unknown> {
  const errorRef = { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } };
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [id, op] of Object.entries(CATALYST_OPERATIONS) as Array<[string, CatalystOperation]>) {
    const pathParameters = [...op.path.matchAll(/:([A-Za-z]+)/g)].map(m => ({
      name: m[1],
      in: 'path',
      required: true,
      ...PATH_PARAMETERS[m[1]],
    }));
    const headers = op.stream
      ? [
          {
            name: 'Last-Event-ID',
            in: 'header',
            description: 'Resume each Environment right after the revision this id names',
            schema: { type: 'string' },
          },
        ]
      : [];
    const responses: Record<string, unknown> = {};
    for (const status of op.success) {
      responses[String(status)] = {
        description: status === op.success[0] ? 'Success' : 'Success (an earlier identical request)',
        content: op.stream
          ? { 'text/event-stream': { schema: { type: 'string' } } }
          : { 'application/json': { schema: op.response ? jsonSchema(op.response, 'output') : {} } },
      };
    }
    for (const [status, description] of Object.entries(op.errors)) {
      responses[status] = { description, content: errorRef };
    }
    if (!op.public) responses['401'] = { description: 'No or invalid credentials', content: errorRef };
    paths[openApiPath(op.path)] ??= {};
    paths[openApiPath(op.path)][op.method.toLowerCase()] = {
      operationId: operationId(op),
      'x-catalyst-client-method': id,
      summary: op.summary,
      description: `Permission: ${op.permission}.`,
      tags: op.tags,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParameters, ...queryParameters(op), ...headers],
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(op.body, 'input') } } } }
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
        'The REST API of the Catalyst backend plugin: Blueprints, Organizations, Environments, Applications and live status. Every change is one commit in the Environment repo. Error answers carry a machine-readable `error.code`.',
    },
    servers: [{ url: '/api/catalyst' }],
    security: [{ backstageToken: [] }],
    components: {
      securitySchemes: {
        backstageToken: { type: 'http', scheme: 'bearer', description: 'A Backstage user or service token' },
      },
      schemas: { Error: jsonSchema(errorResponseSchema, 'output') },
    },
    paths,
  };
}
