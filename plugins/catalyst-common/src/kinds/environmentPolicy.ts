import { z } from 'zod';
import { CatalystIssue } from '../issues';
import { validateEnvironmentPolicyRules } from '../policy/compileRules';
import { environmentPolicyRuleSchema } from '../policy/rules';
import { parseEnvironmentName } from '../naming';
import { CatalystValidation, combine, kindSchema, metadataSchema, nameIssues, notAnObject, parseWith } from './common';

/**
 * Gates every change landing in the Environments it applies to (DESIGN §7). Rules come from
 * `policy/rules.ts`; an empty rule list is a valid "no gates" policy.
 *
 * @public
 */
export const environmentPolicySchema = kindSchema(
  'EnvironmentPolicy',
  metadataSchema,
  z.strictObject({
    appliesTo: z.strictObject({ environments: z.array(z.string()).min(1) }),
    rules: z.array(environmentPolicyRuleSchema).default([]),
    /**
     * When every rule passes: `automatic` (default) — Catalyst merges the change request;
     * `manual` — it waits for someone allowed to merge to click Merge.
     */
    merge: z.enum(['automatic', 'manual']).optional(),
  }),
);

/** @public */
export type EnvironmentPolicy = z.infer<typeof environmentPolicySchema>;

/**
 * Schema plus the checks the schema cannot express: Environment names, durations, crons and time
 * zones (as the evaluator compiles them), a soak in itself, and more than one freeze.
 *
 * @public
 */
export function validateEnvironmentPolicy(doc: unknown): CatalystValidation<EnvironmentPolicy> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const extra: CatalystIssue[] = nameIssues(doc, 'EnvironmentPolicy name');
  const parsed = parseWith(environmentPolicySchema, doc);
  if (!parsed.ok) return combine(parsed, extra);
  const { spec } = parsed.value;
  spec.appliesTo.environments.forEach((env, i) => {
    const r = parseEnvironmentName(env, `spec.appliesTo.environments[${i}]`);
    if (!r.ok) extra.push(...r.errors);
  });
  let freezes = 0;
  // Durations, cron expressions and time zones are checked by the evaluator's own compiler, so a
  // policy that validates here is one evaluatePolicy can run.
  extra.push(...validateEnvironmentPolicyRules(spec.rules, { path: 'spec.rules' }));
  spec.rules.forEach((rule, i) => {
    const base = `spec.rules[${i}]`;
    if (rule.kind === 'soak') {
      const r = parseEnvironmentName(rule.sourceEnvironment, `${base}.sourceEnvironment`);
      if (!r.ok) extra.push(...r.errors);
      else if (spec.appliesTo.environments.includes(rule.sourceEnvironment)) {
        extra.push({
          code: 'invalid-value',
          path: `${base}.sourceEnvironment`,
          message: 'an Environment cannot soak in itself',
        });
      }
    }
    if (rule.kind === 'freeze') freezes++;
  });
  if (freezes > 1) {
    extra.push({
      code: 'duplicate',
      path: 'spec.rules',
      message: 'a policy may hold at most one freeze',
    });
  }
  return combine(parsed, extra);
}
