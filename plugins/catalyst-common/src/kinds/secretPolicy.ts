import { z } from 'zod';
import { parseDuration } from '../duration';
import { CatalystIssue } from '../issues';
import { validateOrganizationName } from '../naming';
import {
  CatalystValidation,
  combine,
  kindSchema,
  metadataSchema,
  nameIssues,
  notAnObject,
  parseWith,
  stringMapSchema,
} from './common';

/** @public */
export const SECRET_CLASSES = [
  'database-credentials',
  'api-token',
  'oauth-client-secret',
  'signing-key',
  'tls-cert',
] as const;

/** Roles that may approve a manual rotation: DESIGN §8's roles (access/ owns their permissions). */
const APPROVER_ROLES = ['sovereign-admin', 'org-admin', 'org-developer', 'org-viewer', 'security-officer'] as const;

/** @public */
export const secretPolicyRuleSchema = z.strictObject({
  kind: z.enum(SECRET_CLASSES),
  maxTTL: z.string().min(1),
  autoRotate: z.boolean().optional(),
  rotateBefore: z.string().min(1).optional(),
  requireApproval: z.array(z.enum(APPROVER_ROLES)).min(1).optional(),
});

/**
 * Rotation rules per credential class for the Organizations it selects (reference §3.7).
 *
 * @public
 */
export const secretPolicySchema = kindSchema(
  'SecretPolicy',
  metadataSchema,
  z.strictObject({
    appliesTo: z.strictObject({
      organizationLabels: stringMapSchema.optional(),
      organizations: z.array(z.string()).optional(),
    }),
    rules: z.array(secretPolicyRuleSchema).min(1),
  }),
);

/** @public */
export type SecretPolicy = z.infer<typeof secretPolicySchema>;
/** @public */
export type SecretPolicyRule = z.infer<typeof secretPolicyRuleSchema>;

const CERT_MANAGER = 'cert-manager-managed';

/** @public */
export function validateSecretPolicy(doc: unknown): CatalystValidation<SecretPolicy> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const extra: CatalystIssue[] = nameIssues(doc, 'SecretPolicy name');
  const parsed = parseWith(secretPolicySchema, doc);
  if (!parsed.ok) return combine(parsed, extra);
  const { spec } = parsed.value;
  spec.appliesTo.organizations?.forEach((org, i) => {
    const r = validateOrganizationName(org, `spec.appliesTo.organizations[${i}]`);
    if (!r.ok) extra.push(...r.errors);
  });
  const classes = new Set<string>();
  spec.rules.forEach((rule, i) => {
    const base = `spec.rules[${i}]`;
    if (classes.has(rule.kind)) {
      extra.push({
        code: 'duplicate',
        path: `${base}.kind`,
        message: `credential class "${rule.kind}" has two rules`,
      });
    }
    classes.add(rule.kind);
    if (rule.maxTTL === CERT_MANAGER) {
      if (rule.kind !== 'tls-cert') {
        extra.push({
          code: 'invalid-value',
          path: `${base}.maxTTL`,
          message: `${CERT_MANAGER} applies to tls-cert only`,
        });
      }
      return;
    }
    const ttl = parseDuration(rule.maxTTL, `${base}.maxTTL`);
    if (!ttl.ok) extra.push(ttl.issue);
    if (rule.rotateBefore !== undefined) {
      const before = parseDuration(rule.rotateBefore, `${base}.rotateBefore`);
      if (!before.ok) extra.push(before.issue);
      else if (ttl.ok && before.ms >= ttl.ms) {
        extra.push({
          code: 'invalid-value',
          path: `${base}.rotateBefore`,
          message: `rotateBefore (${rule.rotateBefore}) must be shorter than maxTTL (${rule.maxTTL})`,
        });
      }
    }
    if (rule.autoRotate === false && !rule.requireApproval) {
      extra.push({
        code: 'required',
        path: `${base}.requireApproval`,
        message: 'manual rotation (autoRotate: false) needs the roles that approve it',
      });
    }
  });
  return combine(parsed, extra);
}
