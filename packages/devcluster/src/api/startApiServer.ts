import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { DevClusterLogger } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { findServedResource } from '../store/resources';
import { parseFieldSelector, parseLabelSelector } from '../store/selectors';
import { apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo } from './discovery';
import { matchesQuery, present, ResourceQuery } from './present';
import { badRequest, notFoundPath, statusObject } from './status';
import { serveWatch } from './watch';

/** What the API server needs to know about one served cluster. */
export interface ServedCluster {
  /** `devcluster-<env>`: the name tells every client this is the stand-in. */
  name: string;
  environment: string;
  store: ObjectStore;
}

/** Finds (or lazily creates) the cluster behind `/clusters/<env>`. */
export interface ClusterDirectory {
  get(environment: string): ServedCluster | undefined;
  list(): ServedCluster[];
}

export interface ApiServerOptions {
  directory: ClusterDirectory;
  host: string;
  port: number;
  logger: DevClusterLogger;
  bookmarkIntervalMs?: number;
  /** Server-side watch timeout when the client gives no timeoutSeconds. */
  defaultWatchTimeoutMs?: number;
}

export interface ApiServer {
  /** Base URL, e.g. `http://127.0.0.1:7008`. */
  url: string;
  stop(): Promise<void>;
}

function sendJson(res: ServerResponse, code: number, body: unknown) {
  const text = JSON.stringify(body);
  res.writeHead(code, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
  });
  res.end(text);
}

function sendStatus(res: ServerResponse, status: { code: number }) {
  sendJson(res, status.code, status);
}

function parseResourceVersion(text: string | null): number | 'invalid' | undefined {
  if (text === null || text === '') return undefined;
  return /^\d+$/.test(text) ? Number(text) : 'invalid';
}

/**
 * Starts the one HTTP server that serves every Environment as its own cluster
 * under `/clusters/<env>`. It speaks the Kubernetes list/watch protocol for
 * GET only: changes come from the Environment's Git repo, as with Flux.
 * Bearer tokens are accepted and ignored.
 */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const { directory, logger } = options;
  const bookmarkIntervalMs = options.bookmarkIntervalMs ?? 60_000;
  const defaultWatchTimeoutMs = options.defaultWatchTimeoutMs ?? 30 * 60_000;
  const activeWatches = new Set<() => void>();
  let serverAddress = '';
  let baseUrl = '';

  const handleResource = (
    cluster: ServedCluster,
    group: string,
    version: string,
    rest: string[],
    url: URL,
    res: ServerResponse,
  ) => {
    // rest: [plural] | [plural, name] | ['namespaces', ns, plural] | ['namespaces', ns, plural, name]
    let namespace: string | undefined;
    let plural: string;
    let name: string | undefined;
    if (rest[0] === 'namespaces' && rest.length >= 3) {
      [, namespace, plural, name] = rest;
    } else {
      [plural, name] = rest;
    }
    const extra = rest.length - (namespace !== undefined ? 4 : 2);
    const resource = findServedResource(group, version, plural);
    if (!resource || extra > 0 || (namespace !== undefined && !resource.namespaced)) {
      sendStatus(res, notFoundPath());
      return;
    }

    const labels = parseLabelSelector(url.searchParams.get('labelSelector') ?? undefined);
    if (!labels.ok) {
      sendStatus(res, badRequest(labels.message));
      return;
    }
    const fields = parseFieldSelector(url.searchParams.get('fieldSelector') ?? undefined, resource.kind);
    if (!fields.ok) {
      sendStatus(res, badRequest(fields.message));
      return;
    }
    const query: ResourceQuery = {
      resource,
      namespace,
      labels: labels.value,
      fields: fields.value,
    };
    const store = cluster.store;

    if (name !== undefined) {
      const found = store.get({ group, kind: resource.kind, namespace, name });
      if (!found) {
        sendStatus(
          res,
          statusObject(404, 'NotFound', `${resource.plural}${group ? `.${group}` : ''} "${name}" not found`, {
            name,
            ...(group ? { group } : {}),
            kind: resource.plural,
          }),
        );
        return;
      }
      sendJson(res, 200, present(found, resource));
      return;
    }

    const watch = url.searchParams.get('watch');
    if (watch === '1' || watch === 'true') {
      const resourceVersion = parseResourceVersion(url.searchParams.get('resourceVersion'));
      if (resourceVersion === 'invalid') {
        sendStatus(res, badRequest('invalid resource version'));
        return;
      }
      const timeoutSeconds = Number(url.searchParams.get('timeoutSeconds') ?? '');
      const bookmarks = url.searchParams.get('allowWatchBookmarks');
      const stop = serveWatch(
        store,
        {
          ...query,
          resourceVersion,
          allowBookmarks: bookmarks === 'true' || bookmarks === '1',
          timeoutMs:
            Number.isFinite(timeoutSeconds) && timeoutSeconds > 0 ? timeoutSeconds * 1000 : defaultWatchTimeoutMs,
          bookmarkIntervalMs,
        },
        res,
      );
      activeWatches.add(stop);
      res.on('close', () => activeWatches.delete(stop));
      return;
    }

    // `limit`/`continue` are not implemented: the whole list is one page,
    // which clients accept because no `continue` token is returned.
    const items = store
      .listFrozen(group, resource.kind, namespace)
      .filter(o => matchesQuery(o, query))
      .map(o => present(o, resource));
    sendJson(res, 200, {
      kind: `${resource.kind}List`,
      apiVersion: group ? `${group}/${version}` : version,
      metadata: { resourceVersion: String(store.currentResourceVersion()) },
      items,
    });
  };

  const handleCluster = (cluster: ServedCluster, segments: string[], url: URL, res: ServerResponse) => {
    const [first, second, third] = segments;
    if (segments.length === 0) {
      sendJson(res, 200, { paths: ['/api', '/api/v1', '/apis', '/version', '/healthz'] });
      return;
    }
    if (segments.length === 1 && first === 'version') {
      sendJson(res, 200, versionInfo());
      return;
    }
    if (segments.length === 1 && ['healthz', 'livez', 'readyz'].includes(first)) {
      res.writeHead(200, { 'Content-Type': 'text/plain' });
      res.end('ok');
      return;
    }
    if (first === 'api') {
      if (segments.length === 1) {
        sendJson(res, 200, apiVersions(serverAddress));
        return;
      }
      if (segments.length === 2) {
        const list = apiResourceList('', second);
        if (list) sendJson(res, 200, list);
        else sendStatus(res, notFoundPath());
        return;
      }
      handleResource(cluster, '', second, segments.slice(2), url, res);
      return;
    }
    if (first === 'apis') {
      if (segments.length === 1) {
        sendJson(res, 200, apiGroupList());
        return;
      }
      if (segments.length === 2) {
        const group = apiGroup(second);
        if (group) sendJson(res, 200, group);
        else sendStatus(res, notFoundPath());
        return;
      }
      if (segments.length === 3) {
        const list = apiResourceList(second, third);
        if (list) sendJson(res, 200, list);
        else sendStatus(res, notFoundPath());
        return;
      }
      handleResource(cluster, second, third, segments.slice(3), url, res);
      return;
    }
    sendStatus(res, notFoundPath());
  };

  const listClusters = () => ({
    kind: 'DevClusterList',
    description: 'devcluster: a development stand-in for Kubernetes with Flux, not a real cluster',
    clusters: directory.list().map(c => ({
      name: c.name,
      environment: c.environment,
      url: `${baseUrl}/clusters/${c.environment}`,
    })),
  });

  const handle = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://devcluster');
    if (req.method !== 'GET') {
      sendStatus(
        res,
        statusObject(
          405,
          'MethodNotAllowed',
          "the devcluster API is read-only: changes come from the Environment's Git repo",
        ),
      );
      return;
    }
    const segments = url.pathname
      .split('/')
      .filter(s => s.length > 0)
      .map(decodeURIComponent);
    if (segments.length === 0 || (segments.length === 1 && segments[0] === 'clusters')) {
      sendJson(res, 200, listClusters());
      return;
    }
    if (segments[0] !== 'clusters') {
      sendStatus(res, notFoundPath());
      return;
    }
    const cluster = directory.get(segments[1]);
    if (!cluster) {
      sendStatus(
        res,
        statusObject(
          404,
          'NotFound',
          `devcluster: no Environment "${segments[1]}" (expected <org>-<prod|stg|uat|dev|poc>)`,
        ),
      );
      return;
    }
    handleCluster(cluster, segments.slice(2), url, res);
  };

  const server = createServer((req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      logger.error('devcluster API request failed', { url: req.url, error: String(error) });
      if (!res.headersSent) {
        sendStatus(res, statusObject(500, 'InternalError', String(error)));
      } else {
        res.end();
      }
    }
  });
  // Watches are long-lived; the server's default timeouts would cut them.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 5_000;

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostForUrl = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  serverAddress = `${hostForUrl}:${address.port}`;
  baseUrl = `http://${serverAddress}`;

  return {
    url: baseUrl,
    async stop() {
      for (const stop of [...activeWatches]) stop();
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
