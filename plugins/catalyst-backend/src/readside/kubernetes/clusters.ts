import type { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';

/** One entry of `catalyst.clusters` (config.d.ts). */
export interface CatalystClusterConfig {
  name: string;
  type: 'devcluster' | 'kubernetes';
  url: string;
  /** Environment names, or ['*'] (devcluster: every Environment). */
  environments: string[];
  auth?: { serviceAccountToken?: string; caData?: string; skipTLSVerify?: boolean };
}

/** The devcluster ignores tokens; the kubernetes plugin and client-node still want one. */
export const DEVCLUSTER_TOKEN = 'devcluster-ignores-tokens';

export function readClusterConfig(config: Config): CatalystClusterConfig[] {
  return (config.getOptionalConfigArray('catalyst.clusters') ?? []).map(c => {
    const type = c.getString('type');
    if (type !== 'devcluster' && type !== 'kubernetes') {
      throw new Error(
        `catalyst.clusters: cluster ${c.getString('name')} has type "${type}"; expected devcluster or kubernetes`,
      );
    }
    const auth = c.getOptionalConfig('auth');
    return {
      name: c.getString('name'),
      type,
      url: c.getString('url').replace(/\/+$/, ''),
      environments: c.getOptionalStringArray('environments') ?? ['*'],
      ...(auth
        ? {
            auth: {
              serviceAccountToken: auth.getOptionalString('serviceAccountToken'),
              caData: auth.getOptionalString('caData'),
              skipTLSVerify: auth.getOptionalBoolean('skipTLSVerify'),
            },
          }
        : {}),
    };
  });
}

/** Where one Environment's objects are read from. */
export interface EnvironmentCluster {
  cluster: CatalystClusterConfig;
  environment: string;
  /** `<url>/clusters/<env>` for the devcluster; the API server URL for a real cluster. */
  server: string;
  /** `devcluster-<env>`, or the cluster's own name. */
  name: string;
}

/**
 * The clusters serving an Environment. A devcluster serves every Environment it lists (or all, `*`)
 * under its own path; a real cluster serves the Environments it names explicitly — one vcluster per
 * Environment in the design, so `*` on a real cluster would mix Environments and is ignored.
 */
export function clustersForEnvironment(clusters: CatalystClusterConfig[], environment: string): EnvironmentCluster[] {
  const out: EnvironmentCluster[] = [];
  for (const cluster of clusters) {
    if (cluster.type === 'devcluster') {
      if (cluster.environments.includes('*') || cluster.environments.includes(environment)) {
        out.push({
          cluster,
          environment,
          server: `${cluster.url}/clusters/${environment}`,
          name: `devcluster-${environment}`,
        });
      }
    } else if (cluster.environments.includes(environment)) {
      out.push({ cluster, environment, server: cluster.url, name: cluster.name });
    }
  }
  return out;
}

/** A client-node KubeConfig for one (cluster, Environment) pair. */
export function kubeConfigFor(target: EnvironmentCluster): KubeConfig {
  const { cluster } = target;
  const kc = new KubeConfig();
  const token =
    cluster.type === 'devcluster'
      ? cluster.auth?.serviceAccountToken ?? DEVCLUSTER_TOKEN
      : cluster.auth?.serviceAccountToken;
  kc.loadFromOptions({
    clusters: [
      {
        name: target.name,
        server: target.server,
        // client-node refuses plain http unless this is set; on http there is no TLS to verify anyway.
        skipTLSVerify: cluster.auth?.skipTLSVerify ?? target.server.startsWith('http:'),
        ...(cluster.auth?.caData ? { caData: cluster.auth.caData } : {}),
      },
    ],
    users: [{ name: 'catalyst', ...(token ? { token } : {}) }],
    contexts: [{ name: target.name, cluster: target.name, user: 'catalyst' }],
    currentContext: target.name,
  });
  return kc;
}
