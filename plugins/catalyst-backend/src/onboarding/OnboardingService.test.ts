import { mockServices } from '@backstage/backend-test-utils';
import { CatalystEvent } from '@internal/plugin-catalyst-common';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { Knex } from 'knex';
import { createTestDatabase } from '../__testUtils__/database';
import { grantsAuthorization, testPrincipal } from '../__testUtils__/grantsAccess';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { EnvironmentController } from '../environments/EnvironmentController';
import { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import { EnvironmentQueries } from '../provisioning/EnvironmentQueries';
import { OnboardingService } from './OnboardingService';

const root = testPrincipal('user:default/sofia', [{ role: 'sovereign-admin', organization: '*' }]);
const ada = testPrincipal('user:default/ada', [{ role: 'org-admin', organization: 'acme' }]);
const layla = testPrincipal('user:default/layla', [{ role: 'org-developer', organization: 'acme' }]);
const gina = testPrincipal('user:default/gina', [{ role: 'org-admin', organization: 'globex' }]);

describe('OnboardingService', () => {
  let dir: string;
  let db: Knex;
  let store: DatabaseOrganizationStore;
  let repos: EnvironmentRepositories;
  let service: OnboardingService;
  let events: CatalystEvent[];
  const now = () => new Date('2026-12-01T09:00:00Z');

  beforeEach(async () => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-onboarding-'));
    db = await createTestDatabase();
    store = DatabaseOrganizationStore.create(db);
    repos = EnvironmentRepositories.create({ gitRoot: dir });
    const authorization = grantsAuthorization(store);
    const controller = EnvironmentController.create({
      store,
      repos,
      logger: mockServices.logger.mock(),
      committer: { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 },
      now,
    });
    events = [];
    service = OnboardingService.create({
      store,
      authorization,
      controller,
      queries: EnvironmentQueries.create({ store, repos, authorization }),
      publisher: { publish: async e => void events.push(...(Array.isArray(e) ? e : [e])) },
      sovereign: 'local',
      now,
      logger: mockServices.logger.mock(),
    });
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const git = (gitdir: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', gitdir, ...args], { encoding: 'utf8' }).trim();

  it('lets only a sovereign-admin onboard an Organization, with its shared-blueprints repo', async () => {
    await expect(service.createOrganization(ada, { name: 'acme', displayName: 'ACME' })).rejects.toMatchObject({
      name: 'NotAllowedError',
      code: 'not-allowed',
      message: 'only a sovereign-admin may create Organizations',
    });
    expect(await store.listOrganizations()).toEqual([]);

    const { created, value } = await service.createOrganization(root, {
      name: 'acme',
      displayName: 'ACME Corp',
      teams: ['team-platform'],
    });
    expect(created).toBe(true);
    expect(value).toEqual({
      name: 'acme',
      displayName: 'ACME Corp',
      sovereign: 'local',
      teams: ['team-platform'],
      environments: [],
    });
    expect(git(repos.sharedBlueprintsPath('acme'), 'log', '--format=%s', 'main')).toBe(
      'Create shared-blueprints for acme',
    );
    expect((await store.getOrganization('acme'))?.createdBy).toBe('user:default/sofia');
  });

  it.each([
    ['Acme', /name: .*lowercase|name: /],
    ['flux', /reserved/],
    ['kube-system', /reserved/],
    ['ab', /3/],
  ])('refuses the Organization name %s naming the field, and writes nothing', async (name, message) => {
    await expect(service.createOrganization(root, { name, displayName: 'X' })).rejects.toMatchObject({
      name: 'InputError',
      code: 'invalid-request',
      message: expect.stringMatching(message),
    });
    expect(await store.listOrganizations()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('answers a retried create with what the first one made; another key or another user conflicts', async () => {
    const body = { name: 'acme', displayName: 'ACME', idempotencyKey: 'task-42:create-org' };
    const first = await service.createOrganization(root, body);
    const again = await service.createOrganization(root, body);
    expect(again).toEqual({ created: false, value: first.value });
    await expect(
      service.createOrganization(root, { ...body, idempotencyKey: 'task-43:create-org' }),
    ).rejects.toMatchObject({ name: 'ConflictError', code: 'conflict', message: 'Organization acme already exists' });
    const otherAdmin = testPrincipal('user:default/root2', [{ role: 'sovereign-admin', organization: '*' }]);
    await expect(service.createOrganization(otherAdmin, body)).rejects.toMatchObject({ code: 'conflict' });
    await expect(service.createOrganization(root, { name: 'acme', displayName: 'ACME' })).rejects.toMatchObject({
      name: 'ConflictError',
    });
  });

  describe('Environments', () => {
    beforeEach(async () => {
      await service.createOrganization(root, { name: 'acme', displayName: 'ACME' });
      await service.createOrganization(root, { name: 'globex', displayName: 'Globex' });
    });

    it('names it {org}-{env_type}, bootstraps its repo before answering, and announces it once', async () => {
      const { created, value } = await service.createEnvironment(ada, {
        organization: 'acme',
        envType: 'uat',
        policyRules: [{ kind: 'pr-required', approvers: ['team-platform'] }],
        idempotencyKey: 'env-uat-1',
      });
      expect(created).toBe(true);
      expect(value).toMatchObject({
        name: 'acme-uat',
        organization: 'acme',
        envType: 'uat',
        governed: true,
        policy: { rules: [{ kind: 'pr-required', approvers: ['team-platform'] }] },
        applicationCount: 0,
      });
      const gitdir = repos.path('acme-uat');
      expect(git(gitdir, 'ls-tree', '-r', '--name-only', 'main').split('\n')).toEqual(
        expect.arrayContaining(['flux-system/gotk-sync.yaml', 'policies/environment-policy.yaml']),
      );
      expect(events.map(e => [e.type, e.catalystenv, e.data])).toEqual([
        [
          'io.catalyst.environment.created',
          'acme-uat',
          { environment: 'acme-uat', organization: 'acme', envType: 'uat' },
        ],
      ]);
      // the retry answers with the same Environment, and announces nothing again
      const again = await service.createEnvironment(ada, {
        organization: 'acme',
        envType: 'uat',
        idempotencyKey: 'env-uat-1',
      });
      expect(again).toEqual({ created: false, value });
      expect(events).toHaveLength(1);
    });

    it('refuses a second Environment of the same env type in one Organization', async () => {
      await service.createEnvironment(ada, { organization: 'acme', envType: 'dev' });
      await expect(service.createEnvironment(ada, { organization: 'acme', envType: 'dev' })).rejects.toMatchObject({
        name: 'ConflictError',
        code: 'conflict',
        message: 'Organization acme already has a dev Environment (acme-dev)',
      });
      // another Organization's dev is its own
      await expect(service.createEnvironment(gina, { organization: 'globex', envType: 'dev' })).resolves.toMatchObject({
        created: true,
        value: { name: 'globex-dev' },
      });
    });

    it('needs manage-environment in the Organization: 403 for a developer, 404 for another Organization', async () => {
      await expect(service.createEnvironment(layla, { organization: 'acme', envType: 'dev' })).rejects.toMatchObject({
        name: 'NotAllowedError',
        code: 'not-allowed',
        message: 'you may not manage-environment in Organization acme',
      });
      await expect(service.createEnvironment(gina, { organization: 'acme', envType: 'dev' })).rejects.toMatchObject({
        name: 'NotFoundError',
        message: 'Organization acme does not exist',
      });
      await expect(service.createEnvironment(ada, { organization: 'initech', envType: 'dev' })).rejects.toMatchObject({
        name: 'NotFoundError',
      });
      expect(await store.listEnvironments()).toEqual([]);
      expect(events).toEqual([]);
    });

    it('refuses a body other surfaces send unparsed, naming the field', async () => {
      await expect(
        service.createEnvironment(ada, { organization: 'acme', envType: 'staging' } as unknown as {
          organization: string;
          envType: 'stg';
        }),
      ).rejects.toMatchObject({
        name: 'InputError',
        code: 'invalid-request',
        message: expect.stringContaining('envType'),
      });
    });

    it('lists to each principal only the Organizations they may read', async () => {
      await service.createEnvironment(ada, { organization: 'acme', envType: 'dev' });
      expect((await service.listOrganizations(ada)).map(o => [o.name, o.environments])).toEqual([
        ['acme', ['acme-dev']],
      ]);
      expect((await service.listOrganizations(gina)).map(o => o.name)).toEqual(['globex']);
      expect((await service.listOrganizations(root)).map(o => o.name)).toEqual(['acme', 'globex']);
    });
  });
});
