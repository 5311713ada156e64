import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import { startBackendUnderTest } from '../__testUtils__/testBackend';
import { MAX_COST, MAX_DEPTH } from './graphql/catalystGraphql';

/**
 * GraphQL against the running plugin (real services, permission backend, Git repos, nats-server):
 * each query and mutation, their refusals, and the depth and cost limits.
 */
const users = {
  admin: { ref: 'user:default/dana', displayName: 'Dana Admin', email: 'dana@acme.example' },
  dev: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  viewer: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  outsider: { ref: 'user:default/olga', displayName: 'Olga Other', email: 'olga@globex.example' },
};

describe('GraphQL at /api/catalyst/graphql', () => {
  let b: CatalystTestBackend;
  beforeAll(async () => {
    b = await startBackendUnderTest({
      users: Object.values(users),
      bindings: [
        { subject: users.admin.ref, role: 'org-admin', organization: 'acme' },
        { subject: users.dev.ref, role: 'org-developer', organization: 'acme' },
        { subject: users.viewer.ref, role: 'org-viewer', organization: 'acme' },
        { subject: users.outsider.ref, role: 'org-admin', organization: 'globex' },
      ],
    });
  }, 60_000);
  afterAll(() => b?.stop());

  const head = (env: string) =>
    execFileSync('git', ['--git-dir', join(b.dataDir, 'git/acme', `${env}.git`), 'rev-parse', 'main'], {
      encoding: 'utf8',
    }).trim();
  const gql = (user: keyof typeof users | 'service' | 'nobody', query: string, variables?: Record<string, unknown>) => {
    const call = request(b.server).post('/api/catalyst/graphql');
    const authed =
      user === 'nobody'
        ? call
        : call.set('Authorization', user === 'service' ? b.serviceHeader() : b.header(users[user].ref));
    return authed.send({ query, ...(variables ? { variables } : {}) });
  };

  it('publishes its schema beside the OpenAPI document, which lists the endpoint', async () => {
    const sdl = await request(b.server).get('/api/catalyst/graphql/schema');
    expect(sdl.status).toBe(200);
    expect(sdl.text).toContain('type Mutation');
    expect(sdl.text).toMatch(/promote\(\s*sourceEnvironment: String!/);
    const doc = await request(b.server).get('/api/catalyst/openapi.json');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/graphql', '/graphql/schema']));
  });

  it('refuses a caller without credentials (401) and a body that is not a GraphQL request (400 naming the field)', async () => {
    const anonymous = await gql('nobody', '{ organizations { name } }');
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.error.code).toBe('unauthenticated');
    const bad = await request(b.server)
      .post('/api/catalyst/graphql')
      .set('Authorization', b.header(users.viewer.ref))
      .send({ query: 42 });
    expect(bad.status).toBe(400);
    expect(bad.body.error.issues[0].path).toBe('query');
  });

  it('reads Organizations, Environments, Applications with live status, only what the caller may read', async () => {
    const query = `{
      organizations { name environments { name governed } }
      environments { name organization governed canInstall openChangeRequests applications { name status { status } } }
      hidden: environment(name: "acme-dev") { name }
    }`;
    const viewer = await gql('viewer', query);
    expect(viewer.status).toBe(200);
    expect(viewer.body.errors).toBeUndefined();
    expect(viewer.body.data.organizations).toEqual([
      {
        name: 'acme',
        environments: [
          { name: 'acme-dev', governed: false },
          { name: 'acme-prod', governed: true },
          { name: 'acme-stg', governed: false },
        ],
      },
    ]);
    expect(
      viewer.body.data.environments.map((e: { name: string; canInstall: boolean }) => [e.name, e.canInstall]),
    ).toEqual([
      ['acme-dev', false],
      ['acme-prod', false],
      ['acme-stg', false],
    ]);
    expect(viewer.body.data.hidden).toEqual({ name: 'acme-dev' });
    // another Organization's admin sees nothing of acme: the Environment does not exist for them
    const outsider = await gql('outsider', query);
    expect(outsider.body.data.environments.map((e: { name: string }) => e.name)).toEqual(['globex-dev']);
    expect(outsider.body.data.hidden).toBeNull();
  });

  it('installs (a commit), configures, reads the Application back with values, and refuses a viewer', async () => {
    const install = `mutation($input: JSON!) { install(environment: "acme-dev", input: $input) { action commit applications changeRequest } }`;
    const before = head('acme-dev');
    const refused = await gql('viewer', install, { input: { application: 'gq-cache', blueprint: 'bp-redis' } });
    expect(refused.body.errors[0]).toMatchObject({
      path: ['install'],
      extensions: { code: 'not-allowed', status: 403 },
    });
    expect(head('acme-dev')).toBe(before);

    const invalid = await gql('dev', install, {
      input: { application: 'gq-cache', blueprint: 'bp-redis', values: { maxMemory: 7 } },
    });
    expect(invalid.body.errors[0].extensions).toMatchObject({ status: 400 });
    expect(JSON.stringify(invalid.body.errors[0].extensions.issues)).toContain('maxMemory');
    expect(head('acme-dev')).toBe(before);
    const unknownField = await gql('dev', install, {
      input: { application: 'gq-cache', blueprint: 'bp-redis', colour: 'red' },
    });
    expect(unknownField.body.errors[0].extensions).toMatchObject({ code: 'invalid-request', status: 400 });
    expect(unknownField.body.errors[0].message).toContain('input');

    const ok = await gql('dev', install, { input: { application: 'gq-cache', blueprint: 'bp-redis' } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.install).toMatchObject({ action: 'install', applications: ['gq-cache'], changeRequest: null });
    expect(head('acme-dev')).toBe(ok.body.data.install.commit);

    const configure = await gql(
      'dev',
      `mutation($input: JSON!) { configure(environment: "acme-dev", application: "gq-cache", input: $input) { action commit } }`,
      { input: { values: { maxMemory: '300mb' } } },
    );
    expect(configure.body.data.configure.action).toBe('configure');
    const read = await gql(
      'viewer',
      `{ environment(name: "acme-dev") { application(name: "gq-cache") { name blueprint version values inEnvironment { name } } } }`,
    );
    expect(read.body.data.environment.application).toMatchObject({
      name: 'gq-cache',
      blueprint: 'bp-redis',
      values: { maxMemory: '300mb' },
      inEnvironment: { name: 'acme-dev' },
    });
  });

  it('a plugin calling as itself reads but never writes', async () => {
    const read = await gql('service', '{ environments { name } }');
    expect(read.body.data.environments.length).toBeGreaterThanOrEqual(4);
    const write = await gql('service', `mutation { install(environment: "acme-dev", input: {}) { commit } }`);
    expect(write.status).toBe(400); // JSON arguments are variables: the literal is refused before anything runs
    const asVariable = await gql(
      'service',
      `mutation($i: JSON!) { install(environment: "acme-dev", input: $i) { commit } }`,
      {
        i: { application: 'svc-cache', blueprint: 'bp-redis' },
      },
    );
    expect(asVariable.body.errors[0].extensions).toMatchObject({ code: 'not-allowed', status: 403 });
  });

  it('promotes into a governed Environment as a change request, lists it, and refuses the author approving it', async () => {
    const promote = await gql(
      'admin',
      `mutation { promote(sourceEnvironment: "acme-dev", application: "gq-cache", targetEnvironment: "acme-prod") { action changeRequest } }`,
    );
    expect(promote.body.errors).toBeUndefined();
    const id = promote.body.data.promote.changeRequest;
    expect(id).toMatch(/^cr-\d+$/);
    const list = await gql(
      'viewer',
      `{ changeRequests(environment: "acme-prod") { id state author detail { files verdicts can } }
         environment(name: "acme-prod") { changeRequests(state: "open") { id } } }`,
    );
    expect(list.body.data.changeRequests[0]).toMatchObject({ id, state: 'open', author: users.admin.ref });
    expect(
      list.body.data.changeRequests[0].detail.verdicts.map((v: { rule: { kind: string } }) => v.rule.kind),
    ).toEqual(['pr-required', 'soak', 'change-window']);
    expect(list.body.data.environment.changeRequests).toEqual([{ id }]);
    const own = await gql('admin', `mutation { approve(id: "${id}") { state } }`);
    expect(own.body.errors[0]).toMatchObject({
      message: 'authors cannot approve their own change request',
      extensions: { code: 'not-allowed', status: 403 },
    });
    const approved = await gql('dev', `mutation { approve(id: "${id}", comment: "ok") { state approvals } }`);
    expect(approved.body.data.approve.state).toBe('open'); // team-security and the soak still missing
    expect(approved.body.data.approve.approvals).toEqual([
      expect.objectContaining({ user: users.dev.ref, comment: 'ok' }),
    ]);
    // a change request of acme does not exist for globex
    expect((await gql('outsider', `{ changeRequest(id: "${id}") { id } }`)).body.data.changeRequest).toBeNull();
    // and the mutations were audited as writes through the graphql surface
    expect(
      b.auditEvents
        .filter(e => e.eventId.startsWith('graphql-'))
        .map(e => [e.eventId, (e.meta as { verdict?: string }).verdict])
        .filter(([, verdict]) => verdict),
    ).toEqual(
      expect.arrayContaining([
        ['graphql-promote', 'allowed'],
        ['graphql-approve', 'refused'],
        ['graphql-approve', 'allowed'],
        ['graphql-install', 'refused'],
      ]),
    );
  });

  it('refuses a query over the depth limit or the cost limit before running it', async () => {
    // walking the graph back and forth: Organization → Environment → Application → Environment → …
    const deep = `{ organizations { environments { applications { inEnvironment { inOrganization { environments { name } } } } } } }`;
    const tooDeep = await gql('viewer', deep);
    expect(tooDeep.status).toBe(400);
    expect(tooDeep.body.errors[0]).toMatchObject({
      message: `The query is 7 levels deep; at most ${MAX_DEPTH} are allowed`,
      extensions: { limit: 'depth' },
    });
    // wide instead of deep: many aliased list fields
    const aliases = Array.from(
      { length: 60 },
      (_, i) => `e${i}: environments { applications { name version status { status reason } } }`,
    );
    const tooCostly = await gql('viewer', `{ ${aliases.join(' ')} }`);
    expect(tooCostly.status).toBe(400);
    expect(tooCostly.body.errors[0].extensions).toMatchObject({ limit: 'cost' });
    expect(tooCostly.body.errors[0].message).toContain(`at most ${MAX_COST}`);
    // a cyclic fragment is refused by GraphQL's own validation
    const cyclic = await gql(
      'viewer',
      `{ environments { ...A } } fragment A on Environment { inOrganization { environments { ...A } } }`,
    );
    expect(cyclic.status).toBe(400);
  });
});
