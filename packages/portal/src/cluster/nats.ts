import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildSpec, RestartPolicy } from '../Supervisor';
import { httpAnswers, waitFor } from '../waitFor';
import { NatsNodePorts } from './clusterSettings';

/** The one user the backends connect as (the backend holds one NATS credential today). */
export const NATS_USER = 'catalyst';

export interface NatsNodeOptions {
  natsServer: string;
  /** `<cluster dir>/nats`: node-<n>.conf and the store node-<n>/ */
  dir: string;
  host: string;
  /** 0-based */
  index: number;
  nodes: NatsNodePorts[];
  password: string;
  logFile: string;
  restart?: RestartPolicy;
}

export const natsNodeName = (index: number) => `nats-${index + 1}`;

/**
 * One node of a JetStream cluster, the loopback shape of deploy/nats/nats-server.conf: a server name,
 * clients, routes to every node (its own route is ignored by the server), monitoring for health
 * checks, a store of its own. One user in the global account: the backend cannot hold a connection
 * per Organization account yet (deploy/nats/README.md), so accounts are not rehearsed here.
 */
export function natsNodeConfig(options: NatsNodeOptions): string {
  const me = options.nodes[options.index];
  const routes = options.nodes.map(n => `    nats-route://${options.host}:${n.route}`).join('\n');
  return `# Written by catalyst-portal cluster; rewritten at every start.
server_name: ${natsNodeName(options.index)}
listen: ${options.host}:${me.client}
http: ${options.host}:${me.monitor}

jetstream {
  store_dir: "${join(options.dir, natsNodeName(options.index))}"
  max_memory_store: 256MB
  max_file_store: 8GB
}

cluster {
  name: catalyst
  listen: ${options.host}:${me.route}
  routes: [
${routes}
  ]
}

# The password comes from the environment ($CATALYST_NATS_PASSWORD), as in deploy/nats.
authorization {
  users: [
    { user: ${NATS_USER}, password: $CATALYST_NATS_PASSWORD }
  ]
}
`;
}

export function natsNodeSpec(options: NatsNodeOptions): ChildSpec {
  const name = natsNodeName(options.index);
  mkdirSync(join(options.dir, name), { recursive: true });
  const configFile = join(options.dir, `${name}.conf`);
  writeFileSync(configFile, natsNodeConfig(options), { mode: 0o600 });
  const monitor = options.nodes[options.index].monitor;
  return {
    name,
    command: options.natsServer,
    args: ['-c', configFile],
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', CATALYST_NATS_PASSWORD: options.password },
    logFile: options.logFile,
    // Healthy = serving and current with the JetStream meta leader, so a node only counts as ready
    // once the cluster has a quorum: the nodes are started together and waited for together.
    ready: signal =>
      waitFor(() => httpAnswers(`http://${options.host}:${monitor}/healthz`), {
        timeoutMs: 60_000,
        intervalMs: 200,
        signal,
      }),
    readyTimeoutMs: 60_000,
    ...(options.restart ? { restart: options.restart } : {}),
  };
}
