import type { LoggerService } from '@backstage/backend-plugin-api';
import type { AuthResolverContext, BackstageSignInResult, OAuthAuthenticatorResult } from '@backstage/plugin-auth-node';
import {
  identityFromClaims,
  IdentityMapping,
  identityOwnershipRefs,
  IdentityRecordBody,
} from '@internal/plugin-catalyst-common';

/** Where the resolver reports what it issued (the catalyst plugin's identity records). */
export type IdentityRecorder = (record: IdentityRecordBody) => Promise<void>;

/**
 * Catalyst's sign-in resolver: the identity provider's claims → a User ref, the Organization, the
 * team Groups and one Catalyst role (catalyst-common's `identityFromClaims`), issued as the Backstage
 * token's subject and ownership refs — no catalog lookup, so people missing from the catalog sign in
 * with a correct identity. Runs again at every token refresh; what it issued is recorded, so tokens
 * issued before a lost membership stop working.
 */
export function catalystSignInResolver<TProfile>(options: {
  mapping: IdentityMapping;
  claimsOf: (result: OAuthAuthenticatorResult<TProfile>) => Record<string, unknown>;
  /** The Organization the issuer belongs to (the per-organization topology). */
  issuerOrganization?: string;
  record: IdentityRecorder;
  logger: LoggerService;
}) {
  return async (
    info: { result: OAuthAuthenticatorResult<TProfile> },
    ctx: AuthResolverContext,
  ): Promise<BackstageSignInResult> => {
    const result = identityFromClaims(options.claimsOf(info.result), options.mapping, options.issuerOrganization);
    if (!result.ok) throw new Error(`Sign-in refused: ${result.reason}`);
    const { identity } = result;
    const ownershipRefs = identityOwnershipRefs(identity);
    try {
      await options.record({
        userRef: identity.userRef,
        ownershipRefs,
        ...(identity.displayName ? { displayName: identity.displayName } : {}),
        ...(identity.email ? { email: identity.email } : {}),
        ...(identity.organization ? { organization: identity.organization } : {}),
        ...(identity.role ? { role: identity.role } : {}),
      });
    } catch (error) {
      // Sign-in goes on: the token itself is right; only the revocation of older ones waits for
      // the next successful record.
      options.logger.warn(`Could not record the identity of ${identity.userRef}`, {
        error: error instanceof Error ? error.message : String(error),
      });
    }
    options.logger.info(`Signed in ${identity.userRef}`, {
      user: identity.userRef,
      organization: identity.organization ?? '',
      role: identity.role ?? '',
      teams: identity.teams.join(','),
    });
    return ctx.issueToken({ claims: { sub: identity.userRef, ent: ownershipRefs } });
  };
}
