import { isDeepStrictEqual } from 'node:util';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { JetStreamClient } from '@nats-io/jetstream';
import {
  createEnvironmentState,
  EnvironmentState,
  fromKvEntries,
  KV_KEYS,
  project,
  toKvEntries,
} from '@internal/plugin-catalyst-common';
import { isJournalKey, KvChangeSet, StoredEntry } from './KvStateStore';
import { readEnvironmentLog } from './readEnvironmentLog';

/** Between the projector's bucket and the pure read model: loading it, replaying it, replacing it. */

const decoder = new TextDecoder();

/** A stream message as an event; not JSON gives null, which the reducer rejects (the cursor still moves). */
export function parseEvent(data: Uint8Array): unknown {
  try {
    return JSON.parse(decoder.decode(data));
  } catch {
    return null;
  }
}

/** The read model stored in the bucket (journal keys and deletion markers left out). */
export function loadState(
  environment: string,
  entries: Map<string, StoredEntry>,
  logger: LoggerService,
): EnvironmentState {
  const values: Record<string, unknown> = {};
  for (const [key, entry] of entries) {
    if (entry.operation !== 'PUT' || isJournalKey(key)) continue;
    values[key] = JSON.parse(entry.value);
  }
  const { state, issues } = fromKvEntries(environment, values);
  if (issues.length > 0) {
    logger.warn('Projector ignored unreadable KV entries', {
      environment,
      count: issues.length,
      first: `${issues[0].path}: ${issues[0].message}`,
    });
  }
  return state;
}

/**
 * Folds the Environment's events from the stream (from `fromSequence`, default the beginning) into
 * `state` (default a fresh one), up to the newest event as of the call.
 */
export async function foldEnvironmentLog(options: {
  js: JetStreamClient;
  organization: string;
  environment: string;
  state?: EnvironmentState;
  fromSequence?: number;
}): Promise<{ state: EnvironmentState; events: number; lastSequence: number }> {
  let state = options.state ?? createEnvironmentState(options.environment);
  const { count, lastSequence } = await readEnvironmentLog({
    js: options.js,
    organization: options.organization,
    environment: options.environment,
    ...(options.fromSequence !== undefined ? { fromSequence: options.fromSequence } : {}),
    onMessage: (seq, data) => {
      state = project(state, parseEvent(data), seq);
    },
  });
  return { state, events: count, lastSequence };
}

/**
 * What makes a bucket hold exactly `state`: the keys whose value differs (or is missing) and the
 * stored keys the state does not have. The cursor is left to the writer; journal keys are its own.
 */
export function replacementChanges(state: EnvironmentState, entries: Map<string, StoredEntry>): KvChangeSet {
  const target = toKvEntries(state);
  delete target[KV_KEYS.cursor];
  const put = new Map<string, string>();
  for (const [key, value] of Object.entries(target)) {
    const current = entries.get(key);
    if (current?.operation === 'PUT' && isDeepStrictEqual(JSON.parse(current.value), value)) continue;
    put.set(key, JSON.stringify(value));
  }
  const remove = new Set<string>();
  for (const [key, entry] of entries) {
    if (entry.operation === 'PUT' && !(key in target) && key !== KV_KEYS.cursor && !isJournalKey(key)) remove.add(key);
  }
  return { put, delete: remove };
}
