import type { BackstageCredentials, HttpAuthService } from '@backstage/backend-plugin-api';
import { isError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import { CATALYST_ERROR_CODES } from '@internal/plugin-catalyst-common';
import type { Request } from 'express';
import type { CatalystAudit } from '../audit/CatalystAudit';

/**
 * Authenticates a request on any Catalyst surface. The plugin lets requests past Backstage's
 * credentials barrier (plugin.ts), so this is where missing, forged, expired and wrong-audience
 * tokens are refused: 401 with code `unauthenticated`, or 403 `not-allowed` for good credentials of
 * a kind the route does not take (a backend plugin writing) — and the refusal is audited.
 */
export async function authenticateRequest(
  deps: { httpAuth: HttpAuthService; audit: CatalystAudit },
  req: Request,
  options: {
    allow: Array<'user' | 'service'>;
    /** Backstage's cookie credentials too (a browser's EventSource cannot send a header). */
    allowLimitedAccess?: boolean;
    eventId: string;
    surface: string;
    target: JsonObject;
  },
): Promise<BackstageCredentials> {
  try {
    return await deps.httpAuth.credentials(req, {
      allow: options.allow,
      ...(options.allowLimitedAccess ? { allowLimitedAccess: true } : {}),
    });
  } catch (error) {
    const unauthenticated = isError(error) && error.name === 'AuthenticationError';
    const refused = Object.assign(isError(error) ? error : new Error(String(error)), {
      code: unauthenticated ? CATALYST_ERROR_CODES.unauthenticated : CATALYST_ERROR_CODES.notAllowed,
    });
    // Credentials that verified but are the wrong kind still name an actor for the audit.
    const credentials = unauthenticated
      ? undefined
      : await deps.httpAuth
          .credentials(req, { allowLimitedAccess: !!options.allowLimitedAccess })
          .catch(() => undefined);
    await deps.audit.refusedAtTheDoor(
      {
        eventId: options.eventId,
        surface: options.surface,
        request: req,
        ...(credentials ? { credentials } : {}),
        target: options.target,
      },
      refused,
    );
    throw refused;
  }
}
