import { DeliverPolicy, JetStreamClient } from '@nats-io/jetstream';
import { streamName } from '../names';

function filterOf(environment: string): string {
  return `ws.${environment}.>`;
}

/**
 * The stream sequence of the Environment's newest event, 0 when it has none. Read as a message
 * (a consumer delivering the last one), not from a pending count: the server's counts are estimates.
 */
export async function lastEnvironmentSequence(
  js: JetStreamClient,
  organization: string,
  environment: string,
): Promise<number> {
  const consumer = await js.consumers.get(streamName(organization), {
    filter_subjects: filterOf(environment),
    deliver_policy: DeliverPolicy.Last,
  });
  try {
    if ((await consumer.info()).num_pending === 0) return 0;
    const message = await consumer.next({ expires: 5000 });
    // Never "no events" by accident: a caller may replace a read model with what it reads.
    if (!message) throw new Error(`the newest event of Environment ${environment} could not be read`);
    return message.seq;
  } finally {
    await consumer.delete().catch(() => undefined);
  }
}

/**
 * Reads one Environment's events from its Organization stream, in stream order, as they were at
 * the call (events stored meanwhile are left for the projector). An ordered consumer: ephemeral,
 * flow-controlled and re-created by the client on a gap, so a long replay survives hiccups. It ends
 * at the newest event's sequence, found first, rather than after a pending count of messages.
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
  const { js, environment, organization } = options;
  const from = options.fromSequence ?? 0;
  let count = 0;
  let lastSequence = 0;
  const target = await lastEnvironmentSequence(js, organization, environment);
  if (target === 0 || target < from) return { count, lastSequence };
  const consumer = await js.consumers.get(streamName(organization), {
    filter_subjects: filterOf(environment),
    ...(from > 1 ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: from } : {}),
  });
  const messages = await consumer.consume({ max_messages: options.batch ?? 5000 });
  try {
    for await (const m of messages) {
      options.onMessage(m.seq, m.data);
      lastSequence = m.seq;
      count += 1;
      if (m.seq >= target) break;
    }
  } finally {
    await messages.close().catch(() => undefined);
  }
  return { count, lastSequence };
}
