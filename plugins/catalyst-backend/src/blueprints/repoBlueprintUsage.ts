import type { ApplicationStatusView, ApplicationSummary, BlueprintUsageEntry } from '@internal/plugin-catalyst-common';
import type { BlueprintUsageSource } from './BlueprintQueries';

/**
 * Blueprint usage read per request from each Environment's repo head and live views: cost grows
 * with the number of Environments. The read side's per-Blueprint view replaces it.
 */
export function repoBlueprintUsage(deps: {
  listApplications: (environment: string) => Promise<ApplicationSummary[]>;
  applicationViews: (environment: string, names: readonly string[]) => Promise<Record<string, unknown>>;
}): BlueprintUsageSource {
  return {
    async blueprintUsage(name, { environments, organization }) {
      const perEnvironment = await Promise.all(
        environments.map(async env => {
          const apps = (await deps.listApplications(env).catch(() => [])).filter(
            a =>
              a.blueprint === name &&
              // `organization` narrows to that Organization's own (shared-blueprints) Blueprint
              (organization === undefined || (a.source === 'shared-blueprints' && a.organization === organization)),
          );
          if (apps.length === 0) return [];
          const views = (await deps
            .applicationViews(
              env,
              apps.map(a => a.name),
            )
            .catch(() => ({}))) as Record<string, ApplicationStatusView | undefined>;
          return apps.map((a): BlueprintUsageEntry => {
            const view = views[a.name];
            return {
              application: {
                name: a.name,
                environment: a.environment,
                organization: a.organization,
                version: a.version,
                source: a.source,
                ...(a.overlay ? { overlay: a.overlay } : {}),
              },
              ...(view
                ? {
                    live: {
                      status: view.status,
                      reason: view.reason,
                      pods: view.pods,
                      version: view.version,
                      targetVersion: view.targetVersion,
                    },
                  }
                : {}),
            };
          });
        }),
      );
      return perEnvironment
        .flat()
        .sort(
          (a, b) =>
            a.application.environment.localeCompare(b.application.environment) ||
            a.application.name.localeCompare(b.application.name),
        );
    },
  };
}
