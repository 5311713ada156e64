import { createApiRef } from '@backstage/core-plugin-api';
import type { LiveEnvironment } from '../live/liveEnvironment';

/**
 * The state of the tab's one live connection: `connecting` before the first event, `live` while
 * events and heartbeats arrive, `reconnecting` after a drop (resuming where it stopped), `idle` when
 * no page needs live status.
 *
 * @public
 */
export type LiveConnectionState = 'idle' | 'connecting' | 'live' | 'reconnecting';

/**
 * Live status of Environments from the read side, over one server-sent-event stream per browser tab
 * that carries every Environment the open pages need.
 *
 * @public
 */
export interface CatalystLiveApi {
  /**
   * Asks for an Environment's live state; `onChange` runs whenever it changes. The stream carries
   * the union of all subscribed Environments; the returned function ends this subscription.
   */
  subscribe(environment: string, onChange: () => void): () => void;
  /** The current state of a subscribed Environment (same object until it changes). */
  getEnvironment(environment: string): LiveEnvironment | undefined;
  getConnectionState(): LiveConnectionState;
  onConnectionStateChange(listener: (state: LiveConnectionState) => void): () => void;
}

/** @public */
export const catalystLiveApiRef = createApiRef<CatalystLiveApi>({ id: 'plugin.catalyst.live' });
