import type { BackstageCredentials, HttpAuthService } from '@backstage/backend-plugin-api';
import { InputError, isError, NotAllowedError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CATALYST_OPERATIONS as OPS,
  findForbiddenKeys,
  graphqlBodySchema,
} from '@internal/plugin-catalyst-common';
import type { CatalystAccess, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import express from 'express';
import Router from 'express-promise-router';
import { execute, GraphQLError, GraphQLFormattedError, parse, specifiedRules, validate } from 'graphql';
import { authenticateRequest } from '../access/authenticate';
import type { CatalystAudit } from '../audit/CatalystAudit';
import {
  CATALYST_GRAPHQL_SDL,
  catalystGraphqlRoot,
  catalystGraphqlSchema,
  GraphqlContext,
  GraphqlServices,
  limitsRule,
} from './graphql/catalystGraphql';

const STATUS_BY_NAME: Record<string, number> = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  ConflictError: 409,
};

/** The Catalyst error behind a resolver's error, in the shape REST answers carry. */
function formatted(error: GraphQLError): GraphQLFormattedError {
  const original = error.originalError as
    | (Error & { code?: string; issues?: unknown; environment?: string })
    | undefined;
  if (!original || original instanceof GraphQLError) return error.toJSON();
  const status = STATUS_BY_NAME[original.name] ?? 500;
  return {
    message: status === 500 ? 'Internal error' : original.message,
    ...(error.locations ? { locations: error.locations } : {}),
    ...(error.path ? { path: error.path } : {}),
    extensions: {
      code: original.code ?? (status === 500 ? 'internal' : original.name),
      status,
      ...(original.issues ? { issues: original.issues } : {}),
      ...(original.environment ? { environment: original.environment } : {}),
    },
  };
}

/**
 * `POST /graphql` and `GET /graphql/schema` (DESIGN §9). Each request authenticates like a REST
 * route; each mutation is one audited write through the same service as its REST operation, and
 * a refused read is audited too. Queries over the depth or cost limit are refused before they run.
 */
export function createGraphqlRouter(o: {
  services: GraphqlServices;
  httpAuth: HttpAuthService;
  access: CatalystAccess;
  audit: CatalystAudit;
}) {
  const router = Router();
  const schema = catalystGraphqlSchema();
  const root = catalystGraphqlRoot(o.services);
  const rules = [...specifiedRules, limitsRule];
  const jsonBody = express.json({ limit: '256kb' });

  router.get(OPS.graphqlSchema.path, (_req, res) => {
    res.type('text/plain').send(CATALYST_GRAPHQL_SDL.trim());
  });

  router.post(OPS.graphql.path, async (req, res) => {
    // who first, as on every route: an anonymous caller learns nothing about the schema's rules
    const credentials: BackstageCredentials = await authenticateRequest(o, req, {
      allow: ['user', 'service'],
      eventId: 'graphql',
      surface: 'graphql',
      target: {},
    });
    await new Promise<void>((resolve, reject) => jsonBody(req, res, error => (error ? reject(error) : resolve())));
    const raw: unknown = req.body ?? {};
    const forbidden = findForbiddenKeys(raw);
    const body = graphqlBodySchema.safeParse(raw);
    if (forbidden.length || !body.success) {
      const issues = forbidden.length
        ? forbidden
        : body.error!.issues.slice(0, 5).map(i => ({
            code: 'invalid-request',
            path: i.path.join('.') || 'body',
            message: i.message,
          }));
      throw Object.assign(new InputError(`Invalid request: ${issues.map(i => `${i.path}: ${i.message}`).join('; ')}`), {
        code: CATALYST_ERROR_CODES.invalidRequest,
        issues,
      });
    }
    let document;
    try {
      document = parse(body.data.query);
    } catch (error) {
      res.status(400).json({ errors: [(error as GraphQLError).toJSON()] });
      return;
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length) {
      res.status(400).json({ errors: invalid.map(e => e.toJSON()) });
      return;
    }

    let principal: Promise<CatalystPrincipal> | undefined;
    const context: GraphqlContext = {
      principal: () => (principal ??= o.access.principal(credentials)),
      write: async (field, target, run) =>
        o.audit.attempt(
          { eventId: `graphql-${field}`, surface: 'graphql', write: true, request: req, credentials, target },
          async () => {
            // writes only from users, so every commit has a person as its author (as on REST)
            if ((await context.principal()).service) {
              throw Object.assign(new NotAllowedError('Backstage plugins may read through GraphQL, not write'), {
                code: CATALYST_ERROR_CODES.notAllowed,
              });
            }
            return run();
          },
        ),
    };
    const result = await execute({
      schema,
      document,
      rootValue: root,
      contextValue: context,
      variableValues: body.data.variables ?? undefined,
      operationName: body.data.operationName ?? undefined,
    });
    const errors = result.errors?.map(formatted);
    // A refused read is audited like a refused REST read (mutations were audited as they ran).
    for (const error of result.errors ?? []) {
      const original = error.originalError;
      const field = String(error.path?.[0] ?? 'query');
      const isMutation = document.definitions.some(d => d.kind === 'OperationDefinition' && d.operation === 'mutation');
      if (
        !isMutation &&
        original &&
        isError(original) &&
        ['NotAllowedError', 'AuthenticationError'].includes(original.name)
      ) {
        await o.audit.refusedAtTheDoor(
          { eventId: `graphql-${field}`, surface: 'graphql', request: req, credentials, target: { field } },
          original,
        );
      }
    }
    res.json({ ...(result.data !== undefined ? { data: result.data } : {}), ...(errors ? { errors } : {}) });
  });
  return router;
}
