import { useApi } from '@backstage/core-plugin-api';
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { ActivityEntry, ApplicationView } from '@internal/plugin-catalyst-common';
import { catalystLiveApiRef, LiveConnectionState } from '../api/CatalystLiveApi';
import { LiveEnvironment } from '../live/liveEnvironment';

/** The tab's live connection state, for the "live" / "reconnecting" indicator. */
export function useCatalystLiveConnection(): LiveConnectionState {
  const live = useApi(catalystLiveApiRef);
  return useSyncExternalStore(
    cb => live.onConnectionStateChange(cb),
    () => live.getConnectionState(),
  );
}

/** Live state of several Environments at once (the Blueprint page spans every Environment). */
export function useCatalystLiveEnvironments(environments: readonly string[]): {
  environments: Readonly<Record<string, LiveEnvironment | undefined>>;
  connection: LiveConnectionState;
} {
  const live = useApi(catalystLiveApiRef);
  const connection = useCatalystLiveConnection();
  // a stable key, so a new array with the same names does not resubscribe
  const key = [...new Set(environments)].sort().join('\u0000');
  const names = useMemo(() => (key ? key.split('\u0000') : []), [key]);
  const read = () => Object.fromEntries(names.map(n => [n, live.getEnvironment(n)]));
  const [state, setState] = useState(read);
  useEffect(() => {
    const update = () =>
      setState(prev => {
        const next = Object.fromEntries(names.map(n => [n, live.getEnvironment(n)]));
        const same = names.length === Object.keys(prev).length && names.every(n => prev[n] === next[n]);
        return same ? prev : next;
      });
    const unsubscribes = names.map(n => live.subscribe(n, update));
    update();
    return () => unsubscribes.forEach(u => u());
  }, [live, names]);
  return { environments: state, connection };
}

/** Live state of one Environment. */
export function useCatalystLiveEnvironment(environment: string | undefined): {
  live: LiveEnvironment | undefined;
  connection: LiveConnectionState;
} {
  const { environments, connection } = useCatalystLiveEnvironments(environment ? [environment] : []);
  return { live: environment ? environments[environment] : undefined, connection };
}

const NO_ACTIVITY: ActivityEntry[] = [];

/** Live status and recent events of one Application. */
export function useCatalystLiveApplication(
  environment: string | undefined,
  application: string | undefined,
): {
  /** The Environment's snapshot has arrived (so a missing view means the read model has none). */
  ready: boolean;
  view: ApplicationView | undefined;
  activity: ActivityEntry[];
  connection: LiveConnectionState;
  /** The server refused live status for this Environment. */
  error?: string;
} {
  const { live, connection } = useCatalystLiveEnvironment(environment);
  return {
    ready: live?.ready ?? false,
    ...(live?.error ? { error: live.error } : {}),
    view: application ? live?.applications[application] : undefined,
    activity: (application && live?.activity[application]) || NO_ACTIVITY,
    connection,
  };
}
