import { join } from 'node:path';
import { PortalSettings } from './settings';
import { ChildSpec, DEFAULT_RESTART_POLICY, RestartPolicy } from './Supervisor';
import { httpAnswers, tcpGreets, waitFor } from './waitFor';

/** One process of the embedded portal: how to start it, and the line to print once it is ready. */
export interface Part {
  spec: ChildSpec;
  readyLine: string;
}

/**
 * The URL the browser and the backend use for the local identity provider: its issuers are
 * `<url>/realms/<realm>` and say localhost, like the portal's own URL.
 */
export function idpUrl(s: PortalSettings): string {
  return `http://localhost:${s.idpPort}`;
}

/** The portal's client secret at the local identity provider (its default; a development value). */
export const IDP_CLIENT_SECRET = 'catalyst-dev-secret';

/** Environment for the backend: the data dir, and config overrides for non-default ports. */
export function backendEnv(s: PortalSettings, base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const baseUrl = `http://localhost:${s.backendPort}`;
  return {
    ...base,
    // The embedded default is a development portal on one machine: Backstage allows guest sign-in
    // only in development, so production (NODE_ENV=production) can never fall back to it.
    NODE_ENV: 'development',
    CATALYST_DATA_DIR: s.dataDir,
    APP_CONFIG_app_baseUrl: JSON.stringify(baseUrl),
    APP_CONFIG_backend_baseUrl: JSON.stringify(baseUrl),
    APP_CONFIG_backend_listen_port: String(s.backendPort),
    APP_CONFIG_backend_cors_origin: JSON.stringify(baseUrl),
    APP_CONFIG_catalyst_nats_servers: JSON.stringify([`nats://${s.host}:${s.natsPort}`]),
    APP_CONFIG_catalyst_clusters: JSON.stringify([
      { name: 'devcluster', type: 'devcluster', url: `http://${s.host}:${s.devclusterPort}`, environments: ['*'] },
    ]),
    // Sign-in through the local identity provider's shared realm (Catalyst's auth module, provider
    // `oidc`). Set here rather than in app-config.yaml: only the launcher starts that provider, and
    // Backstage's OIDC module fails the whole backend when the issuer is unreachable at start.
    APP_CONFIG_auth_providers_oidc: JSON.stringify({
      development: {
        metadataUrl: `${idpUrl(s)}/realms/catalyst/.well-known/openid-configuration`,
        clientId: 'catalyst-portal',
        clientSecret: IDP_CLIENT_SECRET,
        prompt: 'auto',
        additionalScopes: ['groups', 'offline_access'],
      },
    }),
    CATALYST_IDP_URL: idpUrl(s),
  };
}

/** Node with Backstage's node transform, so TypeScript sources run as they are (the backend, scripts). */
export function nodeFromSource(rootDir: string): { command: string; args: string[] } {
  return {
    command: process.execPath,
    args: [
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs', { paths: [rootDir] }),
    ],
  };
}

/** How the backend is started from source: app-config.yaml, then the extra config files in order. */
export function backendCommand(
  rootDir: string,
  extraConfigs: string[],
): { command: string; args: string[]; cwd: string } {
  const node = nodeFromSource(rootDir);
  return {
    command: node.command,
    args: [
      ...node.args,
      join(rootDir, 'packages/backend/src/index.ts'),
      '--config',
      join(rootDir, 'app-config.yaml'),
      ...extraConfigs.flatMap(c => ['--config', c]),
    ],
    cwd: join(rootDir, 'packages/backend'),
  };
}

/**
 * The backend, from source (Backstage's node transform), serving the built app. It has no restart
 * policy, so its death ends the portal (runPortal): a crashing backend is a bug in Catalyst to look
 * at, not to paper over, and its start is slow enough that a crash loop would pass for a hung portal.
 */
export function backendPart(s: PortalSettings, env: NodeJS.ProcessEnv): Part {
  return {
    spec: {
      name: 'backend',
      ...backendCommand(s.rootDir, s.extraConfigs),
      env: backendEnv(s, env),
      logFile: join(s.dataDir, 'logs', 'backend.log'),
      // Backend logs go to logs/backend.log; CATALYST_VERBOSE=1 shows them here too.
      echo: env.CATALYST_VERBOSE === '1',
      ready: signal =>
        waitFor(() => httpAnswers(`http://${s.host}:${s.backendPort}/.backstage/health/v1/readiness`), {
          timeoutMs: 240_000,
          intervalMs: 250,
          signal,
        }),
      readyTimeoutMs: 240_000,
    },
    readyLine: `portal ready: open http://localhost:${s.backendPort} (Ctrl-C stops the backend, the identity provider, the devcluster and nats-server)`,
  };
}

/**
 * nats-server, the devcluster and the identity provider: the parts the backend reconnects to, so
 * a crash of one restarts it (`restart`) while the backend keeps serving. Started in this order.
 * A restart runs the same spec: nats-server on the same port with the same JetStream store (the
 * backend's connection finds it there, and what it acknowledged is in the store), the devcluster
 * on the same Git root, the identity provider on the same data dir.
 */
export function embeddedParts(
  s: PortalSettings,
  env: NodeJS.ProcessEnv,
  natsServer: string,
  restart: RestartPolicy = DEFAULT_RESTART_POLICY,
): Part[] {
  const logs = join(s.dataDir, 'logs');
  return [
    {
      spec: {
        name: 'nats-server',
        command: natsServer,
        args: [
          '-a',
          s.host,
          '-p',
          String(s.natsPort),
          '-js',
          '-sd',
          join(s.dataDir, 'jetstream'),
          '-n',
          'catalyst-embedded',
        ],
        cwd: s.rootDir,
        env,
        logFile: join(logs, 'nats-server.log'),
        ready: signal => waitFor(() => tcpGreets(s.host, s.natsPort, 'INFO'), { timeoutMs: 20_000, signal }),
        readyTimeoutMs: 20_000,
        restart,
      },
      readyLine: `nats-server ready on nats://${s.host}:${s.natsPort} (JetStream store ${join(
        s.dataDir,
        'jetstream',
      )})`,
    },
    {
      spec: {
        name: 'devcluster',
        command: process.execPath,
        args: [
          join(s.rootDir, 'packages/devcluster/bin/devcluster.js'),
          '--git-root',
          join(s.dataDir, 'git'),
          '--host',
          s.host,
          '--port',
          String(s.devclusterPort),
        ],
        cwd: s.rootDir,
        env,
        logFile: join(logs, 'devcluster.log'),
        ready: signal =>
          waitFor(() => httpAnswers(`http://${s.host}:${s.devclusterPort}/`), { timeoutMs: 30_000, signal }),
        readyTimeoutMs: 30_000,
        restart,
      },
      readyLine: `devcluster ready on http://${s.host}:${s.devclusterPort} (a development stand-in for Kubernetes + Flux)`,
    },
    {
      spec: {
        name: 'idp',
        command: process.execPath,
        args: [
          join(s.rootDir, 'packages/idp/bin/catalyst-idp.js'),
          '--data-dir',
          s.dataDir,
          '--host',
          s.host,
          '--port',
          String(s.idpPort),
          // Its client's redirect URIs are the portal's auth callbacks.
          '--portal-url',
          `http://localhost:${s.backendPort}`,
        ],
        cwd: s.rootDir,
        env,
        logFile: join(logs, 'idp.log'),
        ready: signal => waitFor(() => httpAnswers(`http://${s.host}:${s.idpPort}/`), { timeoutMs: 30_000, signal }),
        readyTimeoutMs: 30_000,
        restart,
      },
      readyLine: `identity provider ready: issuers ${idpUrl(
        s,
      )}/realms/<realm> (a development stand-in for Keycloak; demo users in packages/idp/README.md)`,
    },
  ];
}
