import { ServerResponse } from 'node:http';
import { KubeObject } from '../types';
import { ObjectStore, StoreEvent } from '../store/ObjectStore';
import { apiVersionOf } from '../store/resources';
import { matchesQuery, present, ResourceQuery } from './present';
import { statusObject } from './status';

export interface WatchRequest extends ResourceQuery {
  /** Undefined, '' or '0' start with synthetic ADDED events for the current state. */
  resourceVersion?: number;
  allowBookmarks: boolean;
  timeoutMs: number;
  bookmarkIntervalMs: number;
}

type WireEvent = { type: string; object: unknown };

/**
 * Converts a store event into what this watch should see: a label change that
 * moves an object into or out of the selection becomes ADDED or DELETED, the
 * way the API server's watch cache does it.
 */
export function eventForWatch(event: StoreEvent, query: ResourceQuery): WireEvent | undefined {
  const nowMatches = matchesQuery(event.object, query);
  if (event.type !== 'MODIFIED') {
    return nowMatches ? { type: event.type, object: present(event.object, query.resource) } : undefined;
  }
  const before = event.previous !== undefined && matchesQuery(event.previous, query);
  if (nowMatches) {
    return {
      type: before ? 'MODIFIED' : 'ADDED',
      object: present(event.object, query.resource),
    };
  }
  if (before) {
    const gone: KubeObject = {
      ...event.previous!,
      metadata: { ...event.previous!.metadata, resourceVersion: String(event.resourceVersion) },
    };
    return { type: 'DELETED', object: present(gone, query.resource) };
  }
  return undefined;
}

/**
 * Serves one watch as newline-delimited JSON on a chunked response. Headers are
 * flushed at once: the client-node informer waits for them before it starts.
 * Returns a function that ends the watch (used when the server stops).
 */
export function serveWatch(store: ObjectStore, request: WatchRequest, res: ServerResponse): () => void {
  res.writeHead(200, {
    'Content-Type': 'application/json',
    'Cache-Control': 'no-cache, private',
  });
  res.flushHeaders();

  let closed = false;
  let unsubscribe: () => void = () => {};
  const timers: { bookmark?: NodeJS.Timeout; timeout?: NodeJS.Timeout } = {};
  const finish = () => {
    if (closed) return;
    closed = true;
    unsubscribe();
    clearTimeout(timers.bookmark);
    clearTimeout(timers.timeout);
    res.end();
  };
  const send = (event: WireEvent) => {
    if (!closed) res.write(`${JSON.stringify(event)}\n`);
  };
  res.on('close', finish);

  const from = request.resourceVersion;
  if (from === undefined || from === 0) {
    // "Get state and start at most recent": synthetic ADDED for what exists.
    for (const object of store.listFrozen(request.resource.group, request.resource.kind, request.namespace)) {
      if (matchesQuery(object, request)) {
        send({ type: 'ADDED', object: present(object, request.resource) });
      }
    }
  } else {
    const replay = store.eventsSince(from);
    if (replay === 'expired') {
      send({
        type: 'ERROR',
        object: statusObject(
          410,
          'Expired',
          from > store.currentResourceVersion()
            ? `resource version ${from} was not issued by this devcluster (now at ${store.currentResourceVersion()}): it restarted, list again`
            : `too old resource version: ${from} (${store.oldestResumableVersion()})`,
        ),
      });
      finish();
      return finish;
    }
    for (const event of replay) {
      const wire = eventForWatch(event, request);
      if (wire) send(wire);
    }
  }
  // Subscribing in the same tick as the replay leaves no gap between them.
  unsubscribe = store.subscribe(event => {
    const wire = eventForWatch(event, request);
    if (wire) send(wire);
  });

  if (request.allowBookmarks) {
    const bookmark = () => {
      send({
        type: 'BOOKMARK',
        object: {
          kind: request.resource.kind,
          apiVersion: apiVersionOf(request.resource),
          metadata: { resourceVersion: String(store.currentResourceVersion()) },
        },
      });
      timers.bookmark = setTimeout(bookmark, request.bookmarkIntervalMs).unref();
    };
    timers.bookmark = setTimeout(bookmark, request.bookmarkIntervalMs).unref();
  }
  timers.timeout = setTimeout(finish, request.timeoutMs).unref();
  return finish;
}
