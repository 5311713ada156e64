import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { createRealmProvider } from './createRealmProvider';
import { RealmStateFile } from './FileAdapter';
import { handleInteraction, InteractionContext } from './interactions';
import { loadOrCreateKeys } from './keys';
import { IdpLogger, silentLogger } from './logger';
import { idpPaths } from './paths';
import { realmsFor } from './realms';
import { UserDirectory } from './users/UserDirectory';

export const DEFAULT_IDP_PORT = 7009;
export const DEFAULT_CLIENT_SECRET = 'catalyst-dev-secret';
export const DEFAULT_PORTAL_URL = 'http://localhost:7007';

export interface IdentityProviderOptions {
  /** The portal's data dir; the IdP keeps users, keys and sessions in `<dataDir>/idp/`. */
  dataDir: string;
  /** Default 127.0.0.1: a development stand-in never listens beyond loopback. */
  host?: string;
  /** Default 7009; 0 = any free port. */
  port?: number;
  /** Where the portal runs: its auth callbacks are the client's redirect URIs. Default http://localhost:7007. */
  portalUrl?: string;
  /** The `catalyst-portal` client's secret. Default `catalyst-dev-secret`. */
  clientSecret?: string;
  /** Access and ID token lifetime; default 900 (15 minutes, as Keycloak's default). */
  accessTokenTtlSeconds?: number;
  /** Refresh token lifetime; default 30 days. */
  refreshTokenTtlSeconds?: number;
  logger?: IdpLogger;
}

export interface IdentityProvider {
  /** `http://localhost:<port>`: issuers are `<url>/realms/<realm>`. */
  url: string;
  /** Where it listens (127.0.0.1 unless `host` says otherwise). */
  host: string;
  port: number;
  realms: string[];
  issuer(realm: string): string;
  usersFile: string;
  stop(): Promise<void>;
}

function json(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/**
 * Starts the local OpenID Connect provider: a development stand-in for Keycloak with Keycloak's
 * URL layout (`/realms/<realm>/…`), realm `catalyst` plus one realm per Organization, users from
 * `<dataDir>/idp/users.json` (seeded with the demo users on first start).
 */
export async function startIdentityProvider(options: IdentityProviderOptions): Promise<IdentityProvider> {
  const logger = options.logger ?? silentLogger;
  const host = options.host ?? '127.0.0.1';
  const paths = idpPaths(options.dataDir);
  const users = await UserDirectory.open({ file: paths.users, logger });
  const realms = realmsFor(users.list());
  const keys = loadOrCreateKeys(
    paths.keys,
    realms.map(r => r.name),
  );

  type Route = InteractionContext & { handle: (req: IncomingMessage, res: ServerResponse) => void };
  const routes = new Map<string, Route>();
  // The issuers carry the port, known only once listening: until the realms exist, answer 503.
  let base = '';
  const server = createServer((req, res) => {
    if (base === '') {
      json(res, 503, { error: 'starting' });
      return;
    }
    const [pathname, query] = (req.url ?? '/').split(/\?(.*)/s, 2);
    if (pathname === '/' || pathname === '') {
      json(res, 200, {
        kind: 'CatalystIdentityProvider',
        note: 'development stand-in for Keycloak, not a real identity provider',
        realms: [...routes.keys()].map(name => ({ name, issuer: `${base}/realms/${name}` })),
      });
      return;
    }
    const m = /^\/realms\/([^/]+)(\/.*)?$/.exec(pathname);
    const route = m ? routes.get(m[1]) : undefined;
    if (!m || !route) {
      json(res, 404, { error: m ? 'Realm does not exist' : 'Not found' });
      return;
    }
    const rest = m[2] ?? '/';
    const login = /^\/login-actions\/([A-Za-z0-9_-]+)$/.exec(rest);
    if (login) {
      handleInteraction(route, login[1], req, res).catch(error => {
        logger.error('sign-in page failed', { realm: route.realm.name, error: String(error) });
        if (!res.headersSent) json(res, 500, { error: 'sign-in failed; see the IdP log' });
        else res.end();
      });
      return;
    }
    // oidc-provider routes relative to the issuer's path: hand it the rest, and the full URL as
    // originalUrl so the URLs it builds keep the /realms/<realm> prefix.
    (req as IncomingMessage & { originalUrl?: string }).originalUrl = req.url;
    req.url = query === undefined ? rest : `${rest}?${query}`;
    route.handle(req, res);
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen({ host, port: options.port ?? DEFAULT_IDP_PORT }, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  // The issuer says localhost, as Keycloak's does in development: the portal and the browser
  // both reach it there, and cookies stay on one host name.
  const url = `http://localhost:${port}`;
  try {
    for (const realm of realms) {
      const provider = createRealmProvider({
        realm,
        issuer: `${url}/realms/${realm.name}`,
        users,
        keys,
        state: RealmStateFile.open(paths.state(realm.name), logger),
        portalUrl: (options.portalUrl ?? DEFAULT_PORTAL_URL).replace(/\/+$/, ''),
        clientSecret: options.clientSecret ?? DEFAULT_CLIENT_SECRET,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 15 * 60,
        refreshTokenTtlSeconds: options.refreshTokenTtlSeconds ?? 30 * 24 * 60 * 60,
        logger,
      });
      routes.set(realm.name, { realm, provider, users, logger, handle: provider.callback() });
    }
  } catch (error) {
    // Nothing half-started stays behind: the port is free again for the next attempt.
    server.close();
    throw error;
  }
  base = url;

  let stopped: Promise<void> | undefined;
  return {
    url,
    host,
    port,
    realms: realms.map(r => r.name),
    issuer: realm => `${url}/realms/${realm}`,
    usersFile: paths.users,
    stop() {
      stopped ??= new Promise<void>(resolvePromise => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}
