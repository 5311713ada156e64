import { JetStreamClient } from '@nats-io/jetstream';
import { Kvm } from '@nats-io/kv';
import {
  createEnvironmentState,
  EnvironmentState,
  KV_KEYS,
  project,
  toKvEntries,
} from '@internal/plugin-catalyst-common';
import { isJournalKey, openStateBucket, readBucket } from '../projector/KvStateStore';
import { readEnvironmentLog } from '../projector/readEnvironmentLog';

/** The read model as stored: every live key of `ws-<env>-state` (journal keys left out), parsed. */
export async function storedReadModel(js: JetStreamClient, environment: string): Promise<Record<string, unknown>> {
  const kv = await openStateBucket(new Kvm(js), environment);
  const { entries } = await readBucket(kv);
  const out: Record<string, unknown> = {};
  for (const [key, entry] of entries) {
    if (entry.operation === 'PUT' && !isJournalKey(key)) out[key] = JSON.parse(entry.value);
  }
  return out;
}

/** The pure fold (`project`) of every event the stream holds for the Environment. */
export async function foldStream(
  js: JetStreamClient,
  organization: string,
  environment: string,
): Promise<EnvironmentState> {
  let state = createEnvironmentState(environment);
  const decoder = new TextDecoder();
  await readEnvironmentLog({
    js,
    organization,
    environment,
    onMessage: (seq, data) => {
      state = project(state, JSON.parse(decoder.decode(data)), seq);
    },
  });
  return state;
}

/** What the bucket must hold for a state: `toKvEntries`, through JSON like the KV. */
export function expectedReadModel(state: EnvironmentState): Record<string, unknown> {
  return JSON.parse(JSON.stringify(toKvEntries(state)));
}

export { KV_KEYS };

export { lastEnvironmentSequence } from '../projector/readEnvironmentLog';
