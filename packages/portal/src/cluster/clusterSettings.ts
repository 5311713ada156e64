import { resolve } from 'node:path';
import { PortalError } from '../PortalError';
import { assertPortFree } from '../ports';

/** Three ports per NATS node: clients, the cluster's routes, and monitoring (health checks). */
export interface NatsNodePorts {
  client: number;
  route: number;
  monitor: number;
}

/** Every port of the scaled topology; all on 127.0.0.1. */
export interface ClusterPorts {
  /** The reverse proxy: the portal's one address (http://localhost:<proxy>). */
  proxy: number;
  /** One per backend replica, behind the proxy. */
  backends: number[];
  nats: NatsNodePorts[];
  postgres: number;
  gitHost: number;
  /** The local identity provider and the devcluster (`npm run start:cluster` only; they need a build). */
  idp: number;
  devcluster: number;
}

/** What `catalyst-portal cluster` needs to know, resolved once from the environment. */
export interface ClusterSettings {
  rootDir: string;
  /** Everything the topology keeps: PostgreSQL's data, the NATS stores, the Git host's repos, logs. */
  clusterDir: string;
  host: string;
  replicas: number;
  ports: ClusterPorts;
  /** Extra `--config` files for the backends, after app-config.yaml (CATALYST_CONFIG, comma separated). */
  extraConfigs: string[];
}

/** A three-node NATS cluster: JetStream needs a majority, so one node may be lost. */
export const NATS_NODES = 3;

/**
 * Ports laid out from one base (`CATALYST_CLUSTER_PORT`, default 7100) so the topology sits beside
 * the embedded default's 4222/7007-7009: the proxy on the base, the identity provider, devcluster,
 * Git host and PostgreSQL on base+1..4, backends from base+10, NATS clients from base+20, routes from base+30,
 * monitoring from base+40.
 */
export function clusterPortsFrom(base: number, replicas: number): ClusterPorts {
  return {
    proxy: base,
    idp: base + 1,
    devcluster: base + 2,
    gitHost: base + 3,
    postgres: base + 4,
    backends: Array.from({ length: replicas }, (_, i) => base + 10 + i),
    nats: Array.from({ length: NATS_NODES }, (_, i) => ({
      client: base + 20 + i,
      route: base + 30 + i,
      monitor: base + 40 + i,
    })),
  };
}

/** Every port of the topology, named, in the order they are checked. */
export function namedPorts(ports: ClusterPorts): Array<{ port: number; what: string }> {
  return [
    { port: ports.proxy, what: 'reverse proxy' },
    { port: ports.idp, what: 'identity provider' },
    { port: ports.devcluster, what: 'devcluster' },
    { port: ports.gitHost, what: 'Git host' },
    { port: ports.postgres, what: 'PostgreSQL' },
    ...ports.backends.map((port, i) => ({ port, what: `backend replica ${i + 1}` })),
    ...ports.nats.flatMap((n, i) => [
      { port: n.client, what: `nats-${i + 1} clients` },
      { port: n.route, what: `nats-${i + 1} routes` },
      { port: n.monitor, what: `nats-${i + 1} monitoring` },
    ]),
  ];
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new PortalError(`${name}="${raw}" must be an integer from ${min} to ${max}`);
  }
  return n;
}

export function readClusterSettings(rootDir: string, env: NodeJS.ProcessEnv): ClusterSettings {
  const replicas = integer(env, 'CATALYST_CLUSTER_REPLICAS', 2, 1, 9);
  // the highest port used is base + 42
  const base = integer(env, 'CATALYST_CLUSTER_PORT', 7100, 1024, 65535 - 42);
  return {
    rootDir,
    clusterDir: resolve(rootDir, env.CATALYST_CLUSTER_DIR || '.catalyst-cluster'),
    // Loopback only: this is a rehearsal of production on one machine, not a deployment.
    host: '127.0.0.1',
    replicas,
    ports: clusterPortsFrom(base, replicas),
    extraConfigs: (env.CATALYST_CONFIG ?? '')
      .split(',')
      .map(s => s.trim())
      .filter(Boolean)
      .map(p => resolve(rootDir, p)),
  };
}

/**
 * A base port whose whole range (every part of a topology with `replicas` replicas) is free on
 * 127.0.0.1, for tests and benchmarks that start a topology beside whatever else runs: tried at
 * random below Linux's ephemeral range (32768+), where outgoing connections take their ports.
 */
export async function findFreeClusterBase(replicas: number): Promise<number> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * 120) * 100;
    try {
      for (const { port, what } of namedPorts(clusterPortsFrom(base, replicas))) {
        await assertPortFree('127.0.0.1', port, what, 'CATALYST_CLUSTER_PORT');
      }
      return base;
    } catch {
      // one of them is busy: try another base
    }
  }
  throw new Error('no free port range for the cluster');
}
