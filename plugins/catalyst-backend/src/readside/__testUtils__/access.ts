import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalystAccess, CatalystPrincipal } from '@internal/plugin-catalyst-node';

/** A CatalystAccess where each user (or service subject) reads exactly the listed Environments. */
export function testAccess(readable: Record<string, string[]>): CatalystAccess {
  return {
    async principal(credentials: BackstageCredentials): Promise<CatalystPrincipal> {
      const p = credentials.principal as { type: string; userEntityRef?: string; subject?: string };
      const userRef = p.userEntityRef ?? p.subject ?? 'unknown';
      return { userRef, displayName: userRef, ownershipRefs: [userRef], grants: [], credentials };
    },
    decide: () => ({ allowed: true }),
    authorize: async () => ({ allowed: true }),
    async readableEnvironments(principal) {
      return readable[principal.userRef] ?? [];
    },
  };
}
