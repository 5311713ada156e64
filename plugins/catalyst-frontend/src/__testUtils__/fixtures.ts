import { Entity } from '@backstage/catalog-model';
import type {
  ApplicationDetail,
  ApplicationSummary,
  ApplicationView,
  BlueprintDetail,
  BlueprintSummary,
  ChangeRequest,
  ChangeRequestSummary,
  ChangeRequestSummaryItem,
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

export const stagingEnvironment: EnvironmentOverview = {
  ...devEnvironment,
  name: 'acme-stg',
  envType: 'stg',
  repository: 'git/acme/acme-stg.git',
  applicationCount: 1,
};

/** The seed's acme-prod as the server answers it now: governed, and installing opens a change request. */
export const governedProdEnvironment: EnvironmentOverview = {
  ...prodEnvironment,
  policy: {
    rules: [
      { kind: 'pr-required', approvers: ['team-platform', 'team-security'], minApprovals: 2 },
      { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
      { kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Berlin' },
    ],
  },
  canInstall: true,
  openChangeRequests: 1,
};

/** site copied from acme-stg to acme-prod by layla, approved by pat, waiting for security, soak and the window. */
export const siteChangeRequest: ChangeRequest = {
  id: 'cr-7',
  number: 7,
  environment: 'acme-prod',
  organization: 'acme',
  application: 'site',
  action: 'promote',
  title: 'Promote site (bp-static-site 1.2.0) from acme-stg',
  author: 'user:default/layla',
  state: 'open',
  source: { environment: 'acme-stg', application: 'site' },
  blueprint: 'bp-static-site',
  version: '1.2.0',
  valuesDigest: 'sha256:1f2e3d',
  approvals: 1,
  mergeable: false,
  createdAt: '2026-11-23T10:00:00Z',
  updatedAt: '2026-11-23T11:00:00Z',
  branch: 'change-requests/cr-7',
  baseCommit: 'd'.repeat(40),
  headCommit: 'e'.repeat(40),
  files: [
    {
      path: 'applications/site/values.yaml',
      kind: 'values',
      before: 'domain: site.acme.example\nreplicas: 1\n',
      after: 'domain: site.acme.example\nreplicas: 2\n',
    },
    {
      path: 'rendered/site/deployment.yaml',
      kind: 'manifest',
      before: null,
      after: 'kind: Deployment\nmetadata:\n  name: site\nspec:\n  replicas: 2\n',
    },
  ],
  approvalsList: [
    {
      user: 'user:default/pat',
      displayName: 'Pat',
      teams: ['group:acme/team-platform'],
      at: '2026-11-23T11:00:00Z',
      stale: false,
    },
    { user: 'user:default/ada', teams: ['group:acme/team-platform'], at: '2026-11-22T09:00:00Z', stale: true },
  ],
  evaluation: {
    changeId: 'cr-7',
    environment: 'acme-prod',
    evaluatedAt: '2026-11-23T11:00:00Z',
    mergeable: false,
    verdicts: [
      {
        rule: { kind: 'pr-required', index: 0 },
        status: 'pending',
        code: 'awaiting-approval',
        reason: 'needs an approval from team-security',
        details: { approvals: 1, minApprovals: 2, missingTeams: ['team-security'] },
      },
      {
        rule: { kind: 'soak', index: 1 },
        status: 'pending',
        code: 'soaking',
        reason: 'soaking in acme-stg: 23h remaining of 24h',
        passesAt: '2026-11-24T10:00:00Z',
        details: { sourceEnvironment: 'acme-stg', requiredMs: 86_400_000, soakedMs: 3_600_000 },
      },
      {
        rule: { kind: 'change-window', index: 2 },
        status: 'fail',
        code: 'outside-window',
        reason: 'outside the change window (0 9 * * 1-5, 8h, Europe/Berlin); next opens 2026-11-24T08:00:00Z',
        passesAt: '2026-11-24T08:00:00Z',
        details: { cron: '0 9 * * 1-5', timezone: 'Europe/Berlin', nextOpensAt: '2026-11-24T08:00:00Z' },
      },
    ],
    blockedBy: [
      { kind: 'pr-required', index: 0 },
      { kind: 'soak', index: 1 },
      { kind: 'change-window', index: 2 },
    ],
    nextEvaluationAt: '2026-11-24T08:00:00Z',
  },
  mergeMode: 'automatic',
  revisedAt: '2026-11-23T10:00:00Z',
  timeline: [
    { at: '2026-11-23T10:00:00Z', actor: 'user:default/layla', type: 'opened', message: 'layla opened it' },
    { at: '2026-11-23T11:00:00Z', actor: 'user:default/pat', type: 'approved', message: 'Pat approved' },
  ],
  can: {
    approve: { allowed: true },
    reject: { allowed: true },
    merge: { allowed: false, reason: 'merging in acme-prod needs an org-admin' },
    rebase: { allowed: true },
    breakGlass: { allowed: false, reason: 'breaking glass needs an org-admin' },
  },
};

export const siteChangeRequestItem: ChangeRequestSummaryItem = {
  id: siteChangeRequest.id,
  number: siteChangeRequest.number,
  environment: siteChangeRequest.environment,
  organization: siteChangeRequest.organization,
  application: siteChangeRequest.application,
  action: siteChangeRequest.action,
  title: siteChangeRequest.title,
  author: siteChangeRequest.author,
  state: siteChangeRequest.state,
  source: siteChangeRequest.source,
  blueprint: siteChangeRequest.blueprint,
  version: siteChangeRequest.version,
  valuesDigest: siteChangeRequest.valuesDigest,
  approvals: siteChangeRequest.approvals,
  mergeable: siteChangeRequest.mergeable,
  createdAt: siteChangeRequest.createdAt,
  updatedAt: siteChangeRequest.updatedAt,
};

/** The same request as the read model's projection holds it (`changerequest.cr-7`). */
export function liveChangeRequest(extra: Partial<ChangeRequestSummary> = {}): ChangeRequestSummary {
  return {
    id: 'cr-7',
    status: 'open',
    application: 'site',
    sourceEnvironment: 'acme-stg',
    author: 'user:default/layla',
    title: siteChangeRequest.title,
    blueprint: 'bp-static-site',
    version: '1.2.0',
    valuesDigest: 'sha256:1f2e3d',
    touchesPolicies: false,
    openedAt: '2026-11-23T10:00:00Z',
    approvals: [{ user: 'user:default/pat', teams: ['group:acme/team-platform'], at: '2026-11-23T11:00:00Z' }],
    closedAt: null,
    mergeCommit: null,
    conflicted: false,
    revisedAt: null,
    closedAs: null,
    ...extra,
  };
}
