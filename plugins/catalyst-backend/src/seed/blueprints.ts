import { gte, lte } from 'semver';
import { configMap, deployment, Doc, ingress, kustomizeFiles, pvc, Resources, service, toYaml } from './manifests';

/**
 * The Blueprint catalog the embedded portal is seeded with: several released versions per Blueprint,
 * a conditional dependency (the CMS on a database when embedded), an unlisted and a private Blueprint,
 * and a composite bundle. Each version is the full folder content `bp-<name>/…` at its release tag.
 */
export interface SeedBlueprintVersion {
  version: string;
  /** `bp-<name>/…` paths relative to the Blueprint folder → content. */
  files: Record<string, string>;
}

export interface SeedBlueprint {
  name: string;
  /** `catalog` (the Sovereign's public mirror) or an Organization's `shared-blueprints`. */
  repo: 'catalog' | { organization: string };
  versions: SeedBlueprintVersion[];
}

const API_VERSION = 'catalyst.openova.io/v1alpha1';

interface VersionDef {
  version: string;
  image: string;
  notes: string;
  upgrades?: { from?: string[]; blocks?: string[] };
}

function blueprintYaml(name: string, version: string, spec: Doc): string {
  return toYaml({ apiVersion: API_VERSION, kind: 'Blueprint', metadata: { name, version }, spec });
}

function readme(title: string, body: string, versions: VersionDef[], current: string): string {
  const changes = versions
    .filter(v => lte(v.version, current))
    .reverse()
    .map(v => `- **${v.version}** — ${v.notes}`)
    .join('\n');
  return `# ${title}\n\n${body}\n\n## Changes\n\n${changes}\n`;
}

function icon(letter: string, colour: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="${colour}"/><text x="32" y="42" font-family="sans-serif" font-size="30" text-anchor="middle" fill="#fff">${letter}</text></svg>\n`;
}

const imageTag = (def: string) => ({
  type: 'object',
  description: 'Container image override (development and troubleshooting).',
  properties: { tag: { type: 'string', default: def, description: 'Image tag' } },
  default: {},
});

const SMALL_MEDIUM_LARGE: Resources = {
  small: { cpu: '50m', memory: '64Mi', limit: '128Mi' },
  medium: { cpu: '200m', memory: '256Mi', limit: '512Mi' },
  large: { cpu: '1', memory: '1Gi', limit: '2Gi' },
};

function postgres(): SeedBlueprint {
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

function redis(): SeedBlueprint {
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

function wordpress(): SeedBlueprint {
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

function staticSite(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '1.26-alpine', notes: 'nginx 1.26.' },
    {
      version: '1.1.0',
      image: '1.27-alpine',
      notes: 'nginx 1.27; `title` shown on the page.',
      upgrades: { from: ['1.0.x'] },
    },
    {
      version: '1.2.0',
      image: '1.27-alpine',
      notes: 'Custom `message` on the page.',
      upgrades: { from: ['1.0.x', '1.1.x'] },
    },
  ];
  return {
    name: 'bp-static-site',
    repo: 'catalog',
    versions: versions.map(v => {
      const properties: Doc = {
        domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
        replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
        image: imageTag(v.image),
      };
      if (gte(v.version, '1.1.0')) properties.title = { type: 'string', default: 'Hello from Catalyst', maxLength: 80 };
      if (gte(v.version, '1.2.0')) properties.message = { type: 'string', default: 'It works.', maxLength: 500 };
      let page = '<html><body><h1>${app_name}</h1></body></html>\n';
      if (gte(v.version, '1.1.0'))
        page = '<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n';
      if (gte(v.version, '1.2.0')) {
        page = '<html><head><title>${title}</title></head><body><h1>${title}</h1><p>${message}</p></body></html>\n';
      }
      const spec: Doc = {
        card: {
          title: 'Static website',
          tagline: 'nginx serving a static page',
          category: 'web',
          tags: ['web', 'nginx', 'static'],
          icon: './card/icon.svg',
          license: 'BSD-2-Clause',
          documentation: 'https://nginx.org/en/docs/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: { type: 'object', required: ['domain'], properties },
        placementSchema: { modes: ['single-region', 'active-active'], minRegions: 1, maxRegions: 3 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 2 }, large: { replicas: 4 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
        observability: { logs: 'stdout' },
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-static-site', v.version, spec),
          'README.md': readme(
            'Static website',
            'nginx serving one page. Setting `image.tag` to a tag ending in `-crashloop` makes the devcluster crash-loop the pod (a failure drill).',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('S', '#009639'),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'web',
                  image: 'nginxinc/nginx-unprivileged:${image_tag}',
                  port: 8080,
                  readinessPath: '/',
                  replicas: '${replicas}',
                  volumeMounts: [{ name: 'content', mountPath: '/usr/share/nginx/html' }],
                  volumes: [{ name: 'content', configMap: { name: 'content' } }],
                }),
              ],
              'content.yaml': [configMap('content', { 'index.html': page })],
              'service.yaml': [service('web', 80)],
              'ingress.yaml': [ingress('web', 'http')],
            },
            'web',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}

function grafana(): SeedBlueprint {
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

function echo(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '0.1.0', image: '0.2.3', notes: 'HTTP echo server.' },
    { version: '0.2.0', image: '1.0.0', notes: 'Configurable `text`.', upgrades: { from: ['0.1.x'] } },
  ];
  return {
    name: 'bp-echo',
    repo: 'catalog',
    versions: versions.map(v => {
      const spec: Doc = {
        card: {
          title: 'Echo',
          tagline: 'An HTTP echo server for connectivity checks',
          category: 'tools',
          tags: ['debug', 'http'],
          license: 'MIT',
          documentation: 'https://github.com/hashicorp/http-echo',
        },
        // Not on the card grid: platform teams install it by name when debugging networking.
        visibility: 'unlisted',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: {
          type: 'object',
          properties: {
            text: { type: 'string', default: 'hello from Catalyst', maxLength: 200 },
            image: imageTag(v.image),
          },
        },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        manifests: {
          source: { kind: 'Kustomize', ref: './manifests' },
          overlays: { small: { replicas: 1 }, medium: { replicas: 1 }, large: { replicas: 3 } },
        },
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-echo', v.version, spec),
          'README.md': readme('Echo', 'Answers every HTTP request with a fixed text.', versions, v.version),
          ...kustomizeFiles(
            {
              'deployment.yaml': [
                deployment({
                  component: 'echo',
                  image: 'hashicorp/http-echo:${image_tag}',
                  port: 5678,
                  args: ['-listen=:5678', '-text=${text}'],
                }),
              ],
              'service.yaml': [service('echo', 80)],
            },
            'echo',
            SMALL_MEDIUM_LARGE,
          ),
        },
      };
    }),
  };
}

function starterBundle(): SeedBlueprint {
  const versions: VersionDef[] = [
    { version: '1.0.0', image: '', notes: 'WordPress with its database and a landing page.' },
    { version: '1.1.0', image: '', notes: 'Adds a Redis cache.', upgrades: { from: ['1.0.x'] } },
  ];
  return {
    name: 'bp-bundle-starter',
    repo: 'catalog',
    versions: versions.map(v => {
      const depends: Doc[] = [
        {
          blueprint: 'bp-wordpress',
          version: gte(v.version, '1.1.0') ? '^1.3' : '^1.2',
          alias: 'cms',
          values: {
            domain: 'blog.{{ .config.domain }}',
            adminEmail: '{{ .config.adminEmail }}',
            postgres: { mode: 'embedded' },
          },
        },
        {
          blueprint: 'bp-static-site',
          version: '^1.1',
          alias: 'landing',
          values: { domain: '{{ .config.domain }}', title: '{{ .config.siteTitle }}' },
        },
      ];
      if (gte(v.version, '1.1.0')) depends.push({ blueprint: 'bp-redis', version: '^1.1', alias: 'cache' });
      const spec: Doc = {
        card: {
          title: 'Web Starter Bundle',
          tagline: 'A site, a blog and everything they need, in one install',
          category: 'composite',
          tags: ['bundle', 'cms', 'web'],
          icon: './card/icon.svg',
          license: 'Apache-2.0',
          documentation: 'https://wordpress.org/documentation/',
        },
        visibility: 'listed',
        owner: { team: 'team-platform', contact: 'platform@acme.example' },
        configSchema: {
          type: 'object',
          required: ['domain', 'adminEmail'],
          properties: {
            domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
            adminEmail: { type: 'string', format: 'email' },
            siteTitle: { type: 'string', default: 'Welcome', maxLength: 80 },
          },
        },
        placementSchema: { modes: ['single-region'], minRegions: 1, maxRegions: 1 },
        depends,
        ...(v.upgrades ? { upgrades: v.upgrades } : {}),
      };
      return {
        version: v.version,
        files: {
          'blueprint.yaml': blueprintYaml('bp-bundle-starter', v.version, spec),
          'README.md': readme(
            'Web Starter Bundle',
            'Installs a landing page (bp-static-site), a WordPress blog on `blog.<domain>` with an embedded PostgreSQL, and from 1.1.0 a Redis cache — each its own Application.',
            versions,
            v.version,
          ),
          'card/icon.svg': icon('B', '#6a1b9a'),
        },
      };
    }),
  };
}

function acmePayments(): SeedBlueprint {
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

/** Every seed Blueprint, public ones first. */
export function seedBlueprints(): SeedBlueprint[] {
  return [postgres(), redis(), wordpress(), staticSite(), grafana(), echo(), starterBundle(), acmePayments()];
}
