import { gte } from 'semver';
import { deployment, Doc, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function redis(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '7.2-alpine', notes: 'Redis 7.2.' },
    {
      version: '1.1.0',
      image: '7.4-alpine',
      notes: 'Redis 7.4; `persistence` setting.',
      upgrades: { from: ['1.0.x'] },
    },
    {
      version: '2.0.0',
      image: '8.0-alpine',
      notes: 'Redis 8. The on-disk format changed: 1.0.x must be reinstalled.',
      upgrades: { from: ['1.1.x'], blocks: ['1.0.x'] },
    },
  ];
  return {
    name: 'bp-redis',
    repo: 'catalog',
    versions: versions.map(v => {
      const properties: Doc = {
        maxMemory: { type: 'string', pattern: '^[0-9]+(mb|gb)$', default: '256mb', description: 'maxmemory' },
        evictionPolicy: {
          type: 'string',
          enum: ['allkeys-lru', 'volatile-lru', 'noeviction'],
          default: 'allkeys-lru',
        },
        image: imageTag(v.image),
      };
      if (gte(v.version, '1.1.0')) properties.persistence = { type: 'boolean', default: false };
      const spec: Doc = {
        card: {
          title: 'Redis',
          tagline: 'In-memory cache and message broker',
          category: 'cache',
          tags: ['cache', 'key-value'],
          icon: './card/icon.svg',
          license: gte(v.version, '2.0.0') ? 'AGPL-3.0-only' : 'BSD-3-Clause',
          documentation: 'https://redis.io/docs/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', properties },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { maxMemory: '128mb' }, medium: { maxMemory: '512mb' }, large: { maxMemory: '2gb' } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        observability: { metrics: 'prometheus', logs: 'stdout' },
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-redis', v.version, spec),
          'README.md': readme('Redis', 'A single Redis server for caching and queues.', versions, v.version),
          'card/icon.svg': icon('R', '#d82c20'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'redis',
                  image: 'redis:${image_tag}',
                  port: 6379,
                  portName: 'redis',
                  replicas: 1,
                  args: ['--maxmemory', '${maxMemory}', '--maxmemory-policy', '${evictionPolicy}'],
                }),
              ],
              'service.yaml': [service('redis', 6379, 'redis')],
            },
            'redis',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
