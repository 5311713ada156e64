import { ConflictError, NotFoundError } from '@backstage/errors';
import { Knex } from 'knex';
import { TEST_DATABASE_ENGINES, useTestDatabases } from '../__testUtils__/database';
import { DatabaseOrganizationStore, EnvironmentRecord, OrganizationRecord } from './DatabaseOrganizationStore';

jest.setTimeout(60_000);

const organization = (name: string, extra: Partial<OrganizationRecord> = {}): OrganizationRecord => ({
  name,
  displayName: `${name} Inc.`,
  sovereign: 'local',
  teams: ['team-platform', 'team-security'],
  createdBy: 'user:default/ada',
  createdAt: '2026-03-01T09:30:15.123Z',
  ...extra,
});

const environment = (org: string, envType: string, extra: Partial<EnvironmentRecord> = {}): EnvironmentRecord => ({
  name: `${org}-${envType}`,
  organization: org,
  envType,
  placement: { preset: 'single-region', regions: ['eu-west'] },
  createdBy: 'user:default/ada',
  createdAt: '2026-03-02T23:59:59.999Z',
  ...extra,
});

describe.each(TEST_DATABASE_ENGINES)('DatabaseOrganizationStore on %s', engine => {
  const databases = useTestDatabases(engine);
  let db: Knex;
  let store: DatabaseOrganizationStore;

  beforeEach(async () => {
    db = await databases.create();
    store = DatabaseOrganizationStore.create(db);
  });

  it('stores an Organization and gives it back as it was written', async () => {
    const acme = organization('acme', { requestKey: 'req-1' });
    await store.createOrganization(acme);
    await store.createOrganization(organization('globex'));

    expect(await store.getOrganization('acme')).toEqual(acme);
    // No request key: the field is absent, not null.
    expect(await store.getOrganization('globex')).toEqual(organization('globex'));
    expect(await store.getOrganization('globex')).not.toHaveProperty('requestKey');
    expect(await store.getOrganization('initech')).toBeUndefined();
  });

  it('stores an Environment with its placement, initial policy and request key', async () => {
    await store.createOrganization(organization('acme'));
    const prod = environment('acme', 'prod', {
      initialPolicyRules: [
        { kind: 'pr-required', approvers: ['team-security'], minApprovals: 1 },
        { kind: 'soak', sourceEnvironment: 'acme-stg', duration: '24h' },
        { kind: 'change-window', cron: '0 9 * * 1-5', duration: '8h', timezone: 'Europe/Zürich' },
      ],
      requestKey: 'req-env-1',
    });
    const dev = environment('acme', 'dev');
    await store.createEnvironment(prod);
    await store.createEnvironment(dev);

    expect(await store.getEnvironment('acme-prod')).toEqual(prod);
    expect(await store.getEnvironment('acme-dev')).toEqual(dev);
    expect(await store.getEnvironment('acme-dev')).not.toHaveProperty('initialPolicyRules');
    expect(await store.getEnvironment('acme-dev')).not.toHaveProperty('requestKey');
    expect(await store.getEnvironment('acme-uat')).toBeUndefined();
  });

  it.each([
    ['milliseconds', '2026-03-01T09:30:15.123Z'],
    ['the first instant of a year', '2027-01-01T00:00:00.000Z'],
    ['a leap day', '2028-02-29T12:00:00.001Z'],
  ])('keeps createdAt to the millisecond (%s), in UTC', async (_case, createdAt) => {
    await store.createOrganization(organization('acme', { createdAt }));
    await store.createEnvironment(environment('acme', 'dev', { createdAt }));
    expect((await store.getOrganization('acme'))?.createdAt).toBe(createdAt);
    expect((await store.listOrganizations())[0].createdAt).toBe(createdAt);
    expect((await store.getEnvironment('acme-dev'))?.createdAt).toBe(createdAt);
    expect((await store.listEnvironments('acme'))[0].createdAt).toBe(createdAt);
  });

  it('lists Organizations and Environments by name in code point order, whatever the database collation', async () => {
    // A linguistic collation (production's en_US.UTF-8; the test PostgreSQL's default) ignores the
    // hyphen and puts `acmecorp` before `acme-zeta`; the API and the catalog list by plain name order.
    for (const name of ['acmecorp', 'globex', 'acme-zeta', 'acme']) await store.createOrganization(organization(name));
    for (const [org, type] of [
      ['acmecorp', 'dev'],
      ['acme-zeta', 'dev'],
      ['acme', 'prod'],
      ['acme', 'dev'],
      ['globex', 'dev'],
    ]) {
      await store.createEnvironment(environment(org, type));
    }

    expect((await store.listOrganizations()).map(o => o.name)).toEqual(['acme', 'acme-zeta', 'acmecorp', 'globex']);
    expect((await store.listEnvironments()).map(e => e.name)).toEqual([
      'acme-dev',
      'acme-prod',
      'acme-zeta-dev',
      'acmecorp-dev',
      'globex-dev',
    ]);
    expect((await store.listEnvironments('acme')).map(e => e.name)).toEqual(['acme-dev', 'acme-prod']);
    expect(await store.listEnvironments('initech')).toEqual([]);
  });

  it('refuses a second Organization with the same name with a ConflictError, and keeps the first', async () => {
    await store.createOrganization(organization('acme', { requestKey: 'first' }));
    const second = store.createOrganization(organization('acme', { displayName: 'Other', requestKey: 'second' }));
    await expect(second).rejects.toThrow(ConflictError);
    await expect(second).rejects.toThrow('Organization acme already exists');
    expect(await store.getOrganization('acme')).toMatchObject({ displayName: 'acme Inc.', requestKey: 'first' });
    // The connection is still usable after the refused insert (PostgreSQL aborts a failed transaction).
    await store.createOrganization(organization('globex'));
    expect((await store.listOrganizations()).map(o => o.name)).toEqual(['acme', 'globex']);
  });

  it('refuses a second Environment of the same name or the same env type with a ConflictError', async () => {
    await store.createOrganization(organization('acme'));
    await store.createEnvironment(environment('acme', 'dev', { requestKey: 'first' }));

    const sameName = store.createEnvironment(environment('acme', 'dev', { requestKey: 'second' }));
    await expect(sameName).rejects.toThrow(ConflictError);
    await expect(sameName).rejects.toThrow('Organization acme already has a dev Environment (acme-dev)');
    // DESIGN §4: one Environment per env type per Organization, whatever it is called.
    const sameType = store.createEnvironment(environment('acme', 'dev', { name: 'acme-development' }));
    await expect(sameType).rejects.toThrow(ConflictError);

    expect(await store.listEnvironments('acme')).toEqual([environment('acme', 'dev', { requestKey: 'first' })]);
  });

  it('lets exactly one of two concurrent creates of the same Organization win', async () => {
    const results = await Promise.allSettled([
      store.createOrganization(organization('acme', { requestKey: 'a' })),
      store.createOrganization(organization('acme', { requestKey: 'b' })),
    ]);
    expect(results.filter(r => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(refused?.reason).toBeInstanceOf(ConflictError);
    expect(await store.listOrganizations()).toHaveLength(1);
  });

  it('refuses an Environment of an Organization that does not exist with a NotFoundError', async () => {
    const orphan = store.createEnvironment(environment('initech', 'dev'));
    await expect(orphan).rejects.toThrow(NotFoundError);
    await expect(orphan).rejects.toThrow('Organization initech does not exist');
    expect(await store.listEnvironments()).toEqual([]);
  });
});
