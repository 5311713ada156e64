import { z } from 'zod';
import { createdGitTokenSchema, createGitTokenBodySchema, gitTokenSchema } from './gitTokens';
import { graphqlBodySchema, graphqlResponseSchema } from './graphql';
import { op } from './operationTable';
import { identityRecordSchema } from './requests';
import { catalogEntitiesSchema, itemsSchema } from './responseSchemas';

/** The other ways in: personal Git tokens, Backstage's own plugins, GraphQL. */
export const integrationOperations = {
  listGitTokens: op({
    method: 'GET',
    path: '/git-tokens',
    summary: "The caller's personal Git tokens (never their secrets), revoked ones included",
    permission: 'a signed-in user (their own tokens)',
    tags: ['Git'],
    response: itemsSchema(gitTokenSchema),
    success: [200],
    errors: { '403': 'Not a user' },
  }),
  createGitToken: op({
    method: 'POST',
    path: '/git-tokens',
    summary:
      'Create a personal Git token for one Organization: clone and fetch where the user may read, push where they may configure (the secret is in this answer only)',
    permission: 'catalyst.read in the Organization',
    tags: ['Git'],
    body: createGitTokenBodySchema,
    response: createdGitTokenSchema,
    success: [201],
    errors: { '400': 'Invalid body (the field is named)', '403': 'Not a user, or not in that Organization' },
  }),
  revokeGitToken: op({
    method: 'DELETE',
    path: '/git-tokens/:token',
    summary: 'Revoke one of your Git tokens: it stops working at once',
    permission: "the token's owner",
    tags: ['Git'],
    response: gitTokenSchema,
    success: [200],
    errors: { '404': 'No such token of yours' },
  }),
  recordIdentity: op({
    method: 'POST',
    path: '/identities',
    summary:
      'Record the ownership refs and profile a sign-in or token refresh issued; tokens claiming more are refused from then on',
    permission: 'the auth plugin only (its sign-in resolver)',
    tags: ['Service'],
    body: identityRecordSchema,
    response: z.looseObject({ userRef: z.string(), updatedAt: z.string() }),
    success: [200],
    errors: { '400': 'Invalid record (the field is named)', '403': 'Not the auth plugin' },
  }),
  getCatalogEntities: op({
    method: 'GET',
    path: '/catalog/entities',
    summary: 'Every Catalyst entity, for the catalog module',
    permission: 'Backstage service credentials only',
    tags: ['Service'],
    response: catalogEntitiesSchema,
    success: [200],
    errors: { '403': 'Not a backend plugin' },
  }),
  graphql: op({
    method: 'POST',
    path: '/graphql',
    summary:
      'GraphQL over the same services and permissions as REST: Organizations, Environments, Applications with live status, Blueprints with usage, change requests; mutations install, configure, promote, approve (schema: GET /graphql/schema)',
    permission: 'each field checks the permission its REST operation checks',
    tags: ['GraphQL'],
    body: graphqlBodySchema,
    response: graphqlResponseSchema,
    success: [200],
    errors: { '400': 'Not a GraphQL request, a query that does not validate, or one over the depth or cost limit' },
  }),
  graphqlSchema: op({
    method: 'GET',
    path: '/graphql/schema',
    summary: 'The GraphQL schema (SDL), published beside this document',
    permission: 'none',
    tags: ['GraphQL'],
    public: true,
    response: z.string(),
    success: [200],
    errors: {},
  }),
} as const;
