import type { CatalystEvent } from '@internal/plugin-catalyst-common';

/**
 * Where Catalyst's own facts go (domain events, Git commits, cluster objects): the event spine.
 * The backend implements it on JetStream with pipelined acks and `Nats-Msg-Id` de-duplication; a
 * publish resolves only once every event is stored.
 *
 * @public
 */
export interface CatalystEventPublisher {
  publish(events: CatalystEvent | CatalystEvent[]): Promise<void>;
}
