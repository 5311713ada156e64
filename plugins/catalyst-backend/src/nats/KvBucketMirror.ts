import type { LoggerService } from '@backstage/backend-plugin-api';
import type { KV, KvWatchEntry } from '@nats-io/kv';

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>(resolve => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });

/**
 * One replica's in-memory copy of a whole JetStream KV bucket, fed by one watch of every key that
 * resumes after the last revision it applied — after a failed watch, and after `restart()` (call it
 * on a NATS reconnect: a watch's consumer may not survive a server restart). Each entry, in revision
 * order, goes to `apply`; `loaded()` resolves once the bucket's content at start has been applied.
 */
export class KvBucketMirror {
  private lastRevision = 0;
  private isLoaded = false;
  private loadWaiters: Array<() => void> = [];
  private abort: AbortController | undefined;
  private running: Promise<void> | undefined;
  private stopWatch: (() => void) | undefined;

  private constructor(
    private readonly options: {
      kv: KV;
      /** For log lines: which bucket. */
      name: string;
      logger: LoggerService;
      apply: (entry: KvWatchEntry) => void;
    },
  ) {}

  static create(options: KvBucketMirror['options']): KvBucketMirror {
    return new KvBucketMirror(options);
  }

  start(): void {
    if (this.running) return;
    this.abort = new AbortController();
    this.running = this.run(this.abort.signal);
  }

  async stop(): Promise<void> {
    this.abort?.abort();
    this.stopWatch?.();
    await this.running;
    this.running = undefined;
  }

  /** Ends the current watch; the loop resumes after the last revision applied. */
  restart(): void {
    this.stopWatch?.();
  }

  /** Resolves once the bucket's content at start is in memory (or after `timeoutMs`, rejecting). */
  loaded(timeoutMs = 10_000): Promise<void> {
    if (this.isLoaded) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`${this.options.name} was not loaded within ${timeoutMs} ms`)),
        timeoutMs,
      );
      this.loadWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private markLoaded() {
    if (this.isLoaded) return;
    this.isLoaded = true;
    this.loadWaiters.splice(0).forEach(w => w());
  }

  private async run(signal: AbortSignal): Promise<void> {
    let attempt = 0;
    while (!signal.aborted) {
      try {
        const { last_seq: last, messages } = (await this.options.kv.status()).streamInfo.state;
        if (messages === 0) this.markLoaded();
        const iterator = await this.options.kv.watch({
          key: '>',
          ...(this.lastRevision > 0 ? { resumeFromRevision: this.lastRevision + 1 } : {}),
        });
        this.stopWatch = () => iterator.stop();
        if (signal.aborted) iterator.stop();
        for await (const entry of iterator) {
          this.lastRevision = Math.max(this.lastRevision, entry.revision);
          this.options.apply(entry);
          if (entry.revision >= last || entry.delta === 0) this.markLoaded();
          attempt = 0;
        }
      } catch (error) {
        if (signal.aborted) break;
        attempt += 1;
        this.options.logger.warn(`${this.options.name}: KV watch failed; resuming`, {
          revision: this.lastRevision,
          error: error instanceof Error ? error.message : String(error),
        });
        await sleep(Math.min(5000, 200 * 2 ** Math.min(attempt, 5)), signal);
      } finally {
        this.stopWatch = undefined;
      }
    }
  }
}
