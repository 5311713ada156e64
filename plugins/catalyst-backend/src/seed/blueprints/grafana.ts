import { gte } from 'semver';
import { deployment, Doc, ingress, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function grafana(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '11.2.0', notes: 'Grafana 11.2 with SQLite.' },
    {
      version: '1.1.0',
      image: '11.3.0',
      notes: 'Grafana 11.3; optional PostgreSQL backend.',
      upgrades: { from: ['1.0.x'] },
    },
  ];
  return {
    name: 'bp-grafana',
    repo: 'catalog',
    versions: versions.map(v => {
      const withDb = gte(v.version, '1.1.0');
      const properties: Doc = {
        domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
        adminUser: { type: 'string', default: 'admin', pattern: '^[a-z][a-z0-9_-]{2,31}$' },
        image: imageTag(v.image),
      };
      if (withDb) {
        properties.database = {
          type: 'string',
          enum: ['sqlite', 'postgres'],
          default: 'sqlite',
          description: 'Where dashboards are stored: SQLite in the pod, or a new PostgreSQL Application',
        };
      }
      const spec: Doc = {
        card: {
          title: 'Grafana',
          tagline: 'Dashboards for metrics, logs and traces',
          category: 'observability',
          tags: ['dashboards', 'metrics', 'observability'],
          icon: './card/icon.svg',
          license: 'AGPL-3.0-only',
          documentation: 'https://grafana.com/docs/grafana/latest/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', required: ['domain'], properties },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        ...(withDb
          ? {
              depends: [
                {
                  blueprint: 'bp-postgres',
                  version: '^1.5',
                  alias: 'db',
                  when: "{{ .config.database == 'postgres' }}",
                  values: { databases: ['grafana'] },
                },
              ],
            }
          : {}),
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 1 }, large: { replicas: 2 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        observability: { metrics: 'prometheus', logs: 'stdout' },
      };
      const env = [
        { name: 'GF_SERVER_DOMAIN', value: '${domain}' },
        { name: 'GF_SECURITY_ADMIN_USER', value: '${adminUser}' },
      ];
      if (withDb) env.push({ name: 'GF_DATABASE_TYPE', value: '${database}' });
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-grafana', v.version, spec),
          'README.md': readme('Grafana', 'Grafana for dashboards.', versions, v.version),
          'card/icon.svg': icon('G', '#f46800'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'grafana',
                  image: 'grafana/grafana:${image_tag}',
                  port: 3000,
                  env,
                  readinessPath: '/api/health',
                }),
              ],
              'service.yaml': [service('grafana', 80)],
              'ingress.yaml': [ingress('grafana', 'http')],
            },
            'grafana',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
