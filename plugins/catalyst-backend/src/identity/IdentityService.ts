import { NotAllowedError } from '@backstage/errors';
import { CATALYST_ERROR_CODES, IdentityRecordBody } from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { IdentityRecord, IdentityRecords } from './IdentityRecords';

/** The auth plugin's service principal: only its sign-in resolver may record identities. */
const AUTH_PLUGIN = 'plugin:auth';

/**
 * Records what the sign-in resolver issued at a sign-in or token refresh (see {@link IdentityRecords}).
 * Only the auth plugin may write them: anyone else could otherwise revoke a user's tokens, or give
 * commits a false author.
 */
export class IdentityService {
  private constructor(private readonly deps: { records: IdentityRecords; now: () => Date }) {}

  static create(deps: IdentityService['deps']): IdentityService {
    return new IdentityService(deps);
  }

  async record(principal: CatalystPrincipal, body: IdentityRecordBody): Promise<IdentityRecord> {
    if (!principal.service || principal.userRef !== AUTH_PLUGIN) {
      throw Object.assign(new NotAllowedError('only the auth plugin records identities'), {
        code: CATALYST_ERROR_CODES.notAllowed,
      });
    }
    return this.deps.records.record(body, this.deps.now());
  }
}
