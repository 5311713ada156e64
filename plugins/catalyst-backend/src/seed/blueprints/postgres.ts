import { gte } from 'semver';
import { configMap, deployment, Doc, kustomizeFiles, pvc, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function postgres(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.4.0', image: '15.8-alpine', notes: 'PostgreSQL 15.' },
    {
      version: '1.5.0',
      image: '16.4-alpine',
      notes: 'PostgreSQL 16; `extensions` setting.',
      upgrades: { from: ['1.4.x'] },
    },
    {
      version: '1.6.0',
      image: '16.6-alpine',
      notes: 'PostgreSQL 16.6; nightly `backup.schedule`.',
      upgrades: { from: ['1.4.x', '1.5.x'] },
    },
  ];
  return {
    name: 'bp-postgres',
    repo: 'catalog',
    versions: versions.map(v => {
      const properties: Doc = {
        databases: {
          type: 'array',
          description: 'Databases to create (one per consuming Application).',
          items: { type: 'string', pattern: '^[a-z_][a-z0-9_-]{0,62}$' },
          default: [],
        },
        storage: { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$', default: '1Gi', description: 'Volume size' },
        image: imageTag(v.image),
      };
      if (gte(v.version, '1.5.0')) {
        properties.extensions = {
          type: 'array',
          items: { type: 'string', enum: ['pgcrypto', 'postgis', 'pg_trgm', 'uuid-ossp'] },
          default: [],
        };
      }
      if (gte(v.version, '1.6.0')) {
        properties.backup = {
          type: 'object',
          properties: { schedule: { type: 'string', default: '0 2 * * *', description: 'Cron schedule (UTC)' } },
          default: {},
        };
      }
      const spec: Doc = {
        card: {
          title: 'PostgreSQL',
          tagline: 'Relational database with daily backups',
          category: 'database',
          tags: ['database', 'sql', 'postgres'],
          icon: './card/icon.svg',
          license: 'PostgreSQL',
          documentation: 'https://www.postgresql.org/docs/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', properties },
        placementSchema: { modes: ['single-region', 'active-hotstandby'], minRegions: 1, maxRegions: 2 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 1 }, large: { replicas: 1 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        rotation: [{ kind: 'database-credentials', name: 'postgres-admin', ttl: '1h' }],
        observability: { metrics: 'prometheus', logs: 'stdout' },
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-postgres', v.version, spec),
          'README.md': readme(
            'PostgreSQL',
            "A single-primary PostgreSQL server. Dependents read the connection URL from the ConfigMap `postgres-connection` in this Application's namespace.",
            versions,
            v.version,
          ),
          'card/icon.svg': icon('P', '#336791'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'postgres',
                  image: 'postgres:${image_tag}',
                  port: 5432,
                  portName: 'postgres',
                  replicas: 1,
                  env: [
                    { name: 'POSTGRES_DB', value: '${app_name}' },
                    { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
                  ],
                  volumeMounts: [{ name: 'data', mountPath: '/var/lib/postgresql/data' }],
                  volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'data' } }],
                }),
              ],
              'service.yaml': [service('postgres', 5432, 'postgres')],
              'storage.yaml': [pvc('data', '${storage:=1Gi}')],
              'connection.yaml': [
                configMap('postgres-connection', {
                  host: 'postgres.${app_name}.svc',
                  port: '5432',
                  url: 'postgres://postgres.${app_name}.svc:5432/${app_name}',
                }),
              ],
            },
            'postgres',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
