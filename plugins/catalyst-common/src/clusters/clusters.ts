/**
 * Which cluster serves an Environment, and under what name: one rule for the read side's informers,
 * the Backstage kubernetes plugin's cluster supplier and the catalog entities' cluster annotation, so
 * renaming a cluster in `catalyst.clusters` renames it everywhere at once.
 */

/** One entry of `catalyst.clusters`. @public */
export interface CatalystClusterConfig {
  name: string;
  /** `devcluster`: the local stand-in, serving every Environment it lists under its own path. */
  type: 'devcluster' | 'kubernetes';
  /** The API server, without a trailing slash. */
  url: string;
  /** Environment names, or `['*']` (a devcluster only: every Environment). */
  environments: string[];
  auth?: { serviceAccountToken?: string; caData?: string; skipTLSVerify?: boolean };
}

/** Where one Environment's objects are read from. @public */
export interface EnvironmentClusterTarget {
  cluster: CatalystClusterConfig;
  environment: string;
  /** `<url>/clusters/<env>` for a devcluster; the API server URL for a real cluster. */
  server: string;
  /** The name the kubernetes plugin and the catalog know it by: `<cluster>-<env>` for a devcluster. */
  name: string;
}

/**
 * The Backstage cluster name of a devcluster's view of one Environment. A devcluster is one
 * Backstage cluster per Environment because each Environment is its own API root there.
 *
 * @public
 */
export function devclusterClusterName(cluster: string, environment: string): string {
  return `${cluster}-${environment}`;
}

/**
 * The clusters serving an Environment. A devcluster serves every Environment it lists (or all,
 * `*`) under its own path; a real cluster serves the Environments it names explicitly — one vcluster
 * per Environment in the design, so `*` on a real cluster would mix Environments and is ignored.
 *
 * @public
 */
export function clustersForEnvironment(
  clusters: readonly CatalystClusterConfig[],
  environment: string,
): EnvironmentClusterTarget[] {
  const out: EnvironmentClusterTarget[] = [];
  for (const cluster of clusters) {
    if (cluster.type === 'devcluster') {
      if (cluster.environments.includes('*') || cluster.environments.includes(environment)) {
        out.push({
          cluster,
          environment,
          server: `${cluster.url}/clusters/${environment}`,
          name: devclusterClusterName(cluster.name, environment),
        });
      }
    } else if (cluster.environments.includes(environment)) {
      out.push({ cluster, environment, server: cluster.url, name: cluster.name });
    }
  }
  return out;
}

/**
 * The one cluster name an Environment's Applications carry in the catalog
 * (`backstage.io/kubernetes-cluster`): the first cluster serving it, undefined when none does.
 *
 * @public
 */
export function kubernetesClusterNameFor(
  clusters: readonly CatalystClusterConfig[],
  environment: string,
): string | undefined {
  return clustersForEnvironment(clusters, environment)[0]?.name;
}
