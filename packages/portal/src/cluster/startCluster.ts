import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { backendCommand, backendEnv, embeddedParts, nodeFromSource } from '../parts';
import { PortalSettings } from '../settings';
import { PortalError } from '../PortalError';
import { ChildSpec, RestartPolicy, Supervisor } from '../Supervisor';
import { httpAnswers, waitFor } from '../waitFor';
import { assertPortFree } from '../ports';
import { prepareClusterDir, PreparedClusterDir } from './clusterDir';
import { ClusterSettings, namedPorts, NATS_NODES } from './clusterSettings';
import { GitHost, startGitHost } from './gitHost';
import { haproxySpec } from './haproxy';
import { natsNodeSpec, NATS_USER } from './nats';
import { findPostgres, initPostgres, POSTGRES_USER, postgresSpec } from './postgres';

/** The Sovereign's name in the topology; its account on the Git host holds `catalog.git`. */
export const CLUSTER_SOVEREIGN = 'local';

export interface StartClusterOptions {
  settings: ClusterSettings;
  env: NodeJS.ProcessEnv;
  /** false (tests) turns PostgreSQL's fsync off; the launcher keeps it on. */
  durable: boolean;
  /** For PostgreSQL, the NATS nodes and the proxy; without one a crash is reported, not restarted. */
  restart?: RestartPolicy;
  /** For the backend replicas (Kubernetes restarts a pod too); tests leave a killed replica dead. */
  replicaRestart?: RestartPolicy;
  /**
   * Also the devcluster (Applications are deployed from the Git host's repos) and the local identity
   * provider (sign-in as the demo users), as in `npm start`; both need a build, so tests leave them out.
   */
  devTools?: boolean;
  /** One line per part once it is ready. */
  say?: (line: string) => void;
  /** Stop starting (Ctrl-C during the start). */
  signal?: AbortSignal;
}

/** What a client of the topology needs: its addresses and credentials. */
export interface RunningCluster {
  supervisor: Supervisor;
  dir: PreparedClusterDir;
  /** The portal's address: the proxy (`http://localhost:<proxy>`). */
  url: string;
  /** Each replica's own address, bypassing the proxy. */
  replicaUrls: string[];
  /** Supervisor part names: `backend-1`, `backend-2`, `nats-1`…, `postgres`, `haproxy`. */
  replicaNames: string[];
  nats: { servers: string[]; user: string; password: string };
  gitHost: { url: string; root: string; token: string };
  postgres: { host: string; port: number; user: string; password: string };
  /** Stops every part in reverse order and releases the cluster dir. */
  stop(): Promise<void>;
}

function which(binary: string, why: string): string {
  for (const dir of (process.env.PATH ?? '/usr/bin:/bin').split(':').concat(['/usr/sbin', '/sbin'])) {
    if (dir && existsSync(join(dir, binary))) return join(dir, binary);
  }
  throw new PortalError(`${binary} is not installed; \`npm run start:cluster\` installs it (${why})`);
}

/** Run from source in a child (it loads the backend's seed), also from the built launcher. */
const SEED_SCRIPT = 'packages/portal/src/cluster/seedGitHost.ts';

export const replicaName = (index: number) => `backend-${index + 1}`;

/**
 * One backend replica, from source like the embedded default's, configured by `APP_CONFIG_*`
 * overrides on top of app-config.yaml: PostgreSQL (Backstage makes one database per plugin and
 * shares it between replicas: the scheduler's locks, auth keys, the registry), the NATS cluster
 * with three copies of every stream and bucket, Environment repos on the Git host, its own data dir
 * (the Git host's mirrors), and the proxy's URL as the public one.
 */
function replicaSpec(options: StartClusterOptions, index: number, shared: ReplicaShared): ChildSpec {
  const { settings: s } = options;
  const port = s.ports.backends[index];
  const dataDir = join(s.clusterDir, `replica-${index + 1}`);
  mkdirSync(dataDir, { recursive: true });
  const command = backendCommand(s.rootDir, s.extraConfigs);
  const publicUrl = `http://localhost:${s.ports.proxy}`;
  return {
    name: replicaName(index),
    ...command,
    env: {
      ...options.env,
      // As the embedded default: guest sign-in and the development OIDC keys. A real deployment runs
      // NODE_ENV=production with app-config.production.yaml (docs/deploy.md).
      NODE_ENV: 'development',
      CATALYST_DATA_DIR: dataDir,
      APP_CONFIG_app_baseUrl: JSON.stringify(publicUrl),
      APP_CONFIG_backend_baseUrl: JSON.stringify(publicUrl),
      APP_CONFIG_backend_listen_port: String(port),
      APP_CONFIG_backend_cors_origin: JSON.stringify(publicUrl),
      APP_CONFIG_backend_database: JSON.stringify({
        client: 'pg',
        connection: { host: s.host, port: s.ports.postgres, user: POSTGRES_USER, password: shared.postgresPassword },
      }),
      APP_CONFIG_catalyst_nats: JSON.stringify({
        servers: shared.natsServers,
        user: NATS_USER,
        password: shared.natsPassword,
        replicas: NATS_NODES,
      }),
      APP_CONFIG_catalyst_git: JSON.stringify({
        remote: { baseUrl: shared.gitHostUrl, username: 'catalyst', token: shared.gitToken },
      }),
      // Without the devcluster, Applications are committed and projected, not deployed.
      APP_CONFIG_catalyst_clusters: JSON.stringify([]),
      ...shared.devToolsEnv,
    },
    logFile: join(s.clusterDir, 'logs', `${replicaName(index)}.log`),
    echo: options.env.CATALYST_VERBOSE === '1',
    ready: signal =>
      waitFor(() => httpAnswers(`http://${s.host}:${port}/.backstage/health/v1/readiness`), {
        timeoutMs: 240_000,
        intervalMs: 250,
        signal,
      }),
    readyTimeoutMs: 240_000,
    ...(options.replicaRestart ? { restart: options.replicaRestart } : {}),
  };
}

interface ReplicaShared {
  postgresPassword: string;
  natsPassword: string;
  natsServers: string[];
  gitHostUrl: string;
  gitToken: string;
  /** The devcluster and the identity provider's sign-in, when they run. */
  devToolsEnv: NodeJS.ProcessEnv;
}

/**
 * Starts the scaled topology on loopback and returns once the proxy serves: PostgreSQL, a
 * three-node NATS JetStream cluster, the Git host (seeded on a new cluster dir), the backend
 * replicas one after another (the first one seeds the registry and bootstraps the Environment
 * repos; the next find them), then haproxy. A failure stops what was started and throws a
 * PortalError naming the part and its log.
 */
export async function startCluster(options: StartClusterOptions): Promise<RunningCluster> {
  const { settings: s } = options;
  const say = options.say ?? (() => {});
  for (const { port, what } of namedPorts(s.ports)) {
    await assertPortFree(s.host, port, what, 'CATALYST_CLUSTER_PORT');
  }
  const natsServer = which('nats-server', 'Debian package nats-server');
  const haproxy = which('haproxy', 'Debian package haproxy');
  which('git', 'Debian package git');
  const pg = findPostgres();
  if (!pg)
    throw new PortalError(
      'PostgreSQL is not installed; `npm run start:cluster` installs it (Debian package postgresql)',
    );

  const dir = prepareClusterDir(s.clusterDir, new Date());
  const supervisor = new Supervisor();
  let gitHost: GitHost | undefined;
  const stop = async () => {
    await supervisor.stopAll();
    await gitHost?.close();
    dir.release();
  };
  // Ctrl-C in the middle of a start (a replica's takes up to a minute) stops at once.
  const cancelled = new Promise<never>((_, reject) => {
    const cancel = () => reject(new PortalError('start cancelled'));
    if (options.signal?.aborted) cancel();
    options.signal?.addEventListener('abort', cancel, { once: true });
  });
  cancelled.catch(() => {});
  const startPart = async (spec: ChildSpec) => {
    const started = supervisor.start(spec);
    started.catch(() => {});
    await Promise.race([started, cancelled]);
  };
  try {
    const pgOptions = {
      bin: pg.bin,
      dir: join(s.clusterDir, 'postgres'),
      host: s.host,
      port: s.ports.postgres,
      password: dir.secrets.postgresPassword,
      logFile: dir.logFile('postgres'),
      durable: options.durable,
      ...(options.restart ? { restart: options.restart } : {}),
    };
    if (await initPostgres(pgOptions)) say(`PostgreSQL ${pg.version}: new database cluster in ${pgOptions.dir}`);
    await startPart(postgresSpec(pgOptions));
    say(`PostgreSQL ${pg.version} ready on ${s.host}:${s.ports.postgres}`);

    // JetStream elects its meta leader only with a majority: the nodes start together.
    const natsDir = join(s.clusterDir, 'nats');
    mkdirSync(natsDir, { recursive: true });
    await Promise.all(
      s.ports.nats.map((_, index) =>
        startPart(
          natsNodeSpec({
            natsServer,
            dir: natsDir,
            host: s.host,
            index,
            nodes: s.ports.nats,
            password: dir.secrets.natsPassword,
            logFile: dir.logFile(`nats-${index + 1}`),
            ...(options.restart ? { restart: options.restart } : {}),
          }),
        ),
      ),
    );
    const natsServers = s.ports.nats.map(n => `nats://${s.host}:${n.client}`);
    say(`NATS JetStream cluster of ${NATS_NODES} ready on ${natsServers.join(', ')}`);

    // `git/` like the embedded data dir, so the devcluster reads the host's repos as it reads those.
    const gitRoot = join(s.clusterDir, 'git');
    if (!existsSync(gitRoot)) {
      const node = nodeFromSource(s.rootDir);
      await promisify(execFile)(
        node.command,
        [...node.args, join(s.rootDir, SEED_SCRIPT), s.rootDir, gitRoot, CLUSTER_SOVEREIGN],
        { cwd: s.rootDir, env: options.env },
      ).catch(e => {
        throw new PortalError(`seeding the Git host failed: ${(e as { stderr?: string }).stderr || e}`);
      });
      say(`Git host seeded in ${gitRoot}`);
    }
    gitHost = await startGitHost({ root: gitRoot, host: s.host, port: s.ports.gitHost, token: dir.secrets.gitToken });
    say(`Git host (git http-backend) ready on ${gitHost.url}`);

    let devToolsEnv: NodeJS.ProcessEnv = {};
    if (options.devTools) {
      // The embedded default's parts, on this topology's ports, with the cluster dir as their data dir
      // (devcluster --git-root <dir>/git: the Git host's repos) and the proxy as the portal's URL.
      const embedded: PortalSettings = {
        rootDir: s.rootDir,
        dataDir: s.clusterDir,
        host: s.host,
        backendPort: s.ports.proxy,
        natsPort: s.ports.nats[0].client,
        devclusterPort: s.ports.devcluster,
        idpPort: s.ports.idp,
        extraConfigs: s.extraConfigs,
      };
      const [, devcluster, idp] = embeddedParts(embedded, options.env, natsServer, options.restart);
      for (const part of [devcluster, idp]) {
        await startPart(part.spec);
        say(part.readyLine);
      }
      const { APP_CONFIG_catalyst_clusters, APP_CONFIG_auth_providers_oidc, CATALYST_IDP_URL } = backendEnv(
        embedded,
        {},
      );
      devToolsEnv = { APP_CONFIG_catalyst_clusters, APP_CONFIG_auth_providers_oidc, CATALYST_IDP_URL };
    }

    const shared: ReplicaShared = {
      postgresPassword: dir.secrets.postgresPassword,
      natsPassword: dir.secrets.natsPassword,
      natsServers,
      gitHostUrl: gitHost.url,
      gitToken: dir.secrets.gitToken,
      devToolsEnv,
    };
    for (let i = 0; i < s.replicas; i++) {
      await startPart(replicaSpec(options, i, shared));
      say(`backend replica ${i + 1} ready on http://${s.host}:${s.ports.backends[i]}`);
    }
    await startPart(
      haproxySpec({
        haproxy,
        dir: s.clusterDir,
        host: s.host,
        port: s.ports.proxy,
        backends: s.ports.backends,
        logFile: dir.logFile('haproxy'),
        ...(options.restart ? { restart: options.restart } : {}),
      }),
    );
    const url = `http://localhost:${s.ports.proxy}`;
    // The proxy serves once its health checks have seen a replica up.
    if (
      !(await waitFor(() => httpAnswers(`http://${s.host}:${s.ports.proxy}/api/catalyst/health`), {
        timeoutMs: 30_000,
      }))
    ) {
      throw new PortalError(
        `haproxy on ${s.host}:${s.ports.proxy} found no healthy replica (log: ${dir.logFile('haproxy')})`,
      );
    }
    return {
      supervisor,
      dir,
      url,
      replicaUrls: s.ports.backends.map(p => `http://${s.host}:${p}`),
      replicaNames: s.ports.backends.map((_, i) => replicaName(i)),
      nats: { servers: natsServers, user: NATS_USER, password: dir.secrets.natsPassword },
      gitHost: { url: gitHost.url, root: gitRoot, token: dir.secrets.gitToken },
      postgres: { host: s.host, port: s.ports.postgres, user: POSTGRES_USER, password: dir.secrets.postgresPassword },
      stop,
    };
  } catch (e) {
    await stop();
    throw e;
  }
}

/** `git` in a repo on the host, e.g. for fsck or rev-list in tests and checks. */
export function gitOnHost(root: string, repo: string, args: string[]): string {
  return execFileSync('git', ['--git-dir', join(root, repo), ...args], { encoding: 'utf8' });
}
