import type { BlueprintDetail, BlueprintVersionDetail } from '@internal/plugin-catalyst-common';

/**
 * Blueprint details as GET /blueprints/:name returns them, trimmed from the embedded seed
 * (plugins/catalyst-backend/src/seed/blueprints.ts): the CMS with a conditional database and an
 * application-ref branch, the database, the composite bundle, and ACME's private Blueprint (with a
 * password field added, which no seed Blueprint has).
 */

const version = (v: Partial<BlueprintVersionDetail> & { version: string }): BlueprintVersionDetail => ({
  configSchema: { type: 'object' },
  depends: [],
  overlays: ['small', 'medium', 'large'],
  defaultOverlay: 'small',
  sourceKind: 'Kustomize',
  ...v,
});

const wordpressSchema = (withTitle: boolean) => ({
  type: 'object',
  required: ['domain', 'adminEmail'],
  properties: {
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
    ...(withTitle ? { title: { type: 'string', default: 'My WordPress site', maxLength: 120 } } : {}),
  },
});

export const wordpress: BlueprintDetail = {
  name: 'bp-wordpress',
  namespace: 'default',
  source: 'catalog',
  visibility: 'listed',
  latestVersion: '1.4.0',
  versions: ['1.4.0', '1.3.0', '1.2.0'],
  card: {
    title: 'WordPress',
    tagline: 'Self-hosted CMS for sites and blogs',
    category: 'cms',
    tags: ['cms', 'blog', 'php'],
    documentation: 'https://wordpress.org/documentation/',
  },
  owner: { team: 'team-platform', contact: 'platform@acme.example' },
  composite: false,
  depends: ['bp-postgres'],
  versionDetails: [
    version({
      version: '1.4.0',
      configSchema: wordpressSchema(true),
      depends: [
        {
          blueprint: 'bp-postgres',
          version: '^1.5',
          alias: 'db',
          when: "{{ .config.postgres.mode == 'embedded' }}",
          values: { databases: ['{{ .application.name }}'] },
        },
      ],
    }),
    version({
      version: '1.3.0',
      configSchema: wordpressSchema(true),
      depends: [
        { blueprint: 'bp-postgres', version: '^1.4', alias: 'db', when: "{{ .config.postgres.mode == 'embedded' }}" },
      ],
    }),
    version({
      version: '1.2.0',
      configSchema: wordpressSchema(false),
      depends: [
        { blueprint: 'bp-postgres', version: '^1.4', alias: 'db', when: "{{ .config.postgres.mode == 'embedded' }}" },
      ],
    }),
  ],
};

export const postgres: BlueprintDetail = {
  name: 'bp-postgres',
  namespace: 'default',
  source: 'catalog',
  visibility: 'listed',
  latestVersion: '1.6.0',
  versions: ['1.6.0', '1.5.0', '1.4.0'],
  card: {
    title: 'PostgreSQL',
    tagline: 'Relational database with daily backups',
    category: 'database',
    tags: ['database', 'sql'],
  },
  owner: { team: 'team-platform' },
  composite: false,
  depends: [],
  versionDetails: ['1.6.0', '1.5.0', '1.4.0'].map(v =>
    version({
      version: v,
      configSchema: {
        type: 'object',
        properties: {
          databases: { type: 'array', items: { type: 'string' }, default: [] },
          storage: { type: 'string', pattern: '^[0-9]+(Mi|Gi|Ti)$', default: '1Gi' },
        },
      },
    }),
  ),
};

export const staticSite: BlueprintDetail = {
  name: 'bp-static-site',
  namespace: 'default',
  source: 'catalog',
  visibility: 'listed',
  latestVersion: '1.2.0',
  versions: ['1.2.0', '1.1.0'],
  card: { title: 'Static website', category: 'web' },
  composite: false,
  depends: [],
  versionDetails: ['1.2.0', '1.1.0'].map(v =>
    version({
      version: v,
      configSchema: {
        type: 'object',
        required: ['domain'],
        properties: { domain: { type: 'string', format: 'hostname' } },
      },
    }),
  ),
};

export const bundle: BlueprintDetail = {
  name: 'bp-bundle-starter',
  namespace: 'default',
  source: 'catalog',
  visibility: 'listed',
  latestVersion: '1.1.0',
  versions: ['1.1.0', '1.0.0'],
  card: {
    title: 'Web Starter Bundle',
    tagline: 'A site, a blog and everything they need, in one install',
    category: 'composite',
  },
  owner: { team: 'team-platform' },
  composite: true,
  depends: ['bp-wordpress', 'bp-static-site', 'bp-redis'],
  versionDetails: [
    version({
      version: '1.1.0',
      overlays: [],
      defaultOverlay: undefined,
      configSchema: {
        type: 'object',
        required: ['domain', 'adminEmail'],
        properties: {
          domain: { type: 'string', format: 'hostname', 'x-catalyst-ui-hint': 'domain-picker' },
          adminEmail: { type: 'string', format: 'email' },
          siteTitle: { type: 'string', default: 'Welcome', maxLength: 80 },
        },
      },
      depends: [
        { blueprint: 'bp-wordpress', version: '^1.3', alias: 'cms', values: { postgres: { mode: 'embedded' } } },
        { blueprint: 'bp-static-site', version: '^1.1', alias: 'landing' },
        { blueprint: 'bp-redis', version: '^1.1', alias: 'cache' },
      ],
    }),
    version({ version: '1.0.0', overlays: [], defaultOverlay: undefined }),
  ],
};

export const acmePayments: BlueprintDetail = {
  name: 'bp-acme-payments',
  namespace: 'acme',
  source: 'shared-blueprints',
  organization: 'acme',
  visibility: 'private',
  latestVersion: '1.0.0',
  versions: ['1.0.0', '0.9.0'],
  card: {
    title: 'ACME Payments API',
    tagline: "ACME's internal payment-intent service",
    category: 'service',
    tags: ['payments', 'internal'],
  },
  owner: { team: 'team-platform', contact: 'payments@acme.example' },
  composite: false,
  depends: ['bp-postgres', 'bp-redis'],
  versionDetails: [
    version({
      version: '1.0.0',
      configSchema: {
        type: 'object',
        required: ['merchantId'],
        properties: {
          merchantId: { type: 'string', pattern: '^M[0-9]{6}$' },
          apiKey: { type: 'string', minLength: 16, 'x-catalyst-ui-hint': 'password' },
        },
      },
      depends: [
        { blueprint: 'bp-postgres', version: '^1.5', alias: 'db' },
        { blueprint: 'bp-redis', version: '^1.1', alias: 'cache' },
      ],
    }),
  ],
};

export const byName =
  (...details: BlueprintDetail[]) =>
  (name: string) =>
    details.find(d => d.name === name);
