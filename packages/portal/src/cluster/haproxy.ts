import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ChildSpec, RestartPolicy } from '../Supervisor';
import { tcpAccepts, waitFor } from '../waitFor';

export interface HaproxyOptions {
  haproxy: string;
  dir: string;
  host: string;
  port: number;
  backends: number[];
  logFile: string;
  restart?: RestartPolicy;
}

/** The path every replica answers 200 on while NATS, Git and the database answer it. */
export const HEALTH_PATH = '/api/catalyst/health';

/**
 * The reverse proxy in front of the replicas. Health checks every second on the catalyst backend's
 * health endpoint (two failures take a replica out, two successes bring it back); a request whose
 * replica refuses the connection is sent to the other (`redispatch`); server timeouts long enough
 * for SSE streams, which the backend keeps alive with heartbeats.
 *
 * Writes to one Environment (POST/PUT/PATCH/DELETE under `/api/catalyst/environments/<env>`) go to
 * one replica, chosen by a consistent hash of that path (the next one when it is down). Two replicas
 * writing one Environment stay correct — the Git host's branch refuses the loser's push and the
 * RepoWriter recomputes — but under a sustained stream of writes the replica whose own writes never
 * conflict keeps winning (its next write starts as its push lands, the loser's retry needs a whole
 * recompute), so the loser's writes fail after their retries. On one replica they queue instead.
 * Reads and SSE streams are spread round robin.
 */
export function haproxyConfig(options: HaproxyOptions): string {
  const servers = options.backends
    .map((port, i) => `  server replica-${i + 1} ${options.host}:${port} check`)
    .join('\n');
  const pool = (name: string, balance: string) => `backend ${name}
  balance ${balance}
  option httpchk GET ${HEALTH_PATH}
  http-check expect status 200
  default-server inter 1s fall 2 rise 2
${servers}
`;
  return `# Written by catalyst-portal cluster; rewritten at every start.
global
  maxconn 4096

defaults
  mode http
  option redispatch
  retries 3
  timeout connect 2s
  timeout client 1h
  timeout server 1h
  timeout tunnel 1h
  timeout http-request 30s

frontend portal
  bind ${options.host}:${options.port}
  acl environment_write path_beg /api/catalyst/environments/
  acl write method POST PUT PATCH DELETE
  use_backend environment_writes if environment_write write
  default_backend replicas

${pool('replicas', 'roundrobin')}
# /api/catalyst/environments/<env>: the hash of the path up to its fifth slash
${pool('environment_writes', 'uri depth 5\n  hash-type consistent')}`;
}

export function haproxySpec(options: HaproxyOptions): ChildSpec {
  const configFile = join(options.dir, 'haproxy.cfg');
  writeFileSync(configFile, haproxyConfig(options));
  return {
    name: 'haproxy',
    command: options.haproxy,
    // -db: stay in the foreground, logs to stderr
    args: ['-db', '-f', configFile],
    cwd: options.dir,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    logFile: options.logFile,
    // listening is enough: the replicas behind it are waited for on their own ports first
    ready: signal =>
      waitFor(() => tcpAccepts(options.host, options.port), { timeoutMs: 20_000, intervalMs: 100, signal }),
    readyTimeoutMs: 20_000,
    // SIGTERM (the default) is haproxy's hard stop: a soft stop would wait for every SSE stream to end.
    ...(options.restart ? { restart: options.restart } : {}),
  };
}
