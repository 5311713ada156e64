import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { actionContext, CheckpointStore } from '../__testUtils__/actionContext';
import { CatalystTestBackend, startCatalystTestBackend } from '../__testUtils__/catalystBackend';
import { createEnvironmentCreateAction } from './environmentCreate';
import { createOrganizationCreateAction } from './organizationCreate';

jest.setTimeout(60_000);

describe('Day-1 actions against the catalyst backend', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startCatalystTestBackend();
  });
  afterAll(async () => {
    await b?.stop();
  });
  const createEnvironment = () => createEnvironmentCreateAction({ client: b.client });
  const createOrganization = () => createOrganizationCreateAction({ client: b.client });
  const envNames = async () => (await b.client.api.listEnvironments({}, await b.as('admin'))).map(e => e.name).sort();
  const orgNames = async () => (await b.client.api.listOrganizations(await b.as('admin'))).map(o => o.name).sort();

  describe('catalyst:environment:create', () => {
    it('creates {org}-{env_type} with its placement and starting policy, and links its entity page', async () => {
      const run = actionContext(createEnvironment(), {
        input: {
          organization: 'acme',
          envType: 'uat',
          placement: { preset: 'medium' },
          policyRules: [
            { kind: 'pr-required', approvers: ['team-security'] },
            { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
          ],
        },
        credentials: b.credentials('dev'),
        stepId: 'environment',
      });
      await run.run();
      expect(run.outputs).toMatchObject({
        environment: 'acme-uat',
        entityRef: 'environment:acme/acme-uat',
        governed: true,
        repository: expect.stringMatching(/acme\/acme-uat\.git$/),
        links: [{ title: 'Environment acme-uat', url: '/catalog/acme/environment/acme-uat' }],
      });
      const env = await b.client.api.getEnvironment('acme-uat', await b.as('dev'));
      expect(env.placement.preset).toBe('medium');
      expect(env.policy?.rules.map(r => r.kind)).toEqual(['pr-required', 'soak']);
      expect(run.logs()[0]).toBe('Validate: Environment acme-uat (placement medium; policy rules pr-required, soak)');
    });

    it('refuses a second Environment of the same type with ConflictError', async () => {
      const run = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'dev' },
        credentials: b.credentials('dev'),
      });
      await expect(run.run()).rejects.toThrow(ConflictError);
    });

    it('creates nothing in a dry run, but reports what the real run would be refused for', async () => {
      const before = await envNames();
      const ok = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'poc' },
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await ok.run();
      expect(ok.logs()).toContain('Dry run: would create acme-poc; nothing created');
      expect(ok.outputs).toMatchObject({ environment: 'acme-poc', governed: false });
      expect(await envNames()).toEqual(before);

      const taken = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'stg' },
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await expect(taken.run()).rejects.toThrow('Environment acme-stg already exists');
      const noOrg = actionContext(createEnvironment(), {
        input: { organization: 'nowhere', envType: 'dev' },
        credentials: b.credentials('dev'),
        isDryRun: true,
      });
      await expect(noOrg.run()).rejects.toThrow(NotFoundError);
    });

    it('refuses a user without manage-environment (org-viewer) with NotAllowedError', async () => {
      const run = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'poc' },
        credentials: b.credentials('viewer'),
      });
      await expect(run.run()).rejects.toThrow(NotAllowedError);
      expect(await envNames()).not.toContain('acme-poc');
    });

    it('refuses an unknown env type and a malformed rule with InputError naming the field', async () => {
      const badType = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'qa' },
        credentials: b.credentials('dev'),
      });
      await expect(badType.run()).rejects.toThrow(/envType/);
      const badRule = actionContext(createEnvironment(), {
        input: { organization: 'acme', envType: 'poc', policyRules: [{ kind: 'soak', duration: '1h' }] },
        credentials: b.credentials('dev'),
      });
      const error = await badRule.run().catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toContain('policyRules.0.sourceEnvironment');
    });

    it('does not create twice when a task is retried after the create succeeded', async () => {
      const checkpoints = new CheckpointStore();
      const input = { organization: 'acme', envType: 'poc' };
      const first = actionContext(createEnvironment(), {
        input,
        credentials: b.credentials('dev'),
        checkpoints,
        taskId: 'task-env',
      });
      await first.run();
      const second = actionContext(createEnvironment(), {
        input,
        credentials: b.credentials('dev'),
        checkpoints,
        taskId: 'task-env',
      });
      await second.run();
      expect(checkpoints.ran).toEqual(['create']);
      expect(second.outputs.repository).toBe(first.outputs.repository);
    });
  });

  it('answers a retry that lost its checkpoint with what the first attempt created; another task conflicts', async () => {
    const admin = b.credentials('admin');
    const org = { name: 'umbrella', displayName: 'Umbrella', teams: ['team-labs'] };
    const orgRun = (taskId: string) =>
      actionContext(createOrganization(), {
        input: org,
        credentials: admin,
        taskId,
        checkpoints: new CheckpointStore(),
      });
    await orgRun('task-org').run();
    // The same task again, its checkpoint gone (the create went through, the record did not).
    const orgRetry = orgRun('task-org');
    await orgRetry.run();
    expect(orgRetry.logs()).toContain('Created Organization umbrella with teams team-labs');
    await expect(orgRun('task-other').run()).rejects.toThrow(ConflictError);

    const envRun = (taskId: string) =>
      actionContext(createEnvironment(), {
        input: { organization: 'umbrella', envType: 'dev' },
        credentials: admin,
        taskId,
        checkpoints: new CheckpointStore(),
      });
    const first = envRun('task-env-retry');
    await first.run();
    const retry = envRun('task-env-retry');
    await retry.run();
    expect(retry.outputs.repository).toBe(first.outputs.repository);
    await expect(envRun('task-other').run()).rejects.toThrow(ConflictError);
    expect((await envNames()).filter(n => n === 'umbrella-dev')).toHaveLength(1);
  });

  describe('catalyst:organization:create', () => {
    it('lets a sovereign-admin onboard an Organization with its teams', async () => {
      const run = actionContext(createOrganization(), {
        input: { name: 'hooli', displayName: 'Hooli', teams: ['team-web', 'team-data'] },
        credentials: b.credentials('admin'),
      });
      await run.run();
      expect(run.outputs).toEqual({
        organization: 'hooli',
        entityRef: 'group:default/hooli',
        links: [{ title: 'Organization hooli', url: '/catalog/default/group/hooli' }],
      });
      const org = (await b.client.api.listOrganizations(await b.as('admin'))).find(o => o.name === 'hooli');
      expect(org).toMatchObject({ displayName: 'Hooli', teams: ['team-web', 'team-data'] });
      expect(run.logs()).toContain('Created Organization hooli with teams team-web, team-data');
    });

    it('refuses everyone but a sovereign-admin, including an org-admin', async () => {
      const run = actionContext(createOrganization(), {
        input: { name: 'initech', displayName: 'Initech' },
        credentials: b.credentials('dev'),
      });
      const error = await run.run().catch(e => e);
      expect(error).toBeInstanceOf(NotAllowedError);
      expect(error.message).toBe('only a sovereign-admin may create Organizations');
      expect(await orgNames()).not.toContain('initech');
    });

    it('refuses reserved and malformed slugs before calling the backend', async () => {
      for (const name of ['system', 'Acme Corp', 'kube-things']) {
        const run = actionContext(createOrganization(), {
          input: { name, displayName: 'X' },
          credentials: b.credentials('admin'),
        });
        await expect(run.run()).rejects.toThrow(/^name: /);
        expect(run.logs()).toEqual([]);
      }
    });

    it('creates nothing in a dry run, and reports a name already taken', async () => {
      const run = actionContext(createOrganization(), {
        input: { name: 'piedpiper', displayName: 'Pied Piper' },
        credentials: b.credentials('admin'),
        isDryRun: true,
      });
      await run.run();
      expect(await orgNames()).not.toContain('piedpiper');
      const taken = actionContext(createOrganization(), {
        input: { name: 'acme', displayName: 'ACME' },
        credentials: b.credentials('admin'),
        isDryRun: true,
      });
      await expect(taken.run()).rejects.toThrow('Organization acme already exists');
    });

    it('refuses an Organization that exists with ConflictError', async () => {
      const run = actionContext(createOrganization(), {
        input: { name: 'acme', displayName: 'ACME again' },
        credentials: b.credentials('admin'),
      });
      await expect(run.run()).rejects.toThrow(ConflictError);
    });
  });
});
