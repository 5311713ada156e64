import { ObjectStore } from '../store/ObjectStore';
import { rfc3339 } from '../util/time';

/** What one controller pass sees: the store, the time, and a way to ask for a later pass. */
export class ControllerContext {
  private earliest: number | undefined;

  constructor(readonly store: ObjectStore, readonly now: number) {}

  get nowIso(): string {
    return rfc3339(this.now);
  }

  /** Asks for another pass at `ms` (e.g. when a pod is due to become Ready). */
  wakeAt(ms: number) {
    if (ms > this.now && (this.earliest === undefined || ms < this.earliest)) {
      this.earliest = ms;
    }
  }

  get nextWakeAt(): number | undefined {
    return this.earliest;
  }
}
