import { z } from 'zod';
import { CatalystValidation, combine, kindSchema, metadataSchema, nameIssues, notAnObject, parseWith } from './common';

/**
 * Declarative auto-remediation (reference §3.8). Steps are either a command to `run` or a condition
 * to `verify`; Catalyst only stores and shows them, the runbook controller executes them.
 *
 * @public
 */
export const runbookSchema = kindSchema(
  'Runbook',
  metadataSchema,
  z.strictObject({
    triggers: z.array(z.strictObject({ alertName: z.string().min(1) })).min(1),
    preconditions: z.array(z.strictObject({ check: z.string().min(1) })).default([]),
    steps: z
      .array(z.union([z.strictObject({ run: z.string().min(1) }), z.strictObject({ verify: z.string().min(1) })]))
      .min(1),
    rollback: z.string().min(1).optional(),
  }),
);

/** @public */
export type Runbook = z.infer<typeof runbookSchema>;

/** @public */
export function validateRunbook(doc: unknown): CatalystValidation<Runbook> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  return combine(parseWith(runbookSchema, doc), nameIssues(doc, 'Runbook name'));
}
