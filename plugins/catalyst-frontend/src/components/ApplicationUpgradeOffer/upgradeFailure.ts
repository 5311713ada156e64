import { CATALYST_ERROR_CODES, catalystErrorDetails } from '@internal/plugin-catalyst-common';
import { refusalOf } from '../../permissions/refusals';

function messageOf(error: unknown): string {
  const e = error as Error & { body?: { error?: { message?: string } }; cause?: { message?: string } };
  return e?.body?.error?.message ?? e?.cause?.message ?? e?.message ?? String(error);
}

/**
 * Why an upgrade (its dry run or the write) was refused, read from the answer's catalyst error code,
 * never its words: who may (`not-allowed`), the Blueprint's upgrade rules or invalid values (the
 * issues of `conflict` / `invalid-change`, e.g. `upgrade-blocked`), a missing Environment or
 * version, an unavailable dependency. Other failures show the server's message.
 */
export function upgradeFailureOf(error: unknown, scope: { environment: string; organization?: string }): string {
  const refusal = refusalOf(error, 'configure', scope);
  if (refusal) return refusal;
  const details = catalystErrorDetails(error);
  const issues = (details?.issues ?? []).map(i => i.message).join('; ');
  const environment = details?.environment ?? scope.environment;
  switch (details?.code) {
    case CATALYST_ERROR_CODES.conflict:
    case CATALYST_ERROR_CODES.invalidChange:
    case CATALYST_ERROR_CODES.invalidRequest:
      return issues || messageOf(error);
    case CATALYST_ERROR_CODES.notFound:
      return issues || 'The Application or the Blueprint version no longer exists';
    case CATALYST_ERROR_CODES.environmentNotFound:
      return `${environment} does not exist, or you may not read it`;
    case CATALYST_ERROR_CODES.notBootstrapped:
      return `${environment}'s repository is not set up yet; try again in a moment`;
    case CATALYST_ERROR_CODES.unavailable:
      return 'A service Catalyst needs is unavailable; try again in a moment';
    default:
      return messageOf(error);
  }
}
