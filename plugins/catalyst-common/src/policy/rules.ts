import { z } from 'zod';

/**
 * The rules an EnvironmentPolicy may hold (DESIGN §7). Shared by the EnvironmentPolicy kind schema
 * (`kinds/`) and the evaluator (`policy/evaluatePolicy`). Durations and cron expressions are checked
 * for form here and parsed by the evaluator; `validateEnvironmentPolicy` reports both.
 *
 * @public
 */
export const prRequiredRuleSchema = z
  .object({
    kind: z.literal('pr-required'),
    approvers: z.array(z.string().min(1)).min(1),
    minApprovals: z.number().int().min(1).optional(),
  })
  .strict();

/** @public */
export const soakRuleSchema = z
  .object({
    kind: z.literal('soak'),
    sourceEnvironment: z.string().min(1),
    duration: z.string().min(1),
  })
  .strict();

/** @public */
export const changeWindowRuleSchema = z
  .object({
    kind: z.literal('change-window'),
    cron: z.string().min(1),
    duration: z.string().min(1),
    timezone: z.string().min(1).optional(),
  })
  .strict();

/** @public */
export const freezeRuleSchema = z
  .object({
    kind: z.literal('freeze'),
    reason: z.string().min(1),
  })
  .strict();

/** @public */
export const environmentPolicyRuleSchema = z.discriminatedUnion('kind', [
  prRequiredRuleSchema,
  soakRuleSchema,
  changeWindowRuleSchema,
  freezeRuleSchema,
]);

/** @public */
export type EnvironmentPolicyRule = z.infer<typeof environmentPolicyRuleSchema>;
/** @public */
export type PrRequiredRule = z.infer<typeof prRequiredRuleSchema>;
/** @public */
export type SoakRule = z.infer<typeof soakRuleSchema>;
/** @public */
export type ChangeWindowRule = z.infer<typeof changeWindowRuleSchema>;
/** @public */
export type FreezeRule = z.infer<typeof freezeRuleSchema>;
