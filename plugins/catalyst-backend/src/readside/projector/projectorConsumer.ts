import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  AckPolicy,
  ConsumerInfo,
  DeliverPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamManager,
  ReplayPolicy,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';

function isConsumerNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.ConsumerNotFound;
}

/**
 * The projector's durable consumer, positioned right after the KV cursor, created afresh for every
 * session. Re-using it could skip events (acked beyond the cursor when the KV lost writes or was
 * rebuilt) or delay them: a previous owner's pull requests outlive it on the server (until they
 * expire), and events delivered to them wait out the ack wait. Deleting the consumer drops both.
 */
export async function recreateProjectorConsumer(options: {
  jsm: JetStreamManager;
  stream: string;
  durable: string;
  /** `ws.<env>.>`: one filter (NATS 2.9). */
  filter: string;
  environment: string;
  cursor: number;
  logger: LoggerService;
}): Promise<ConsumerInfo> {
  const { jsm, stream, durable, cursor } = options;
  try {
    const info = await jsm.consumers.info(stream, durable);
    options.logger.debug('Re-creating projector consumer at the KV cursor', {
      environment: options.environment,
      cursor,
      ackFloor: info.ack_floor.stream_seq,
      ackPending: info.num_ack_pending,
      waiting: info.num_waiting,
    });
    await jsm.consumers.delete(stream, durable);
  } catch (error) {
    if (!isConsumerNotFound(error)) throw error;
  }
  return jsm.consumers.add(stream, {
    durable_name: durable,
    description: `Catalyst projector of ${options.environment}`,
    filter_subject: options.filter,
    ack_policy: AckPolicy.All,
    ack_wait: nanos(30_000),
    max_ack_pending: 20_000,
    max_deliver: -1,
    replay_policy: ReplayPolicy.Instant,
    ...(cursor > 0
      ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: cursor + 1 }
      : { deliver_policy: DeliverPolicy.All }),
  });
}
