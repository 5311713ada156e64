import type { Config } from '@backstage/config';
import { KubeConfig } from '@kubernetes/client-node';
import type { CatalystClusterConfig, EnvironmentClusterTarget } from '@internal/plugin-catalyst-common';

/**
 * The adapter side of `catalyst.clusters`: reading the config block and building client-node
 * configs. Which cluster serves an Environment, and its name, is catalyst-common's
 * `clustersForEnvironment` — one rule for the informers, the kubernetes plugin and the catalog.
 */

/** The devcluster ignores tokens; the kubernetes plugin and client-node still want one. */
export const DEVCLUSTER_TOKEN = 'devcluster-ignores-tokens';

/** `catalyst.clusters` (config.d.ts); URLs without a trailing slash, `environments` default `['*']`. */
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

/** A client-node KubeConfig for one (cluster, Environment) pair. */
export function kubeConfigFor(target: EnvironmentClusterTarget): KubeConfig {
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
