import { DeliverPolicy, JetStreamClient } from '@nats-io/jetstream';
import { streamName } from '../names';

/**
 * Reads one Environment's events from its Organization stream, in stream order, as they were at
 * the call (events stored meanwhile are left for the projector). An ordered consumer: ephemeral,
 * flow-controlled and re-created by the client on a gap, so a long replay survives hiccups.
 */
export async function readEnvironmentLog(options: {
  js: JetStreamClient;
  organization: string;
  environment: string;
  /** First stream sequence to read; default the beginning. */
  fromSequence?: number;
  onMessage: (sequence: number, data: Uint8Array) => void;
  /** Messages buffered per pull. Default 5000. */
  batch?: number;
}): Promise<{ count: number; lastSequence: number }> {
  const { js, environment } = options;
  const from = options.fromSequence ?? 0;
  const consumer = await js.consumers.get(streamName(options.organization), {
    filter_subjects: `ws.${environment}.>`,
    ...(from > 1 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from } : {}),
  });
  const total = (await consumer.info()).num_pending;
  let count = 0;
  let lastSequence = 0;
  if (total === 0) {
    await consumer.delete().catch(() => undefined);
    return { count, lastSequence };
  }
  const messages = await consumer.consume({ max_messages: options.batch ?? 5000 });
  try {
    for await (const m of messages) {
      options.onMessage(m.seq, m.data);
      lastSequence = m.seq;
      count += 1;
      if (count >= total) break;
    }
  } finally {
    await messages.close().catch(() => undefined);
  }
  return { count, lastSequence };
}
