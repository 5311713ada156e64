import { gte } from 'semver';
import { deployment, Doc, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function acmePayments(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '0.9.0', image: '0.9.0', notes: 'First internal release.' },
    {
      version: '1.0.0',
      image: '1.0.0',
      notes: 'Idempotent payment intents; needs Redis 1.1+.',
      upgrades: { from: ['0.9.x'] },
    },
  ];
  return {
    name: 'bp-acme-payments',
    repo: { organization: 'acme' },
    versions: versions.map(v => {
      const spec: Doc = {
        card: {
          title: 'ACME Payments API',
          tagline: "ACME's internal payment-intent service",
          category: 'service',
          tags: ['payments', 'internal'],
          icon: './card/icon.svg',
          license: 'LicenseRef-ACME-Internal',
          documentation: 'https://docs.acme.example/payments',
        },
        visibility: 'private',
        owner: { team: 'team-platform', contact: 'payments@acme.example' },
        configSchema: {
          type: 'object',
          required: ['merchantId'],
          properties: {
            merchantId: { type: 'string', pattern: '^M[0-9]{6}$', description: 'Merchant account (M + 6 digits)' },
            currency: { type: 'string', enum: ['EUR', 'USD', 'OMR'], default: 'EUR' },
            replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
            image: imageTag(v.image),
          },
        },
        placementSchema: { modes: ['single-region', 'active-active'], minRegions: 1, maxRegions: 3 },
        depends: [
          { blueprint: 'bp-postgres', version: '^1.5', alias: 'db', values: { databases: ['payments'] } },
          { blueprint: 'bp-redis', version: gte(v.version, '1.0.0') ? '^1.1' : '^1.0', alias: 'cache' },
        ],
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 2 }, large: { replicas: 4 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        observability: { metrics: 'prometheus', logs: 'stdout', traces: 'otlp' },
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-acme-payments', v.version, spec),
          'README.md': readme(
            'ACME Payments API',
            'Private to the acme Organization. Needs PostgreSQL and Redis.',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('$', '#2e7d32'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'api',
                  image: 'registry.acme.example/payments-api:${image_tag}',
                  port: 8080,
                  env: [
                    { name: 'DATABASE_HOST', value: 'postgres.${dep_db_app}.svc' },
                    { name: 'REDIS_HOST', value: 'redis.${dep_cache_app}.svc' },
                    { name: 'MERCHANT_ID', value: '${merchantId}' },
                    { name: 'CURRENCY', value: '${currency}' },
                  ],
                  readinessPath: '/readyz',
                  replicas: '${replicas}',
                }),
              ],
              'service.yaml': [service('api', 80)],
            },
            'api',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
