/**
 * The GraphQL surface (DESIGN §9): the same services, the same permission and EnvironmentPolicy
 * checks and the same input validation as REST. The schema text is in `sdl.ts`, the resolvers in
 * `resolvers.ts`, the depth and cost limits in `limits.ts`; this module assembles the executable
 * schema and is what `graphqlRouter.ts` imports.
 */
import { buildSchema, GraphQLError, GraphQLSchema, GraphQLScalarType } from 'graphql';
import { CATALYST_GRAPHQL_SDL } from './sdl';

export { CATALYST_GRAPHQL_SDL } from './sdl';
export { catalystGraphqlRoot } from './resolvers';
export type { GraphqlContext, GraphqlServices } from './resolvers';
export { limitsRule, MAX_COST, MAX_DEPTH } from './limits';

const JSONScalar = new GraphQLScalarType({
  name: 'JSON',
  serialize: value => value,
  parseValue: value => value,
  parseLiteral: () => {
    throw new GraphQLError('JSON arguments are passed as variables');
  },
});

/** The executable schema: the SDL of `sdl.ts`, the JSON scalar attached. */
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
