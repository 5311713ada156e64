import { z } from 'zod';
import { CATALYST_ROLES } from '../access/roles';
import { OVERLAY_SIZES, applicationPlacementSchema } from '../kinds/application';
import { ENV_TYPES } from '../naming/codes';
import { dependencyChoiceSchema } from '../install/types';
import { environmentPolicyRuleSchema } from '../policy/rules';

/**
 * Bodies of the catalyst REST API (plugins/catalyst-backend/README.md). Shared by the router (which
 * validates every request with them), the scaffolder's client and the frontend.
 */

const values = z.record(z.string(), z.unknown());

/** An opaque key that makes a retried write return the first result instead of committing twice. */
const idempotencyKey = z.string().regex(/^[A-Za-z0-9._:-]{8,128}$/, 'must be 8-128 characters of A-Z a-z 0-9 . _ : -');

/** @public */
export const installBodySchema = z.strictObject({
  application: z.string(),
  blueprint: z.string(),
  version: z.string().optional(),
  overlay: z.enum(OVERLAY_SIZES).optional(),
  values: values.default({}),
  placement: applicationPlacementSchema.optional(),
  dependencies: z.record(z.string(), dependencyChoiceSchema).default({}),
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type InstallBody = z.input<typeof installBodySchema>;

/**
 * PATCH an Application: new values (the whole configuration), overlay, version (upgrade), or
 * `paused` (scaled to zero on purpose, and back). @public
 */
export const updateBodySchema = z
  .strictObject({
    values: values.optional(),
    overlay: z.enum(OVERLAY_SIZES).optional(),
    version: z.string().optional(),
    paused: z.boolean().optional(),
    idempotencyKey: idempotencyKey.optional(),
  })
  .refine(b => b.values !== undefined || b.overlay !== undefined || b.version !== undefined || b.paused !== undefined, {
    message: 'give at least one of values, overlay, version or paused',
  });
/** @public */
export type UpdateBody = z.input<typeof updateBodySchema>;

/** @public */
export const rollbackBodySchema = z.strictObject({
  commit: z.string().regex(/^[0-9a-f]{40}$/, 'must be a full commit sha'),
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type RollbackBody = z.input<typeof rollbackBodySchema>;

/** @public */
export const createEnvironmentBodySchema = z.strictObject({
  organization: z.string(),
  envType: z.enum(ENV_TYPES),
  placement: z
    .strictObject({
      preset: z.enum(['small', 'medium', 'large']).default('small'),
      regions: z
        .array(z.string().regex(/^[a-z0-9-]{1,63}$/))
        .max(10)
        .default([]),
    })
    .default({ preset: 'small', regions: [] }),
  /** The EnvironmentPolicy rules the new Environment starts with (none: ungoverned). */
  policyRules: z.array(environmentPolicyRuleSchema).default([]),
  /** The same key again answers with the Environment that request created (a retried task). */
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type CreateEnvironmentBody = z.input<typeof createEnvironmentBodySchema>;

/** @public */
export const createOrganizationBodySchema = z.strictObject({
  name: z.string(),
  displayName: z.string().min(1).max(200),
  teams: z
    .array(z.string().regex(/^[a-z][a-z0-9-]{1,62}$/, 'team names are lower-case slugs'))
    .max(50)
    .default([]),
  /** The same key again answers with the Organization that request created (a retried task). */
  idempotencyKey: idempotencyKey.optional(),
});
/** @public */
export type CreateOrganizationBody = z.input<typeof createOrganizationBodySchema>;

const entityRef = z.string().regex(/^(user|group):[a-z0-9._-]+\/[a-z0-9._-]+$/, 'must be an entity ref');

/**
 * What the sign-in resolver last issued for a user (`POST /identities`, the auth plugin only): the
 * ownership refs of their newest Backstage token and the profile Catalyst authors commits with. A
 * token claiming more than the user's newest refs is stale (the user lost a team or role since).
 *
 * @public
 */
export const identityRecordSchema = z.strictObject({
  userRef: entityRef,
  ownershipRefs: z.array(entityRef).min(1).max(500),
  displayName: z.string().min(1).max(200).optional(),
  email: z.string().max(320).optional(),
  organization: z.string().max(64).optional(),
  role: z.enum(CATALYST_ROLES).optional(),
});
/** @public */
export type IdentityRecordBody = z.input<typeof identityRecordSchema>;
