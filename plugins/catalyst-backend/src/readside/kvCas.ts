import { JetStreamApiCodes, JetStreamApiError, JetStreamClient } from '@nats-io/jetstream';
import type { KV } from '@nats-io/kv';
import { headers } from '@nats-io/transport-node';

/**
 * Compare-and-set writes to JetStream KV, shared by the read side's writers (the projector's state
 * bucket, the Blueprint usage bucket): every write names the revision it replaces, so a second
 * writer of the same key fails instead of overwriting.
 */

/** The server refused a write because the key's last revision was not the expected one. */
export function isWrongLastSequence(error: unknown): boolean {
  return (
    error instanceof JetStreamApiError &&
    (error.code === JetStreamApiCodes.StreamWrongLastSequence ||
      error.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown)
  );
}

/** Another writer changed a key this writer was about to write: it no longer owns the bucket. */
export class KvWriteConflictError extends Error {
  constructor(readonly key: string, options?: { cause?: unknown }) {
    super(`Key ${key} was changed by another writer`, options);
    this.name = 'KvWriteConflictError';
  }
}

/**
 * Puts `value` when the key's last revision is `previous` (0: the key never existed, `kv.create`
 * semantics; a deletion marker's revision re-creates a deleted key). Returns the new revision.
 */
export async function casPut(kv: KV, key: string, value: string, previous: number): Promise<number> {
  try {
    return await kv.put(key, value, { previousSeq: previous });
  } catch (error) {
    if (isWrongLastSequence(error)) throw new KvWriteConflictError(key, { cause: error });
    throw error;
  }
}

/**
 * Deletes a key whose last revision is `previous`; returns the deletion marker's revision.
 * Published directly because `kv.delete` does not return it.
 */
export async function casDelete(js: JetStreamClient, bucket: string, key: string, previous: number): Promise<number> {
  const h = headers();
  h.set('KV-Operation', 'DEL');
  try {
    const ack = await js.publish(`$KV.${bucket}.${key}`, undefined, {
      headers: h,
      expect: { lastSubjectSequence: previous },
    });
    return ack.seq;
  } catch (error) {
    if (isWrongLastSequence(error)) throw new KvWriteConflictError(key, { cause: error });
    throw error;
  }
}
