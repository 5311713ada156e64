import { mockServices } from '@backstage/backend-test-utils';
import type { NotificationSendOptions, NotificationService } from '@backstage/plugin-notifications-node';
import { CatalystEvent, EnvironmentPolicyRule, RoleGrant, SoakObservation } from '@internal/plugin-catalyst-common';
import type { CatalystPrincipal } from '@internal/plugin-catalyst-node';
import { Knex } from 'knex';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { createTestDatabase } from '../../__testUtils__/database';
import { grantsAuthorization, testPrincipal } from '../../__testUtils__/grantsAccess';
import { GitBlueprintRegistry } from '../../blueprints/GitBlueprintRegistry';
import { DatabaseOrganizationStore } from '../../database/DatabaseOrganizationStore';
import { EnvironmentController } from '../../environments/EnvironmentController';
import { EnvironmentRepositories } from '../../environments/EnvironmentRepositories';
import { EnvironmentQueries } from '../../provisioning/EnvironmentQueries';
import { ProvisioningService } from '../../provisioning/ProvisioningService';
import { seedBlueprints } from '../../seed/blueprints';
import { seedBlueprintRepos } from '../../seed/seedBlueprintRepos';
import { ChangeRequestNotifier } from '../ChangeRequestNotifier';
import { ChangeRequestService } from '../ChangeRequestService';
import { ChangeRequestStore } from '../ChangeRequestStore';

/**
 * Change requests end to end below HTTP, for the service's tests: real bare repos, a real
 * database, the seed's Blueprints, catalyst-common's evaluator — and an injected clock, so soaks
 * elapse and change windows open on demand. The soak facts are what the read model would report
 * (its own tests cover how it derives them from live status). Notifications and domain events are
 * recorded where Backstage's notifications service and the event stream would take them.
 */

export const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };

export function person(name: string, grants: RoleGrant[], teams: string[] = []): CatalystPrincipal {
  const p = testPrincipal(`user:acme/${name}`, grants, { displayName: name, email: `${name}@acme.example` });
  return { ...p, ownershipRefs: [p.userRef, ...teams.map(t => `group:acme/${t}`)] };
}
export const dev = (n: string, teams: string[] = []) =>
  person(n, [{ role: 'org-developer', organization: 'acme' }], teams);
export const pat = dev('pat', ['team-apps']);
export const lee = dev('lee', ['team-platform']);
export const sam = person('sam', [{ role: 'security-officer', organization: 'acme' }], ['team-security']);
export const ada = person('ada', [{ role: 'org-admin', organization: 'acme' }], ['team-platform']);
export const vic = person('vic', [{ role: 'org-viewer', organization: 'acme' }], ['team-platform']);

export const TWO_TEAMS: EnvironmentPolicyRule[] = [
  { kind: 'pr-required', approvers: ['team-platform', 'team-security'], minApprovals: 2 },
];

export interface ChangeRequestWorld {
  db: Knex;
  repos: EnvironmentRepositories;
  store: ChangeRequestStore;
  service: ChangeRequestService;
  provisioning: ProvisioningService;
  queries: EnvironmentQueries;
  events: CatalystEvent[];
  sent: NotificationSendOptions[];
  /** What the read model reports Running in a source Environment (the soak rule's facts). */
  soak: Record<string, SoakObservation | null>;
}

export interface ChangeRequestTestBed {
  /** acme with dev, stg and prod; prod governed by `prodRules` (and merging by hand with `merge: 'manual'`). */
  setup(
    prodRules?: EnvironmentPolicyRule[],
    options?: { merge?: 'manual'; teamMembers?: (groupRef: string) => Promise<string[]> },
  ): Promise<ChangeRequestWorld>;
  /** Sets the clock every part reads. */
  at(iso: string): void;
  git(env: string, ...args: string[]): string;
  mainHead(env: string): string;
  branches(env: string): string;
  /** A static site in stg, copied to prod by pat: the id of the change request it opens. */
  promoteSite(domain?: string, version?: string): Promise<string>;
}

/** Registers the suite's hooks (seeded Blueprint repos once, a fresh database per test). */
export function changeRequestTestBed(): ChangeRequestTestBed {
  let root: string;
  let world: ChangeRequestWorld | undefined;
  let clock = new Date('2026-11-23T12:00:00Z');
  const now = () => clock;

  beforeAll(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-cr-'));
    await seedBlueprintRepos(root, seedBlueprints(), () => ({ ...catalyst, timestamp: 1_700_000_000 }));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  afterEach(async () => {
    await world?.db.destroy();
    world = undefined;
  });

  const git = (env: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', world!.repos.path(env), ...args], { encoding: 'utf8' }).trim();

  async function setup(
    prodRules: EnvironmentPolicyRule[] = TWO_TEAMS,
    options: { merge?: 'manual'; teamMembers?: (groupRef: string) => Promise<string[]> } = {},
  ): Promise<ChangeRequestWorld> {
    for (const env of ['acme-dev', 'acme-stg', 'acme-prod'])
      fs.rmSync(join(root, 'acme', `${env}.git`), { recursive: true, force: true });
    clock = new Date('2026-11-23T12:00:00Z');
    const db = await createTestDatabase();
    const registryStore = DatabaseOrganizationStore.create(db);
    const repos = EnvironmentRepositories.create({ gitRoot: root });
    const registry = GitBlueprintRegistry.create({
      gitRoot: root,
      organizations: async () => ['acme'],
      logger: mockServices.logger.mock(),
    });
    await registry.refresh();
    await registryStore.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: ['team-platform', 'team-security', 'team-apps'],
      createdBy: 'test',
      createdAt: '2026-11-23T00:00:00Z',
    });
    for (const envType of ['dev', 'stg', 'prod']) {
      await registryStore.createEnvironment({
        name: `acme-${envType}`,
        organization: 'acme',
        envType,
        placement: { preset: 'small', regions: [] },
        ...(envType === 'prod' ? { initialPolicyRules: prodRules } : {}),
        createdBy: 'test',
        createdAt: '2026-11-23T00:00:00Z',
      });
    }
    await EnvironmentController.create({
      store: registryStore,
      repos,
      logger: mockServices.logger.mock(),
      committer: catalyst,
      now,
    }).reconcileAll();
    if (options.merge) {
      // the policy file as a platform team writes it, with `merge: manual`
      const repo = await repos.open('acme-prod');
      const head = await repo.resolve('refs/heads/main');
      const doc = parse((await repo.readFile(head!, 'policies/environment-policy.yaml'))!);
      doc.spec.merge = options.merge;
      await repo.commit({
        branch: 'main',
        expectedHead: head!,
        changes: { 'policies/environment-policy.yaml': JSON.stringify(doc) },
        message: 'Merge by hand',
        author: catalyst,
        committer: catalyst,
      });
    }
    const events: CatalystEvent[] = [];
    const sent: NotificationSendOptions[] = [];
    const soak: Record<string, SoakObservation | null> = {};
    const notifications = { send: async o => void sent.push(o) } as NotificationService;
    const authorization = grantsAuthorization(registryStore);
    const publisher = { publish: async (e: CatalystEvent | CatalystEvent[]) => void events.push(...[e].flat()) };
    const store = ChangeRequestStore.create(db);
    const service = ChangeRequestService.create({
      store,
      registry: registryStore,
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher,
      soak: async environment => soak[environment] ?? null,
      notifier: ChangeRequestNotifier.create({
        notifications,
        securityOfficers: async () => ['user:acme/sam'],
        ...(options.teamMembers ? { teamMembers: options.teamMembers } : {}),
        logger: mockServices.logger.mock(),
      }),
      orgAdmins: async () => ['user:acme/ada'],
      committer: catalyst,
      now,
      logger: mockServices.logger.mock(),
    });
    const provisioning = ProvisioningService.create({
      repos,
      authorization,
      catalog: () => registry.catalog(),
      publisher,
      changeRequests: service,
      committer: catalyst,
      now,
      logger: mockServices.logger.mock(),
    });
    const queries = EnvironmentQueries.create({ store: registryStore, repos, authorization, changeRequests: service });
    world = { db, repos, store, service, provisioning, queries, events, sent, soak };
    return world;
  }

  return {
    setup,
    at: iso => {
      clock = new Date(iso);
    },
    git,
    mainHead: env => git(env, 'rev-parse', 'main'),
    branches: env => git(env, 'for-each-ref', '--format=%(refname:short)', 'refs/heads'),
    promoteSite: async (domain = 'www.acme.example', version = '1.0.0') => {
      await world!.provisioning.install(pat, 'acme-stg', {
        application: 'site',
        blueprint: 'bp-static-site',
        version,
        values: { domain },
      });
      const copied = await world!.provisioning.promote(pat, {
        sourceEnvironment: 'acme-stg',
        application: 'site',
        targetEnvironment: 'acme-prod',
      });
      expect(copied.changeRequest).toBeDefined();
      return copied.changeRequest!.id;
    },
  };
}
