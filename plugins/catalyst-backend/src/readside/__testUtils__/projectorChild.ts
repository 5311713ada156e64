/**
 * Runs one Environment's projector in its own process, so a test can SIGKILL it mid-batch.
 * Usage (sucrase-node): projectorChild.ts <nats-url> <organization> <environment> [batchSize]
 * Prints "ready" once consuming and "at <seq>" after each committed batch.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import { connect } from '@nats-io/transport-node';
import { JetStreamProjector } from '../projector/JetStreamProjector';

const silent = {
  info: () => undefined,
  debug: () => undefined,
  warn: (message: string, meta?: unknown) => process.stderr.write(`warn ${message} ${JSON.stringify(meta)}\n`),
  error: (message: string, meta?: unknown) => process.stderr.write(`error ${message} ${JSON.stringify(meta)}\n`),
  child: () => silent,
};

async function main() {
  const [url, organization, environment, batchSize] = process.argv.slice(2);
  const nc = await connect({ servers: url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const js = jetstream(nc);
  const jsm = await jetstreamManager(nc);
  const projector = JetStreamProjector.create({
    js,
    jsm,
    kvm: new Kvm(js),
    organization,
    environment,
    logger: silent,
    batchSize: batchSize ? Number(batchSize) : undefined,
  });
  projector.start();
  process.stdout.write('ready\n');
  let reported = 0;
  for (;;) {
    await projector.whenAt(reported + 1);
    reported = projector.lastSequence();
    process.stdout.write(`at ${reported}\n`);
  }
}

main().catch(error => {
  process.stderr.write(`projector child failed: ${error}\n`);
  process.exit(1);
});
