import { useApi } from '@backstage/core-plugin-api';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import type {
  ApplicationDetail,
  ApplicationSummary,
  BlueprintDetail,
  BlueprintSummary,
  BlueprintUsageEntry,
  ChangeRequest,
  ChangeRequestsQuery,
  ChangeRequestSummaryItem,
  EnvironmentOverview,
  HistoryEntry,
} from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../api';

/** What every data hook returns: the value once loaded, or the error, and a way to load again. */
export interface CatalystAsync {
  loading: boolean;
  error?: Error;
  retry: () => void;
}

export function useCatalystBlueprints(query: { q?: string; category?: string } = {}): CatalystAsync & {
  blueprints?: BlueprintSummary[];
} {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    () => api.listBlueprints({ q: query.q || undefined, category: query.category || undefined }),
    [api, query.q, query.category],
  );
  return { blueprints: value, loading, error, retry };
}

export function useCatalystBlueprint(
  name: string | undefined,
  organization?: string,
): CatalystAsync & { blueprint?: BlueprintDetail } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (name ? api.getBlueprint(name, organization ? { organization } : {}) : undefined),
    [api, name, organization],
  );
  return { blueprint: value, loading, error, retry };
}

export function useCatalystEnvironments(): CatalystAsync & { environments?: EnvironmentOverview[] } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(() => api.listEnvironments(), [api]);
  return { environments: value, loading, error, retry };
}

/**
 * One Environment and its Applications (desired state at the repo head). `refreshKey` reloads when
 * it changes: pages pass the live read model's last commit, so a new commit refreshes without polling.
 */
export function useCatalystEnvironment(
  name: string | undefined,
  refreshKey?: string | null,
): CatalystAsync & { environment?: EnvironmentOverview; applications?: ApplicationSummary[] } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!name) return undefined;
    const [environment, applications] = await Promise.all([api.getEnvironment(name), api.listApplications(name)]);
    return { environment, applications };
  }, [api, name, refreshKey]);
  return { environment: value?.environment, applications: value?.applications, loading, error, retry };
}

export function useCatalystApplication(
  environment: string | undefined,
  application: string | undefined,
  refreshKey?: string | null,
): CatalystAsync & { application?: ApplicationDetail } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (environment && application ? api.getApplication(environment, application) : undefined),
    [api, environment, application, refreshKey],
  );
  return { application: value, loading, error, retry };
}

export function useCatalystHistory(
  environment: string | undefined,
  application: string | undefined,
  refreshKey?: string | null,
  limit = 50,
): CatalystAsync & { history?: HistoryEntry[] } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (environment && application ? api.history(environment, application, { limit }) : undefined),
    [api, environment, application, refreshKey, limit],
  );
  return { history: value, loading, error, retry };
}

/**
 * Every Application of a Blueprint across the Environments the user may read, with the live status
 * at the time of the request (one request, reference §6.4: "no chain object; just a query"), and
 * the Environments, for "Install in another Environment". A failing Environment list only empties
 * that menu.
 */
export function useCatalystBlueprintUsage(
  blueprint: string | undefined,
  organization?: string,
): CatalystAsync & { usages?: BlueprintUsageEntry[]; environments?: EnvironmentOverview[] } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(async () => {
    if (!blueprint) return undefined;
    const [usage, environments] = await Promise.all([
      api.getBlueprintUsage(blueprint, organization ? { organization } : {}),
      api.listEnvironments().catch(() => [] as EnvironmentOverview[]),
    ]);
    return { usages: usage.items, environments };
  }, [api, blueprint, organization]);
  return { usages: value?.usages, environments: value?.environments, loading, error, retry };
}

/**
 * One change request with its diff, verdicts, approvals and what the caller may do. `refreshKey`
 * reloads it: the page passes what the live read model knows of it (approvals, state, conflict).
 */
export function useCatalystChangeRequest(
  id: string | undefined,
  refreshKey?: string | null,
): CatalystAsync & { changeRequest?: ChangeRequest } {
  const api = useApi(catalystApiRef);
  const { value, loading, error, retry } = useAsyncRetry(
    async () => (id ? api.getChangeRequest(id) : undefined),
    [api, id, refreshKey],
  );
  return { changeRequest: value, loading, error, retry };
}

/** Change requests, newest first; `refreshKey` reloads them (the live read model's change requests). */
export function useCatalystChangeRequests(
  query: ChangeRequestsQuery,
  refreshKey?: string | null,
): CatalystAsync & { changeRequests?: ChangeRequestSummaryItem[] } {
  const api = useApi(catalystApiRef);
  const { environment, application, state, limit } = query;
  const { value, loading, error, retry } = useAsyncRetry(
    () =>
      api.listChangeRequests({
        ...(environment ? { environment } : {}),
        ...(application ? { application } : {}),
        ...(state ? { state } : {}),
        ...(limit ? { limit } : {}),
      }),
    [api, environment, application, state, limit, refreshKey],
  );
  return { changeRequests: value, loading, error, retry };
}
