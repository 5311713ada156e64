import { Entity } from '@backstage/catalog-model';
import type {
  ApplicationDetail,
  ApplicationSummary,
  ApplicationView,
  BlueprintDetail,
  BlueprintSummary,
  EnvironmentOverview,
  HistoryEntry,
} from '@internal/plugin-catalyst-common';

/** Test data shaped like the seeded embedded portal (acme, its Environments, the catalog Blueprints). */

const schema = (extra: Record<string, unknown> = {}) => ({
  type: 'object',
  required: ['domain'],
  properties: {
    domain: { type: 'string', format: 'hostname', description: 'Public host name' },
    replicas: { type: 'integer', minimum: 1, maximum: 10, default: 2 },
    ...extra,
  },
});

export const staticSiteSummary: BlueprintSummary = {
  name: 'bp-static-site',
  namespace: 'default',
  source: 'catalog',
  visibility: 'listed',
  latestVersion: '1.2.0',
  versions: ['1.0.0', '1.1.0', '1.2.0'],
  card: {
    title: 'Static website',
    tagline: 'nginx serving a static page',
    category: 'web',
    tags: ['web', 'nginx'],
    icon: './card/icon.svg',
  },
  owner: { team: 'team-platform', contact: 'platform@acme.example' },
  composite: false,
  depends: [],
};

export const postgresSummary: BlueprintSummary = {
  ...staticSiteSummary,
  name: 'bp-postgres',
  latestVersion: '1.6.0',
  versions: ['1.4.0', '1.5.0', '1.6.0'],
  card: { title: 'PostgreSQL', tagline: 'Relational database with daily backups', category: 'database' },
};

export const bundleSummary: BlueprintSummary = {
  ...staticSiteSummary,
  name: 'bp-bundle-team',
  namespace: 'acme',
  source: 'shared-blueprints',
  organization: 'acme',
  visibility: 'private',
  latestVersion: '1.0.0',
  versions: ['1.0.0'],
  card: { title: 'Team bundle', tagline: 'Site and database in one go', category: 'composite' },
  composite: true,
  depends: ['bp-static-site', 'bp-postgres'],
};

export const staticSiteDetail: BlueprintDetail = {
  ...staticSiteSummary,
  versionDetails: [
    {
      version: '1.0.0',
      configSchema: schema(),
      depends: [],
      overlays: ['small', 'medium', 'large'],
      readme: '# Static website\n\nVersion one.',
    },
    {
      version: '1.1.0',
      configSchema: schema({ title: { type: 'string', default: 'Hello from Catalyst', maxLength: 80 } }),
      depends: [],
      overlays: ['small', 'medium', 'large'],
      readme: '# Static website\n\nnginx 1.27.',
    },
    {
      version: '1.2.0',
      configSchema: schema({
        title: { type: 'string', default: 'Hello from Catalyst', maxLength: 80 },
        message: { type: 'string', default: 'It works.', maxLength: 500 },
      }),
      depends: [],
      overlays: ['small', 'medium', 'large'],
      readme: '# Static website\n\nnginx serving **one page**.',
    },
  ],
};

export const devEnvironment: EnvironmentOverview = {
  name: 'acme-dev',
  organization: 'acme',
  envType: 'dev',
  placement: { preset: 'small', regions: [] },
  policy: { rules: [] },
  governed: false,
  head: 'a'.repeat(40),
  repository: 'git/acme/acme-dev.git',
  applicationCount: 3,
  canInstall: true,
};

export const prodEnvironment: EnvironmentOverview = {
  ...devEnvironment,
  name: 'acme-prod',
  envType: 'prod',
  governed: true,
  policy: {
    rules: [
      { kind: 'pr-required', approvers: ['team-platform', 'team-security'] },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
    ],
  },
  repository: 'git/acme/acme-prod.git',
  applicationCount: 1,
  canInstall: false,
};

const commit = (sha: string, subject: string, actor: string, time: string, action = 'configure') => ({
  sha,
  subject,
  message: `${subject}\n\nCatalyst-Actor: ${actor}`,
  author: { name: actor.replace('user:default/', ''), email: 'x@acme.example', time },
  committer: { name: 'Catalyst', email: 'catalyst@localhost', time },
  actor,
  action,
});

export const siteApplication: ApplicationSummary = {
  name: 'site',
  environment: 'acme-dev',
  organization: 'acme',
  blueprint: 'bp-static-site',
  version: '1.2.0',
  source: 'catalog',
  overlay: 'small',
  placement: { mode: 'single-region', regions: ['eu-central'] },
  dependencies: [{ alias: 'db', blueprint: 'bp-postgres', application: 'site-postgres', mode: 'embedded' }],
  dependents: [],
  paused: false,
};

export const postgresApplication: ApplicationSummary = {
  ...siteApplication,
  name: 'site-postgres',
  blueprint: 'bp-postgres',
  version: '1.6.0',
  dependencies: [],
  dependents: ['site', 'blog'],
};

export const blogApplication: ApplicationSummary = {
  ...siteApplication,
  name: 'blog',
  version: '1.1.0',
};

export const siteDetail: ApplicationDetail = {
  ...siteApplication,
  values: { domain: 'site.acme.example', replicas: 2, title: 'Hello', message: 'It works.' },
  files: {
    'applications/site/values.yaml': 'domain: site.acme.example\nreplicas: 2\n',
    'applications/site/kustomization.yaml': 'resources:\n  - blueprint/base\n',
    'flux-system/applications/site.yaml': 'kind: Kustomization\nmetadata:\n  name: site\n',
  },
};

export const siteHistory: HistoryEntry[] = [
  commit('c'.repeat(40), 'Configure site', 'user:default/layla', '2026-11-23T10:00:00Z'),
  commit(
    'b'.repeat(40),
    'Install site (bp-static-site 1.2.0)',
    'user:default/ahmed',
    '2026-11-22T09:00:00Z',
    'install',
  ),
];

export const siteCommitDiff: HistoryEntry = {
  ...siteHistory[0],
  changes: [
    {
      path: 'applications/site/values.yaml',
      change: 'modified',
      before: 'domain: site.acme.example\nreplicas: 1\n',
      after: 'domain: site.acme.example\nreplicas: 2\n',
    },
  ],
};

export function view(
  name: string,
  status: ApplicationView['status'],
  extra: Partial<ApplicationView> = {},
): ApplicationView {
  return {
    name,
    status,
    reason: status === 'Running' ? '2/2 pods ready' : `${status.toLowerCase()} reason`,
    pods: { ready: status === 'Running' ? 2 : 0, total: 2 },
    version: '1.2.0',
    targetVersion: null,
    blueprint: 'bp-static-site',
    desired: null,
    appliedRevision: null,
    dependsOn: [],
    openChangeRequests: [],
    runningSince: null,
    ...extra,
  };
}

export const applicationEntity: Entity = {
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Application',
  metadata: {
    name: 'site',
    namespace: 'acme-dev',
    annotations: {
      'catalyst.openova.io/environment': 'acme-dev',
      'catalyst.openova.io/application': 'site',
      'catalyst.openova.io/blueprint': 'bp-static-site',
      'catalyst.openova.io/blueprint-version': '1.2.0',
      'catalyst.openova.io/organization': 'acme',
    },
  },
  spec: { type: 'web', environment: 'environment:acme/acme-dev', blueprint: 'blueprint:default/bp-static-site' },
};

export const environmentEntity: Entity = {
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Environment',
  metadata: {
    name: 'acme-dev',
    namespace: 'acme',
    annotations: { 'catalyst.openova.io/environment': 'acme-dev', 'catalyst.openova.io/organization': 'acme' },
  },
  spec: { type: 'dev', organization: 'acme' },
};

export const blueprintEntity: Entity = {
  apiVersion: 'catalyst.openova.io/v1alpha1',
  kind: 'Blueprint',
  metadata: {
    name: 'bp-static-site',
    namespace: 'default',
    annotations: { 'catalyst.openova.io/blueprint': 'default/bp-static-site' },
  },
  spec: { type: 'web', owner: 'group:default/blueprint-catalog' },
};
