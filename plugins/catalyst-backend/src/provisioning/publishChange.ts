import type { LoggerService } from '@backstage/backend-plugin-api';
import { createCatalystEvent } from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { PreparedChange } from './prepareChanges';

/**
 * The domain events of a change that landed on main (a direct commit or a merged change request).
 * A failure is logged, not returned: the commit stands, and the read side also learns of it from
 * the commit itself (the Git publisher).
 */
export async function publishChangeEvents(
  deps: { publisher: CatalystEventPublisher; logger: LoggerService; now: () => Date },
  env: EnvironmentRecord,
  sha: string,
  actor: string,
  prepared: PreparedChange,
  changeRequest?: string,
): Promise<void> {
  const time = deps.now().toISOString();
  try {
    await deps.publisher.publish(
      prepared.events.map(e =>
        createCatalystEvent({
          id: `${env.name}.${sha}.${e.type}.${e.application}`,
          source: 'catalyst/provisioning',
          type: e.type,
          subject: `application/${e.application}`,
          time,
          organization: env.organization,
          environment: env.name,
          data: {
            application: e.application,
            ...(e.blueprint ? { blueprint: e.blueprint } : {}),
            ...(e.version ? { version: e.version } : {}),
            ...(e.previousVersion ? { previousVersion: e.previousVersion } : {}),
            commit: sha,
            actor,
            ...(changeRequest ? { changeRequest } : {}),
          },
        } as Parameters<typeof createCatalystEvent>[0]),
      ),
    );
  } catch (e) {
    deps.logger.error(`Could not publish the events of ${sha} in ${env.name}`, {
      environment: env.name,
      error: String(e),
    });
  }
}
