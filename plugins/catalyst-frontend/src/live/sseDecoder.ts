/** One dispatched server-sent event. */
export interface SseEvent {
  /** `message` unless the server named it with `event:`. */
  event: string;
  data: string;
  /** The last event ID in effect when this event was dispatched (what a reconnect resumes from). */
  lastEventId: string;
}

/** What the parser reports besides events. */
export interface SseParserHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line (`: keep-alive`): servers send them as heartbeats. */
  onComment?(text: string): void;
  /** The server's `retry:` reconnection delay in milliseconds. */
  onRetry?(ms: number): void;
}

/**
 * An incremental parser of the `text/event-stream` format as the HTML standard defines it: chunks
 * may split lines and even CRLF pairs anywhere; `data:` lines join with `\n`; `id:` persists across
 * events (and an `id:` with NUL is ignored); a block without data dispatches nothing.
 */
export class SseParser {
  private buffer = '';
  private data: string[] = [];
  private eventType = '';
  private lastEventId: string;
  /** A chunk ended in `\r`: a `\n` at the start of the next one belongs to the same line break. */
  private pendingCr = false;

  constructor(private readonly handlers: SseParserHandlers, initialLastEventId = '') {
    this.lastEventId = initialLastEventId;
  }

  /** The id a reconnect should send as `Last-Event-ID`. */
  getLastEventId(): string {
    return this.lastEventId;
  }

  push(chunk: string): void {
    let text = chunk;
    if (this.pendingCr && text.startsWith('\n')) text = text.slice(1);
    this.pendingCr = false;
    this.buffer += text;
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const c = this.buffer[i];
      if (c !== '\n' && c !== '\r') continue;
      this.line(this.buffer.slice(start, i));
      if (c === '\r') {
        if (i + 1 === this.buffer.length) this.pendingCr = true;
        else if (this.buffer[i + 1] === '\n') i++;
      }
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
  }

  /** The stream ended: an incomplete event is discarded, as the standard says. */
  end(): void {
    this.buffer = '';
    this.data = [];
    this.eventType = '';
    this.pendingCr = false;
  }

  private line(line: string): void {
    if (line === '') {
      this.dispatch();
      return;
    }
    if (line.startsWith(':')) {
      this.handlers.onComment?.(line.slice(1).replace(/^ /, ''));
      return;
    }
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    switch (field) {
      case 'data':
        this.data.push(value);
        break;
      case 'event':
        this.eventType = value;
        break;
      case 'id':
        if (!value.includes('\u0000')) this.lastEventId = value;
        break;
      case 'retry':
        if (/^\d+$/.test(value)) this.handlers.onRetry?.(Number(value));
        break;
      default:
        // unknown fields are ignored
        break;
    }
  }

  private dispatch(): void {
    const type = this.eventType || 'message';
    this.eventType = '';
    if (this.data.length === 0) return;
    const data = this.data.join('\n');
    this.data = [];
    this.handlers.onEvent({ event: type, data, lastEventId: this.lastEventId });
  }
}
