import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  DiscardPolicy,
  JetStreamApiCodes,
  JetStreamApiError,
  JetStreamManager,
  RetentionPolicy,
  StorageType,
  StreamConfig,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { streamName, streamSubjects } from '../names';

/**
 * Limits of an Organization stream. The defaults suit one development machine; production sets
 * `replicas: 3` and sizes `maxBytes` to the Organization.
 *
 * - no age limit: the stream is the log `rebuild()` folds, and a commit or `environment.created`
 *   that ages out would be missing from a rebuilt state;
 * - `maxBytes` bounds the disk instead, dropping the OLDEST events when full (a rebuild then folds
 *   what is retained; the KV read model itself is unaffected). JetStream RESERVES every stream's
 *   max_bytes against the server's store, so 256 MiB per Organization is what a dev box can give
 *   100 Organizations; 1 GiB each failed there with "insufficient storage resources";
 * - `maxMsgSize` 1 MiB: events are trimmed objects, far smaller;
 * - `duplicateWindowMs` 2 min: publishers retry with the same `Nats-Msg-Id` for at most
 *   `JetStreamEventPublisher`'s bounded wait (30 s), well inside the window.
 */
export interface StreamLimits {
  maxBytes: number;
  maxMsgSize: number;
  duplicateWindowMs: number;
  replicas: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = {
  maxBytes: 256 * 1024 * 1024,
  maxMsgSize: 1024 * 1024,
  duplicateWindowMs: 2 * 60 * 1000,
  replicas: 1,
};

function isStreamNotFound(error: unknown): boolean {
  return error instanceof JetStreamApiError && error.code === JetStreamApiCodes.StreamNotFound;
}

/**
 * One JetStream stream per Organization (`CATALYST_<ORG>`), created and updated idempotently.
 * Several replicas may run this at once: `add` of an identical config is a no-op on the server and
 * an update that lost a race is retried against the config it lost to.
 */
export class JetStreamStreams {
  private readonly ensured = new Map<string, string>();
  private readonly inFlight = new Map<string, Promise<void>>();

  private constructor(
    private readonly jsm: JetStreamManager,
    private readonly logger: LoggerService,
    private readonly limits: StreamLimits,
  ) {}

  static create(options: { jsm: JetStreamManager; logger: LoggerService; limits?: Partial<StreamLimits> }) {
    return new JetStreamStreams(options.jsm, options.logger, { ...DEFAULT_STREAM_LIMITS, ...options.limits });
  }

  config(organization: string, environments: string[]): StreamConfig {
    return {
      name: streamName(organization),
      description: `Catalyst read-side events of Organization ${organization}`,
      subjects: streamSubjects(organization, environments),
      storage: StorageType.File,
      retention: RetentionPolicy.Limits,
      discard: DiscardPolicy.Old,
      max_bytes: this.limits.maxBytes,
      max_age: 0,
      max_msgs: -1,
      max_msgs_per_subject: -1,
      max_msg_size: this.limits.maxMsgSize,
      duplicate_window: nanos(this.limits.duplicateWindowMs),
      num_replicas: this.limits.replicas,
      allow_direct: true,
    } as StreamConfig;
  }

  /** Creates or updates the Organization's stream so it captures every listed Environment. */
  async ensure(organization: string, environments: string[] = []): Promise<void> {
    const wanted = this.config(organization, environments);
    const signature = wanted.subjects.join(',');
    if (this.ensured.get(organization) === signature) return;
    // One ensure per Organization at a time; callers racing for the same one share it.
    const running = this.inFlight.get(organization);
    if (running) {
      await running;
      await this.ensure(organization, environments);
      return;
    }
    const work = this.apply(wanted).then(() => {
      this.ensured.set(organization, signature);
    });
    this.inFlight.set(organization, work);
    try {
      await work;
    } finally {
      this.inFlight.delete(organization);
    }
  }

  /** Forget what was ensured (after NATS lost its store, the next publish re-creates). */
  forget(organization: string): void {
    this.ensured.delete(organization);
  }

  private async apply(wanted: StreamConfig): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      let current: StreamConfig | undefined;
      try {
        current = (await this.jsm.streams.info(wanted.name)).config;
      } catch (error) {
        if (!isStreamNotFound(error)) throw error;
      }
      try {
        if (!current) {
          await this.jsm.streams.add(wanted);
          this.logger.info('Created read-side stream', {
            stream: wanted.name,
            subjects: wanted.subjects.join(' '),
            maxBytes: wanted.max_bytes,
            duplicateWindowMs: this.limits.duplicateWindowMs,
          });
          return;
        }
        // Keep subjects someone else added (a newer replica's Environment); never narrow the stream.
        const subjects = [...new Set([...(current.subjects ?? []), ...wanted.subjects])].sort();
        const same =
          subjects.length === (current.subjects ?? []).length &&
          current.max_bytes === wanted.max_bytes &&
          current.max_msg_size === wanted.max_msg_size &&
          current.duplicate_window === wanted.duplicate_window &&
          current.discard === wanted.discard &&
          current.max_age === wanted.max_age &&
          // a changed catalyst.nats.replicas scales the stream (JetStream moves the data itself)
          current.num_replicas === wanted.num_replicas;
        if (same) return;
        await this.jsm.streams.update(wanted.name, { ...current, ...wanted, subjects });
        this.logger.info('Updated read-side stream', { stream: wanted.name, subjects: subjects.join(' ') });
        return;
      } catch (error) {
        // Lost a create/update race with another replica: look again.
        if (attempt >= 3) throw error;
      }
    }
  }
}
