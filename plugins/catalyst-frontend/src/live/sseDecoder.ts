import { createParser } from 'eventsource-parser';

/** One dispatched server-sent event. */
export interface SseEvent {
  /** `message` unless the server named it with `event:`, as EventSource reports it. */
  event: string;
  data: string;
  /** The `id:` of this event's block, if it had one. */
  id?: string;
}

/** What the decoder reports besides events. */
export interface SseHandlers {
  onEvent(event: SseEvent): void;
  /** A comment line (`: heartbeat`): servers send them to keep the connection warm. */
  onComment?(text: string): void;
  /** The server's `retry:` reconnection delay in milliseconds. */
  onRetry?(ms: number): void;
}

/** Bytes of one `text/event-stream` response in, events out. */
export interface SseDecoder {
  /** The next chunk as the response delivered it: lines, events and UTF-8 sequences may be split anywhere. */
  push(chunk: Uint8Array): void;
  /** The stream ended: an incomplete event is discarded, as the HTML standard says. */
  end(): void;
}

/**
 * Decodes one event stream with `eventsource-parser` (the HTML standard's parsing rules: CR, LF and
 * CRLF line ends split anywhere, `data:` lines joined with `\n`, blocks without data dispatch nothing,
 * invalid `retry:` and unknown fields ignored). A decoder per connection: a reconnect starts afresh.
 */
export function createSseDecoder(handlers: SseHandlers): SseDecoder {
  const text = new TextDecoder();
  const parser = createParser({
    onEvent: ({ event, data, id }) =>
      handlers.onEvent({ event: event ?? 'message', data, ...(id !== undefined ? { id } : {}) }),
    onComment: handlers.onComment,
    onRetry: handlers.onRetry,
  });
  return {
    push: chunk => parser.feed(text.decode(chunk, { stream: true })),
    end: () => {
      text.decode();
      parser.reset();
    },
  };
}
