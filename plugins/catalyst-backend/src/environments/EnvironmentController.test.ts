import { mockServices } from '@backstage/backend-test-utils';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { Knex } from 'knex';
import { createTestDatabase } from '../__testUtils__/database';
import { DatabaseOrganizationStore } from '../database/DatabaseOrganizationStore';
import { APPLICATIONS_DIR_NOTE_PATH, EnvironmentController } from './EnvironmentController';
import { EnvironmentRepositories } from './EnvironmentRepositories';

const catalyst = { name: 'Catalyst', email: 'catalyst@local', timestamp: 0 };

describe('EnvironmentController', () => {
  let root: string;
  let db: Knex;
  let store: DatabaseOrganizationStore;
  let repos: EnvironmentRepositories;
  let controller: EnvironmentController;

  beforeEach(async () => {
    root = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-envctl-'));
    db = await createTestDatabase();
    store = DatabaseOrganizationStore.create(db);
    repos = EnvironmentRepositories.create({ gitRoot: root });
    controller = EnvironmentController.create({
      store,
      repos,
      logger: mockServices.logger.mock(),
      committer: catalyst,
      now: () => new Date('2026-11-23T12:00:00Z'),
    });
    await store.createOrganization({
      name: 'acme',
      displayName: 'ACME',
      sovereign: 'local',
      teams: ['team-platform'],
      createdBy: 'user:default/guest',
      createdAt: '2026-11-23T00:00:00Z',
    });
    for (const envType of ['dev', 'prod']) {
      await store.createEnvironment({
        name: `acme-${envType}`,
        organization: 'acme',
        envType,
        placement: { preset: 'small', regions: [] },
        ...(envType === 'prod' ? { initialPolicyRules: [{ kind: 'pr-required', approvers: ['team-platform'] }] } : {}),
        createdBy: 'user:default/guest',
        createdAt: '2026-11-23T00:00:00Z',
      });
    }
  });
  afterEach(async () => {
    await db.destroy();
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('creates each Environment repo with the Flux bootstrap and its policy, and the shared-blueprints repo', async () => {
    const outcomes = await controller.reconcileAll();
    expect(outcomes.map(o => [o.environment, o.created])).toEqual([
      ['acme-dev', true],
      ['acme-prod', true],
    ]);
    const prod = await repos.open('acme-prod');
    expect([...(await prod.listFiles('main')).keys()].sort()).toEqual([
      APPLICATIONS_DIR_NOTE_PATH,
      'flux-system/gotk-sync.yaml',
      'policies/environment-policy.yaml',
    ]);
    const policy = parse((await prod.readFile('main', 'policies/environment-policy.yaml'))!);
    expect(policy.spec).toEqual({
      appliesTo: { environments: ['acme-prod'] },
      rules: [{ kind: 'pr-required', approvers: ['team-platform'] }],
    });
    const dev = await repos.open('acme-dev');
    expect(parse((await dev.readFile('main', 'policies/environment-policy.yaml'))!).spec.rules).toEqual([]);
    const sync = (await dev.readFile('main', 'flux-system/gotk-sync.yaml'))!;
    expect(sync).toContain(`url: file://${join(root, 'acme/acme-dev.git')}`);
    expect(sync).toContain('path: ./flux-system/applications');
    expect(fs.existsSync(join(root, 'acme/shared-blueprints.git/HEAD'))).toBe(true);
    for (const env of ['acme-dev', 'acme-prod']) {
      execFileSync('git', ['--git-dir', repos.path(env), 'fsck', '--strict', '--no-dangling']);
    }
  });

  it('is idempotent and restores only what was deleted, never overwriting an edited policy', async () => {
    await controller.reconcileAll();
    expect((await controller.reconcileAll()).every(o => !o.commit)).toBe(true);
    const dev = await repos.open('acme-dev');
    const edited =
      'apiVersion: catalyst.openova.io/v1alpha1\nkind: EnvironmentPolicy\nmetadata: {name: acme-dev}\nspec: {appliesTo: {environments: [acme-dev]}, rules: [{kind: freeze, reason: audit}]}\n';
    await dev.commit({
      branch: 'main',
      message: 'someone edits',
      author: catalyst,
      changes: { 'policies/environment-policy.yaml': edited, 'flux-system/gotk-sync.yaml': null },
    });
    const [devOutcome] = await controller.reconcileAll();
    expect(devOutcome).toMatchObject({
      environment: 'acme-dev',
      created: false,
      restored: ['flux-system/gotk-sync.yaml'],
    });
    expect(await dev.readFile('main', 'policies/environment-policy.yaml')).toBe(edited);
    expect((await dev.log('main', { depth: 1 }))[0].message).toMatch(
      /^Repair Environment acme-dev: restore flux-system\/gotk-sync.yaml/,
    );
  });

  it('does not put the placeholder back once Applications exist', async () => {
    await controller.reconcileAll();
    const dev = await repos.open('acme-dev');
    await dev.commit({
      branch: 'main',
      message: 'install',
      author: catalyst,
      changes: { [APPLICATIONS_DIR_NOTE_PATH]: null, 'flux-system/applications/blog.yaml': 'kind: Kustomization\n' },
    });
    expect((await controller.reconcile((await store.getEnvironment('acme-dev'))!)).restored).toEqual([]);
  });
});
