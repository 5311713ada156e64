import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';
import { jetstreamManager } from '@nats-io/jetstream';
import { CatalystConfig } from '../config';

/**
 * Thrown when the backend cannot start because NATS is not there. Its message is the one line the
 * operator sees, so it names the servers and the config key.
 */
export class NatsUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NatsUnavailableError';
  }
}

/**
 * Connects to NATS and checks that JetStream is enabled. Once connected, the client reconnects
 * forever (the projector and SSE resume from sequences); only the first connection is fatal.
 */
export async function connectNats(config: CatalystConfig['nats']): Promise<NatsConnection> {
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: config.servers,
      name: 'catalyst-backend',
      timeout: config.connectTimeoutMs,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 1000,
      token: config.token,
      user: config.user,
      pass: config.password,
    });
  } catch (e) {
    throw new NatsUnavailableError(
      `Catalyst cannot reach NATS at ${config.servers.join(', ')} (catalyst.nats.servers): ${
        (e as Error).message
      }. Start nats-server with JetStream (-js) or fix the config.`,
    );
  }
  try {
    const jsm = await jetstreamManager(nc, { timeout: config.connectTimeoutMs });
    await jsm.getAccountInfo();
  } catch (e) {
    await nc.close().catch(() => undefined);
    throw new NatsUnavailableError(
      `NATS at ${config.servers.join(', ')} answers but JetStream is not available: ${
        (e as Error).message
      }. Start nats-server with -js.`,
    );
  }
  return nc;
}
