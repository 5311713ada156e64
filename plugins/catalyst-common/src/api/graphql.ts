import { z } from 'zod';

/** `POST /graphql`: a GraphQL request (the usual JSON body). @public */
export const graphqlBodySchema = z.strictObject({
  query: z.string().min(1).max(100_000),
  variables: z.record(z.string(), z.unknown()).nullish(),
  operationName: z.string().max(200).nullish(),
});
/** @public */
export type GraphqlBody = z.input<typeof graphqlBodySchema>;

/** A GraphQL answer: data and/or errors (each error's `extensions.code` is a Catalyst error code). @public */
export const graphqlResponseSchema = z.looseObject({
  data: z.record(z.string(), z.unknown()).nullish(),
  errors: z
    .array(
      z.looseObject({
        message: z.string(),
        path: z.array(z.union([z.string(), z.number()])).optional(),
        extensions: z.record(z.string(), z.unknown()).optional(),
      }),
    )
    .optional(),
});
/** @public */
export type GraphqlResponse = z.infer<typeof graphqlResponseSchema>;
