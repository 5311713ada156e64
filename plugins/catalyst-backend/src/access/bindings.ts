import { Config } from '@backstage/config';
import { CATALYST_ROLES, RoleBinding } from '@internal/plugin-catalyst-common';
import { z } from 'zod';

const bindingSchema = z.strictObject({
  subject: z.string().regex(/^(user|group):[^/\s]+\/[^/\s]+$/, 'must be an entity ref like group:acme/team-platform'),
  role: z.enum(CATALYST_ROLES),
  organization: z.string().min(1),
  environments: z.array(z.string().min(1)).min(1).optional(),
});

/**
 * Reads `catalyst.access.bindings`: who (a User or Group ref) holds which Catalyst role where.
 * A malformed binding stops the start with the config path, rather than silently granting nothing.
 */
export function readRoleBindings(config: Config): RoleBinding[] {
  const raw = config.getOptional<unknown[]>('catalyst.access.bindings') ?? [];
  if (!Array.isArray(raw)) throw new Error('catalyst.access.bindings must be a list');
  return raw.map((entry, i) => {
    const parsed = bindingSchema.safeParse(entry);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(
        `catalyst.access.bindings[${i}]${issue.path.length ? `.${issue.path.join('.')}` : ''}: ${issue.message}`,
      );
    }
    if (parsed.data.role === 'sovereign-admin' && parsed.data.organization !== '*') {
      throw new Error(
        `catalyst.access.bindings[${i}].organization: sovereign-admin is held across all Organizations; use '*'`,
      );
    }
    return parsed.data;
  });
}
