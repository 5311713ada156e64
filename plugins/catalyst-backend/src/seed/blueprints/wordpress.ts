import { gte } from 'semver';
import { deployment, Doc, ingress, kustomizeFiles, service } from '../manifests';
import { VersionDef, blueprintYaml, readme, icon, imageTag, SMALL_MEDIUM_LARGE, SeedBlueprint } from './shared';

export function wordpress(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.2.0', image: '6.5-apache', notes: 'WordPress 6.5.', upgrades: { blocks: ['1.0.x'] } },
    {
      version: '1.3.0',
      image: '6.6-apache',
      notes: 'WordPress 6.6; `title` setting.',
      upgrades: { from: ['1.2.x'], blocks: ['1.0.x'] },
    },
    {
      version: '1.4.0',
      image: '6.7-apache',
      notes: 'WordPress 6.7; needs bp-postgres 1.5 or later.',
      upgrades: { from: ['1.2.x', '1.3.x'], blocks: ['1.0.x'] },
    },
  ];
  return {
    name: 'bp-wordpress',
    repo: 'catalog',
    versions: versions.map(v => {
      const properties: Doc = {
        domain: {
          type: 'string',
          format: 'hostname',
          description: 'Public host name of the site',
          'x-catalyst-ui-hint': 'domain-picker',
        },
        adminEmail: { type: 'string', format: 'email', description: 'Administrator e-mail address' },
        replicas: { type: 'integer', minimum: 1, maximum: 20, default: 2, description: 'Web replicas' },
        postgres: {
          type: 'object',
          description: 'Where the database lives',
          default: { mode: 'embedded' },
          oneOf: [
            {
              title: 'Embedded (a new PostgreSQL Application)',
              properties: { mode: { const: 'embedded' } },
              required: ['mode'],
            },
            {
              title: 'External (an existing PostgreSQL Application)',
              properties: {
                mode: { const: 'external' },
                ref: {
                  type: 'string',
                  description: 'The PostgreSQL Application to use',
                  'x-catalyst-ui-hint': 'application-ref',
                  'x-catalyst-ui-filter': { blueprint: 'bp-postgres', environment: 'current' },
                },
              },
              required: ['mode', 'ref'],
            },
          ],
        },
        image: imageTag(v.image),
      };
      if (gte(v.version, '1.3.0')) {
        properties.title = { type: 'string', default: 'My WordPress site', maxLength: 120 };
      }
      const spec: Doc = {
        card: {
          title: 'WordPress',
          tagline: 'Self-hosted CMS for sites and blogs',
          category: 'cms',
          tags: ['cms', 'blog', 'php'],
          icon: './card/icon.svg',
          license: 'GPL-2.0',
          documentation: 'https://wordpress.org/documentation/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', required: ['domain', 'adminEmail'], properties },
        placementSchema: {
          modes: ['single-region', 'active-active', 'active-hotstandby'],
          minRegions: 1,
          maxRegions: 5,
        },
        depends: [
          {
            blueprint: 'bp-postgres',
            version: gte(v.version, '1.4.0') ? '^1.5' : '^1.4',
            alias: 'db',
            when: "{{ .config.postgres.mode == 'embedded' }}",
            values: { databases: ['{{ .application.name }}'] },
          },
        ],
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 2 }, large: { replicas: 5 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        rotation: [{ kind: 'oauth-client-secret', name: 'wp-keycloak-client', ttl: '90d' }],
        observability: { metrics: 'prometheus', logs: 'stdout' },
      };
      const env = [
        { name: 'WORDPRESS_DB_HOST', value: 'postgres.${dep_db_app}.svc' },
        { name: 'WORDPRESS_DB_NAME', value: '${app_name}' },
        { name: 'WORDPRESS_CONFIG_EXTRA', value: "define('WP_HOME', 'https://${domain}');" },
      ];
      if (gte(v.version, '1.3.0')) env.push({ name: 'WORDPRESS_TITLE', value: '${title}' });
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-wordpress', v.version, spec),
          'README.md': readme(
            'WordPress',
            'WordPress with its database either embedded (a new bp-postgres Application named `<app>-postgres`) or an existing PostgreSQL Application of the same Environment.',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('W', '#21759b'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'wordpress',
                  image: 'wordpress:${image_tag}',
                  port: 8080,
                  env,
                  readinessPath: '/wp-login.php',
                  replicas: '${replicas}',
                }),
              ],
              'service.yaml': [service('wordpress', 80)],
              'ingress.yaml': [ingress('wordpress', 'http')],
            },
            'wordpress',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}
