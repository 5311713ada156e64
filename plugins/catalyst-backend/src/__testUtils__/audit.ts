import type { HttpAuthService } from '@backstage/backend-plugin-api';
import { AuditorEvent, DefaultAuditorService } from '@backstage/backend-defaults/auditor';
import { mockServices } from '@backstage/backend-test-utils';
import { CatalystAudit } from '../audit/CatalystAudit';

/**
 * A CatalystAudit on Backstage's own auditor implementation (which resolves the actor from the
 * request through `httpAuth`), recording its events instead of logging them: for tests that build
 * a router without a whole backend. The backend-level tests get the same from the test backend.
 */
export function recordingAudit(httpAuth: HttpAuthService): { audit: CatalystAudit; events: AuditorEvent[] } {
  const events: AuditorEvent[] = [];
  const auditor = DefaultAuditorService.create(
    event => void events.push({ ...event, ...(event.meta ? { meta: structuredClone(event.meta) } : {}) }),
    { auth: mockServices.auth({ pluginId: 'catalyst' }), httpAuth, plugin: { getId: () => 'catalyst' } },
  );
  return { audit: CatalystAudit.create(auditor), events };
}
