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

/**
 * nats-server, the devcluster and the identity provider: the parts the backend reconnects to, so
 * a crash of one restarts it (`restart`) while the backend keeps serving. Started in this order.
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
