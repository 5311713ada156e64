import { Config } from '@backstage/config';

export interface ClusterEntry {
  name: string;
  type: 'devcluster' | 'kubernetes';
  url: string;
  environments: string[];
}

export function readClusters(config: Config): ClusterEntry[] {
  return (config.getOptionalConfigArray('catalyst.clusters') ?? []).map(c => ({
    name: c.getString('name'),
    type: c.getString('type') === 'kubernetes' ? 'kubernetes' : 'devcluster',
    url: c.getString('url'),
    environments: c.getStringArray('environments'),
  }));
}

/**
 * The Backstage kubernetes-plugin cluster name that serves an Environment: a devcluster is one cluster
 * per Environment (`<name>-<env>`), a real cluster keeps its name.
 */
export function clusterNameFor(clusters: ClusterEntry[], environment: string): string | undefined {
  const c = clusters.find(x => x.environments.includes('*') || x.environments.includes(environment));
  if (!c) return undefined;
  return c.type === 'devcluster' ? `${c.name}-${environment}` : c.name;
}
