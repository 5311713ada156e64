import fs from 'node:fs';
import { join } from 'node:path';
import { coreServices, createBackendModule, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  ClusterDetails,
  KubernetesClustersSupplier,
  kubernetesClusterSupplierExtensionPoint,
} from '@backstage/plugin-kubernetes-node';
import { CatalystClusterConfig, clustersForEnvironment, parseEnvironmentName } from '@internal/plugin-catalyst-common';
import { readCatalystConfig } from '../../config';
import { DEVCLUSTER_TOKEN, readClusterConfig } from './clusters';

/** `@backstage/plugin-kubernetes-common`'s ANNOTATION_KUBERNETES_AUTH_PROVIDER (not a dependency here). */
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';

/** Environment repos under the Git root, `<org>/<org>-<env_type>.git`: what the devcluster serves. */
async function discoverEnvironments(gitRoot: string): Promise<string[]> {
  const found: string[] = [];
  let orgs: fs.Dirent[];
  try {
    orgs = await fs.promises.readdir(gitRoot, { withFileTypes: true });
  } catch {
    return found;
  }
  for (const org of orgs) {
    if (!org.isDirectory() || !/^[a-z][a-z0-9-]{2,31}$/.test(org.name)) continue;
    const repos = await fs.promises.readdir(join(gitRoot, org.name)).catch(() => [] as string[]);
    for (const repo of repos) {
      const name = repo.replace(/\.git$/, '');
      const parsed = parseEnvironmentName(name);
      if (repo.endsWith('.git') && parsed.ok && parsed.organization === org.name) found.push(name);
    }
  }
  return found.sort();
}

/**
 * Supplies the Backstage kubernetes plugin with the clusters of `catalyst.clusters`, so it and the
 * read side's informers read the same clusters from one config block:
 * - a devcluster gives one Backstage cluster per Environment, `<cluster name>-<env>` at
 *   `<url>/clusters/<env>` (every Environment repo under the Git root for `['*']`), with a dummy
 *   service-account token (the stand-in ignores it);
 * - a real cluster is one Backstage cluster with its own service-account token and CA.
 */
export class CatalystClusterSupplier implements KubernetesClustersSupplier {
  private cache: { at: number; clusters: ClusterDetails[] } | undefined;

  private constructor(
    private readonly clusters: CatalystClusterConfig[],
    private readonly gitRoot: string,
    private readonly logger: LoggerService,
    private readonly refreshMs: number,
  ) {}

  static create(options: { config: Config; logger: LoggerService; refreshMs?: number }): CatalystClusterSupplier {
    return new CatalystClusterSupplier(
      readClusterConfig(options.config),
      readCatalystConfig(options.config).gitRoot,
      options.logger,
      options.refreshMs ?? 30_000,
    );
  }

  async getClusters(): Promise<ClusterDetails[]> {
    if (this.cache && Date.now() - this.cache.at < this.refreshMs) return this.cache.clusters;
    const clusters: ClusterDetails[] = [];
    for (const cluster of this.clusters) {
      if (cluster.type === 'devcluster') {
        const environments = cluster.environments.includes('*')
          ? await discoverEnvironments(this.gitRoot)
          : cluster.environments.filter(e => parseEnvironmentName(e).ok);
        // Name and URL by the one rule the informers and the catalog use (catalyst-common).
        for (const target of environments.flatMap(env => clustersForEnvironment([cluster], env))) {
          clusters.push({
            name: target.name,
            title: `${target.environment} (devcluster: development stand-in, not a real cluster)`,
            url: target.server,
            authMetadata: {
              [AUTH_PROVIDER]: 'serviceAccount',
              serviceAccountToken: cluster.auth?.serviceAccountToken ?? DEVCLUSTER_TOKEN,
            },
            skipTLSVerify: true,
            skipMetricsLookup: true,
          });
        }
      } else {
        if (!cluster.auth?.serviceAccountToken) {
          this.logger.warn('catalyst.clusters: a kubernetes cluster without auth.serviceAccountToken', {
            cluster: cluster.name,
          });
        }
        clusters.push({
          name: cluster.name,
          title: `${cluster.name} (${cluster.environments.join(', ')})`,
          url: cluster.url,
          authMetadata: {
            [AUTH_PROVIDER]: 'serviceAccount',
            ...(cluster.auth?.serviceAccountToken ? { serviceAccountToken: cluster.auth.serviceAccountToken } : {}),
          },
          skipTLSVerify: cluster.auth?.skipTLSVerify ?? false,
          ...(cluster.auth?.caData ? { caData: cluster.auth.caData } : {}),
        });
      }
    }
    this.cache = { at: Date.now(), clusters };
    return clusters;
  }
}

/**
 * Backend module for the kubernetes plugin: its clusters come from `catalyst.clusters`.
 * The kubernetes plugin still needs a `kubernetes:` config block (serviceLocatorMethods) to start.
 */
export const catalystKubernetesClusterSupplierModule = createBackendModule({
  pluginId: 'kubernetes',
  moduleId: 'catalyst-clusters',
  register(reg) {
    reg.registerInit({
      deps: {
        clusterSupplier: kubernetesClusterSupplierExtensionPoint,
        config: coreServices.rootConfig,
        logger: coreServices.logger,
      },
      async init({ clusterSupplier, config, logger }) {
        clusterSupplier.addClusterSupplier(CatalystClusterSupplier.create({ config, logger }));
      },
    });
  },
});
