import type { AuthService, BackstageCredentials, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { ClusterDetails, KubernetesClustersSupplier } from '@backstage/plugin-kubernetes-node';
import { CatalystClusterConfig, clustersForEnvironment, parseEnvironmentName } from '@internal/plugin-catalyst-common';
import { CatalystBackendClient, readClusterConfig } from '@internal/plugin-catalyst-node';

/** `@backstage/plugin-kubernetes-common`'s ANNOTATION_KUBERNETES_AUTH_PROVIDER (not a dependency here). */
const AUTH_PROVIDER = 'kubernetes.io/auth-provider';

/** The devcluster ignores tokens; the kubernetes plugin still wants one for a service account. */
export const DEVCLUSTER_TOKEN = 'devcluster-ignores-tokens';

/**
 * Supplies the Backstage kubernetes plugin with the clusters of `catalyst.clusters`, so it and the
 * read side's informers read the same clusters from one config block, named by catalyst-common's
 * `clustersForEnvironment` like the informers and the catalog:
 * - a devcluster gives one Backstage cluster per Environment, `<cluster name>-<env>` at
 *   `<url>/clusters/<env>` (every Environment of the registry for `['*']`), with a dummy
 *   service-account token (the stand-in ignores it);
 * - a real cluster is one Backstage cluster with its own service-account token and CA.
 *
 * The Environments come from the catalyst plugin's REST API, not from its files, so this module may
 * run in another backend than the catalyst plugin. For a user, the clusters are those of the
 * Environments that user may read (read as the user, so `GET /clusters` names no other
 * Organization's Environments and an entity's workloads are fetched from no cluster the user may
 * not read); for the plugin itself, every registered Environment's.
 */
export class CatalystClusterSupplier implements KubernetesClustersSupplier {
  private cache: { at: number; environments: string[] } | undefined;

  private constructor(
    private readonly deps: {
      clusters: CatalystClusterConfig[];
      client: CatalystBackendClient;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      logger: LoggerService;
      refreshMs: number;
    },
  ) {}

  static create(options: {
    config: Config;
    client: CatalystBackendClient;
    auth: Pick<AuthService, 'getOwnServiceCredentials'>;
    logger: LoggerService;
    /** How long the registry's Environment list is kept (default 30 s). */
    refreshMs?: number;
  }): CatalystClusterSupplier {
    return new CatalystClusterSupplier({
      clusters: readClusterConfig(options.config),
      client: options.client,
      auth: options.auth,
      logger: options.logger,
      refreshMs: options.refreshMs ?? 30_000,
    });
  }

  async getClusters(options: { credentials: BackstageCredentials }): Promise<ClusterDetails[]> {
    const principal = options.credentials?.principal as { type?: string } | undefined;
    if (principal?.type === 'user') {
      // Not cached, so a changed grant applies at the next request; and no last list kept: while
      // the catalyst plugin cannot say which Environments are the user's, the request fails.
      const asUser = await this.deps.client.as(options.credentials);
      const readable = (await this.deps.client.api.listEnvironments({}, asUser)).map(e => e.name).sort();
      return this.clustersOf(readable, new Set(readable));
    }
    return this.clustersOf(await this.registeredEnvironments());
  }

  /**
   * Every registered Environment, as the kubernetes plugin itself reads them (cached). While the
   * catalyst plugin cannot answer, the last list read stays in use (logged), so the clusters do not
   * vanish from the kubernetes plugin during a restart of the catalyst backend.
   */
  private async registeredEnvironments(): Promise<string[]> {
    if (this.cache && Date.now() - this.cache.at < this.deps.refreshMs) return this.cache.environments;
    try {
      const options = await this.deps.client.as(await this.deps.auth.getOwnServiceCredentials());
      const environments = (await this.deps.client.api.listEnvironments({}, options)).map(e => e.name).sort();
      this.cache = { at: Date.now(), environments };
      return environments;
    } catch (error) {
      if (!this.cache) throw error;
      this.deps.logger.warn('Could not list the Environments; supplying the clusters of the last list', {
        error: error instanceof Error ? error.message : String(error),
      });
      return this.cache.environments;
    }
  }

  /** The clusters of `registered`; a real cluster only when it serves one of `readable` (if given). */
  private clustersOf(registered: string[], readable?: Set<string>): ClusterDetails[] {
    const clusters: ClusterDetails[] = [];
    for (const cluster of this.deps.clusters) {
      if (cluster.type === 'devcluster') {
        const environments = (
          cluster.environments.includes('*') ? registered : cluster.environments.filter(e => parseEnvironmentName(e).ok)
        ).filter(e => !readable || readable.has(e));
        // Name and URL by the one rule the informers and the catalog use (catalyst-common).
        for (const target of environments.flatMap(e => clustersForEnvironment([cluster], e))) {
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
        continue;
      }
      if (readable && !cluster.environments.some(e => readable.has(e))) continue;
      if (!cluster.auth?.serviceAccountToken) {
        this.deps.logger.warn('catalyst.clusters: a kubernetes cluster without auth.serviceAccountToken', {
          cluster: cluster.name,
        });
      }
      clusters.push({
        name: cluster.name,
        // a cluster shared by several Organizations names to each person only the Environments they may read
        title: `${cluster.name} (${cluster.environments.filter(e => !readable || readable.has(e)).join(', ')})`,
        url: cluster.url,
        authMetadata: {
          [AUTH_PROVIDER]: 'serviceAccount',
          ...(cluster.auth?.serviceAccountToken ? { serviceAccountToken: cluster.auth.serviceAccountToken } : {}),
        },
        skipTLSVerify: cluster.auth?.skipTLSVerify ?? false,
        ...(cluster.auth?.caData ? { caData: cluster.auth.caData } : {}),
      });
    }
    return clusters;
  }
}
