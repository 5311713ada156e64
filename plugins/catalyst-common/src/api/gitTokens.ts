import { z } from 'zod';

/**
 * Personal Git tokens (DESIGN §9): a user creates one in the portal to clone and push Environment
 * repos and their Organization's `shared-blueprints` over HTTP. The secret is shown once, at
 * creation; Catalyst keeps only its SHA-256. A token is scoped to one Organization and acts with the
 * roles its owner holds there (the newest sign-in), so a lost role is lost for Git too.
 */

/** A token id: `gt-` and 12 hex digits (not the secret). @public */
export const GIT_TOKEN_ID = /^gt-[0-9a-f]{12}$/;

/** Every secret starts with this, so scanners and people can tell a Catalyst Git token. @public */
export const GIT_TOKEN_PREFIX = 'cgt_';

/** `POST /git-tokens`. @public */
export const createGitTokenBodySchema = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, 'give the token a name (where it is used)')
    .max(80)
    .regex(/^[\w .:@/-]+$/, 'letters, digits, spaces and . _ : @ / - only'),
  organization: z.string(),
  /** Days until it stops working (1–365); without it, until revoked. */
  expiresInDays: z.number().int().min(1).max(365).optional(),
});
/** @public */
export type CreateGitTokenBody = z.input<typeof createGitTokenBodySchema>;

/** A token as listed: never its secret. @public */
export const gitTokenSchema = z.looseObject({
  id: z.string(),
  name: z.string(),
  organization: z.string(),
  userRef: z.string(),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
/** @public */
export type GitToken = z.infer<typeof gitTokenSchema>;

/** The answer to a creation: the record and, this once, the secret and how to use it. @public */
export const createdGitTokenSchema = z.looseObject({
  token: gitTokenSchema,
  secret: z.string(),
  /** The clone URL prefix: `<base>/<organization>/<repo>.git`. */
  gitBaseUrl: z.string(),
});
/** @public */
export type CreatedGitToken = z.infer<typeof createdGitTokenSchema>;
