import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import type { RoleBinding } from '@internal/plugin-catalyst-common';
import { startBackendUnderTest } from '../__testUtils__/testBackend';
import { TestSseClient } from '../readside/__testUtils__/sseClient';

jest.setTimeout(60_000);

/**
 * Issue 12's authorization matrix: every role (plus an outsider, whose only role is in the other
 * Organization, and a grant narrowed to one Environment) × every Catalyst action, on a real backend
 * with the real permission backend and Catalyst's policy. Each expected cell is written out from the
 * role table (catalyst-common `access/roles.ts`, reference §7.3) and the grant's scope — never
 * computed by the code under test.
 *
 * The seeded Sovereign: acme (acme-dev, acme-stg, acme-prod governed by its EnvironmentPolicy) and
 * globex (globex-dev).
 */
const users = {
  root: { ref: 'user:default/root', displayName: 'Root Sovereign', email: 'root@sovereign.example' },
  admin: { ref: 'user:default/ada', displayName: 'Ada Admin', email: 'ada@acme.example' },
  dev: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  viewer: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  security: { ref: 'user:default/sam', displayName: 'Sam Security', email: 'sam@acme.example' },
  outsider: { ref: 'user:default/olga', displayName: 'Olga Globex', email: 'olga@globex.example' },
  narrowed: { ref: 'user:default/nina', displayName: 'Nina Narrow', email: 'nina@acme.example' },
  // not a matrix row: authors the fixtures (an author may not approve their own change request)
  author: { ref: 'user:default/pat', displayName: 'Pat Author', email: 'pat@acme.example' },
};
type Who = Exclude<keyof typeof users, 'author'>;

const bindings: RoleBinding[] = [
  { subject: users.root.ref, role: 'sovereign-admin', organization: '*' },
  { subject: users.admin.ref, role: 'org-admin', organization: 'acme' },
  { subject: users.dev.ref, role: 'org-developer', organization: 'acme' },
  { subject: users.viewer.ref, role: 'org-viewer', organization: 'acme' },
  { subject: users.security.ref, role: 'security-officer', organization: 'acme' },
  { subject: users.outsider.ref, role: 'org-admin', organization: 'globex' },
  { subject: users.narrowed.ref, role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
  { subject: users.author.ref, role: 'org-admin', organization: 'acme' },
];

interface Cell {
  status: number;
  code?: string;
  message?: string;
  /** The Environments whose main the call moves (none when refused). */
  moves?: string[];
}
/** Allowed: the operation's success status, and the Environments whose main it commits to. */
const ok = (status: number, moves: string[] = []): Cell => ({ status, moves });
/** Readable but not allowed: 403 naming the action and where. */
const forbidden = (action: string, where: string): Cell => ({
  status: 403,
  code: 'not-allowed',
  message: `you may not ${action} in ${where}`,
});
/** Not readable: the same answer as an Environment that does not exist. */
const hidden = (env: string): Cell => ({
  status: 404,
  code: 'environment-not-found',
  message: `Environment ${env} does not exist`,
});

describe('authorization matrix (REST, SSE, scaffolder, catalog, Kubernetes proxy)', () => {
  let b: CatalystTestBackend;
  let changeRequest: string;

  const as = (who: keyof typeof users) => ({ Authorization: b.header(users[who].ref) });
  const head = (org: string, env: string) =>
    execFileSync('git', ['--git-dir', join(b.dataDir, 'git', org, `${env}.git`), 'rev-parse', 'main'], {
      encoding: 'utf8',
    }).trim();
  const heads = () => ({
    'acme-dev': head('acme', 'acme-dev'),
    'acme-stg': head('acme', 'acme-stg'),
    'acme-prod': head('acme', 'acme-prod'),
    'globex-dev': head('globex', 'globex-dev'),
  });

  beforeAll(async () => {
    b = await startBackendUnderTest({
      users: Object.values(users),
      bindings,
    });
    const install = (env: string, application: string) =>
      request(b.server)
        .post(`/api/catalyst/environments/${env}/applications`)
        .set(as('author'))
        .send({ application, blueprint: 'bp-redis' });
    // one Application each may configure, one each may promote (so every cell is decided by access only)
    const installed = [];
    for (const who of Object.keys(users)) {
      installed.push((await install('acme-dev', `conf-${who}`)).status);
      installed.push((await install('acme-dev', `promo-${who}`)).status);
    }
    // a governed Environment's write is a change request, for the approve and merge columns
    const opened = await install('acme-prod', 'cache');
    if (installed.some(status => status !== 201) || opened.status !== 202) {
      throw new Error(`fixtures not installed: ${installed.join(', ')}; acme-prod answered ${opened.status}`);
    }
    changeRequest = opened.body.changeRequest.id;
  }, 120_000);
  afterAll(() => b?.stop());

  /** What each action does, on the Environment named; the cells say who may. */
  const actions: Record<string, { perform: (who: Who) => request.Test; cells: Record<Who, Cell> }> = {
    'read acme-dev (GET /environments/acme-dev)': {
      perform: who => request(b.server).get('/api/catalyst/environments/acme-dev').set(as(who)),
      cells: {
        root: ok(200),
        admin: ok(200),
        dev: ok(200),
        viewer: ok(200),
        security: ok(200),
        outsider: hidden('acme-dev'),
        narrowed: ok(200),
      },
    },
    'read acme-stg (GET /environments/acme-stg/applications)': {
      perform: who => request(b.server).get('/api/catalyst/environments/acme-stg/applications').set(as(who)),
      cells: {
        root: ok(200),
        admin: ok(200),
        dev: ok(200),
        viewer: ok(200),
        security: ok(200),
        outsider: hidden('acme-stg'),
        narrowed: hidden('acme-stg'),
      },
    },
    'read globex-dev (GET /environments/globex-dev)': {
      perform: who => request(b.server).get('/api/catalyst/environments/globex-dev').set(as(who)),
      cells: {
        root: ok(200),
        admin: hidden('globex-dev'),
        dev: hidden('globex-dev'),
        viewer: hidden('globex-dev'),
        security: hidden('globex-dev'),
        outsider: ok(200),
        narrowed: hidden('globex-dev'),
      },
    },
    'install (POST /environments/acme-dev/applications)': {
      perform: who =>
        request(b.server)
          .post('/api/catalyst/environments/acme-dev/applications')
          .set(as(who))
          .send({ application: `new-${who}`, blueprint: 'bp-redis' }),
      cells: {
        root: ok(201, ['acme-dev']),
        admin: ok(201, ['acme-dev']),
        dev: ok(201, ['acme-dev']),
        viewer: forbidden('install', 'acme-dev'),
        security: forbidden('install', 'acme-dev'),
        outsider: hidden('acme-dev'),
        narrowed: ok(201, ['acme-dev']),
      },
    },
    'configure (PATCH /environments/acme-dev/applications/:app)': {
      perform: who =>
        request(b.server)
          .patch(`/api/catalyst/environments/acme-dev/applications/conf-${who}`)
          .set(as(who))
          .send({ values: { maxMemory: '128mb' } }),
      cells: {
        root: ok(200, ['acme-dev']),
        admin: ok(200, ['acme-dev']),
        dev: ok(200, ['acme-dev']),
        viewer: forbidden('configure', 'acme-dev'),
        security: forbidden('configure', 'acme-dev'),
        outsider: hidden('acme-dev'),
        narrowed: ok(200, ['acme-dev']),
      },
    },
    'promote (POST /promotions acme-dev → acme-stg)': {
      perform: who =>
        request(b.server)
          .post('/api/catalyst/promotions')
          .set(as(who))
          .send({ sourceEnvironment: 'acme-dev', application: `promo-${who}`, targetEnvironment: 'acme-stg' }),
      cells: {
        root: ok(201, ['acme-stg']),
        admin: ok(201, ['acme-stg']),
        dev: ok(201, ['acme-stg']),
        viewer: forbidden('promote', 'acme-stg'),
        security: forbidden('promote', 'acme-stg'),
        outsider: hidden('acme-dev'),
        // reads the source, but the destination is outside the grant
        narrowed: hidden('acme-stg'),
      },
    },
    'approve (POST /change-requests/:id/approve in acme-prod)': {
      perform: who =>
        request(b.server).post(`/api/catalyst/change-requests/${changeRequest}/approve`).set(as(who)).send({}),
      cells: {
        root: ok(200),
        admin: ok(200),
        dev: ok(200),
        viewer: forbidden('approve', 'acme-prod'),
        security: ok(200),
        outsider: { status: 404, code: 'not-found', message: 'Change request cr-1 does not exist' },
        narrowed: { status: 404, code: 'not-found', message: 'Change request cr-1 does not exist' },
      },
    },
    'merge (POST /change-requests/:id/merge in acme-prod)': {
      perform: who =>
        request(b.server).post(`/api/catalyst/change-requests/${changeRequest}/merge`).set(as(who)).send({}),
      cells: {
        // allowed to merge: past authorization, the EnvironmentPolicy holds it (the seed's 24 h soak)
        root: { status: 409, code: 'governed-environment', message: 'Change request cr-1 cannot merge yet' },
        admin: { status: 409, code: 'governed-environment', message: 'Change request cr-1 cannot merge yet' },
        dev: forbidden('merge', 'acme-prod'),
        viewer: forbidden('merge', 'acme-prod'),
        security: forbidden('merge', 'acme-prod'),
        outsider: { status: 404, code: 'not-found', message: 'Change request cr-1 does not exist' },
        narrowed: { status: 404, code: 'not-found', message: 'Change request cr-1 does not exist' },
      },
    },
    'manage-environment (POST /environments in acme)': {
      perform: who =>
        request(b.server)
          .post('/api/catalyst/environments')
          .set(as(who))
          // two may: each creates its own env type
          .send({ organization: 'acme', envType: who === 'root' ? 'uat' : 'poc' }),
      cells: {
        root: ok(201),
        admin: ok(201),
        dev: forbidden('manage-environment', 'Organization acme'),
        viewer: forbidden('manage-environment', 'Organization acme'),
        security: forbidden('manage-environment', 'Organization acme'),
        outsider: { status: 404, code: 'not-found', message: 'Organization acme does not exist' },
        // an Environment-narrowed grant reads the Organization but acts in no Organization-wide way
        narrowed: forbidden('manage-environment', 'Organization acme'),
      },
    },
    'manage-policy (POST /environments/acme-dev/policy)': {
      perform: who =>
        request(b.server)
          .post('/api/catalyst/environments/acme-dev/policy')
          .set(as(who))
          // org-admins write no rules (acme-dev stays ungoverned for the other columns); the others
          // propose one, which for a security officer is a change request, not a commit on main
          .send({
            rules: who === 'root' || who === 'admin' ? [] : [{ kind: 'pr-required', approvers: ['team-security'] }],
          }),
      cells: {
        // acme-dev's rules are already empty: allowed, and nothing to commit
        root: ok(200),
        admin: ok(200),
        dev: forbidden('manage-policy', 'acme-dev'),
        viewer: forbidden('manage-policy', 'acme-dev'),
        // a security officer's policy edit is a change request an org-admin approves
        security: ok(202),
        outsider: hidden('acme-dev'),
        narrowed: forbidden('manage-policy', 'acme-dev'),
      },
    },
    'freeze (POST /environments/acme-dev/freeze)': {
      perform: who =>
        request(b.server)
          .post('/api/catalyst/environments/acme-dev/freeze')
          .set(as(who))
          .send({ reason: `matrix ${who}` }),
      cells: {
        root: ok(200),
        admin: ok(200),
        dev: forbidden('freeze', 'acme-dev'),
        viewer: forbidden('freeze', 'acme-dev'),
        security: ok(200),
        outsider: hidden('acme-dev'),
        narrowed: forbidden('freeze', 'acme-dev'),
      },
    },
  };

  const restCells = Object.entries(actions).flatMap(([action, { cells }]) =>
    (Object.entries(cells) as Array<[Who, Cell]>).map(([who, cell]) => [action, who, cell] as const),
  );

  describe('REST', () => {
    it.each(restCells)('%s as %s → %j', async (action, who, cell) => {
      const before = heads();
      const res = await actions[action].perform(who);
      const after = heads();
      const freezes = action.startsWith('freeze');
      const freeze = freezes
        ? (await request(b.server).get('/api/catalyst/environments/acme-dev/freeze').set(as('root'))).body
        : undefined;
      // lifted again, so the next cell starts from an unfrozen Environment
      if (freeze?.frozen) await request(b.server).delete('/api/catalyst/environments/acme-dev/freeze').set(as('root'));
      let expectedFreeze;
      if (freezes) {
        expectedFreeze =
          cell.status === 200
            ? { frozen: true, by: users[who].ref, reason: `matrix ${who}` }
            : { frozen: false, by: undefined, reason: undefined };
      }
      const message: string | undefined = res.body.error?.message;
      expect({
        status: res.status,
        code: res.body.error?.code,
        // the message, cut to the part the cell names when it says it
        message: cell.message && message?.includes(cell.message) ? cell.message : message,
        changeRequest: res.body.changeRequest?.state,
        moved: Object.keys(before).filter(
          env => before[env as keyof typeof before] !== after[env as keyof typeof after],
        ),
        freeze: freeze && { frozen: freeze.frozen, by: freeze.by, reason: freeze.reason },
      }).toEqual({
        status: cell.status,
        code: cell.code,
        message: cell.message,
        // a governed write or a security officer's policy proposal opens a request
        changeRequest: cell.status === 202 ? 'open' : undefined,
        // refused, or only proposed: no Environment's main moved
        moved: cell.moves ?? [],
        freeze: expectedFreeze,
      });
    });
  });

  describe('REST snapshots of the read model', () => {
    const snapshot: Array<[Who, string, Cell]> = [
      ['root', 'acme-dev', ok(200)],
      ['admin', 'acme-dev', ok(200)],
      ['dev', 'acme-dev', ok(200)],
      ['viewer', 'acme-dev', ok(200)],
      ['security', 'acme-dev', ok(200)],
      ['narrowed', 'acme-dev', ok(200)],
      [
        'outsider',
        'acme-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment acme-dev not found' },
      ],
      [
        'narrowed',
        'acme-stg',
        { status: 404, code: 'environment-not-found', message: 'Environment acme-stg not found' },
      ],
      ['root', 'globex-dev', ok(200)],
      ['outsider', 'globex-dev', ok(200)],
      [
        'viewer',
        'globex-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment globex-dev not found' },
      ],
      [
        'admin',
        'globex-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment globex-dev not found' },
      ],
    ];
    it.each(snapshot)('GET /environments/:environment/status as %s of %s → %j', async (who, env, cell) => {
      const res = await request(b.server).get(`/api/catalyst/environments/${env}/status`).set(as(who));
      expect({
        status: res.status,
        environment: res.body.environment ?? res.body.error?.environment,
        code: res.body.error?.code,
        message: res.body.error?.message,
      }).toEqual({ status: cell.status, environment: env, code: cell.code, message: cell.message });
    });
  });

  describe('SSE', () => {
    const streams: Array<[Who, string, Cell]> = [
      ['root', 'acme-dev', ok(200)],
      ['admin', 'acme-dev', ok(200)],
      ['dev', 'acme-dev', ok(200)],
      ['viewer', 'acme-dev', ok(200)],
      ['security', 'acme-dev', ok(200)],
      ['narrowed', 'acme-dev', ok(200)],
      [
        'outsider',
        'acme-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment acme-dev not found' },
      ],
      [
        'narrowed',
        'acme-stg',
        { status: 404, code: 'environment-not-found', message: 'Environment acme-stg not found' },
      ],
      ['root', 'globex-dev', ok(200)],
      ['outsider', 'globex-dev', ok(200)],
      [
        'viewer',
        'globex-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment globex-dev not found' },
      ],
      [
        'admin',
        'globex-dev',
        { status: 404, code: 'environment-not-found', message: 'Environment globex-dev not found' },
      ],
    ];
    it.each(streams.filter(([, , cell]) => cell.status === 200))(
      'GET /events as %s of %s → %j: a stream of that Environment',
      async (who, env) => {
        const base = `http://127.0.0.1:${b.server.port()}/api/catalyst`;
        const client = await TestSseClient.connect(`${base}/events?environment=${env}`, as(who));
        try {
          await client.until('ready', () => client.named('ready').length === 1);
          expect({
            status: client.status,
            ready: JSON.parse(client.named('ready')[0].data).environments,
            // frames of no other Environment
            others: [...client.state.keys()].filter(e => e !== env),
          }).toEqual({ status: 200, ready: [env], others: [] });
        } finally {
          client.close();
        }
      },
    );
    it.each(streams.filter(([, , cell]) => cell.status !== 200))(
      'GET /events as %s of %s → %j: refused before any frame',
      async (who, env, cell) => {
        const res = await request(b.server)
          .get(`/api/catalyst/events?environment=${env}`)
          .set({ ...as(who), Accept: 'text/event-stream' });
        expect({ status: res.status, error: res.body.error }).toMatchObject({
          status: cell.status,
          error: { code: cell.code, environment: env, message: cell.message },
        });
      },
    );
  });

  /**
   * The permission framework's answers for the other surfaces, asked of the real permission backend
   * as the plugin concerned would ask for a user: the scaffolder (whose Catalyst actions then call
   * the REST API above with the user's own token), the catalog, the Kubernetes plugin.
   */
  describe('permission framework: scaffolder, catalog, Kubernetes proxy', () => {
    const authorize = async (who: Who, plugin: string, permission: object) => {
      const token = mockCredentials.user.token(users[who].ref, { actor: { subject: `plugin:${plugin}` } });
      const res = await request(b.server)
        .post('/api/permission/authorize')
        .set({ Authorization: `Bearer ${token}` })
        .send({ items: [{ id: '1', permission }] });
      return { status: res.status, ...res.body.items[0] };
    };
    const kubernetesProxy = { type: 'basic', name: 'kubernetes.proxy', attributes: {} };
    const kubernetesResources = { type: 'basic', name: 'kubernetes.resources.read', attributes: { action: 'read' } };
    const scaffolderAction = {
      type: 'resource',
      name: 'scaffolder.action.execute',
      attributes: {},
      resourceType: 'scaffolder-action',
    };
    const catalogRead = {
      type: 'resource',
      name: 'catalog.entity.read',
      attributes: { action: 'read' },
      resourceType: 'catalog-entity',
    };
    /** Entities Catalyst marks with an Organization are readable in that Organization only. */
    const onlyOrganizations = (...orgs: string[]) => ({
      result: 'CONDITIONAL',
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        anyOf: [
          {
            not: {
              rule: 'HAS_ANNOTATION',
              resourceType: 'catalog-entity',
              params: { annotation: 'catalyst.openova.io/organization' },
            },
          },
          ...orgs.map(value => ({
            rule: 'HAS_ANNOTATION',
            resourceType: 'catalog-entity',
            params: { annotation: 'catalyst.openova.io/organization', value },
          })),
        ],
      },
    });
    const ALLOW = { result: 'ALLOW' };
    const DENY = { result: 'DENY' };

    const cells: Array<[string, string, object, Who, object]> = [
      ...(
        [
          ['root', ALLOW],
          ['admin', DENY],
          ['dev', DENY],
          ['viewer', DENY],
          ['security', DENY],
          ['outsider', DENY],
          ['narrowed', DENY],
        ] as const
      ).map(
        ([who, d]) =>
          ['kubernetes proxy', 'kubernetes', kubernetesProxy, who as Who, d] as [string, string, object, Who, object],
      ),
      ...(['root', 'admin', 'dev', 'viewer', 'security', 'outsider', 'narrowed'] as const).map(
        who =>
          ['kubernetes resources', 'kubernetes', kubernetesResources, who as Who, ALLOW] as [
            string,
            string,
            object,
            Who,
            object,
          ],
      ),
      ...(['root', 'admin', 'dev', 'viewer', 'security', 'outsider', 'narrowed'] as const).map(
        who =>
          ['scaffolder action', 'scaffolder', scaffolderAction, who as Who, ALLOW] as [
            string,
            string,
            object,
            Who,
            object,
          ],
      ),
      ['catalog read', 'catalog', catalogRead, 'root', ALLOW],
      ['catalog read', 'catalog', catalogRead, 'admin', onlyOrganizations('acme')],
      ['catalog read', 'catalog', catalogRead, 'dev', onlyOrganizations('acme')],
      ['catalog read', 'catalog', catalogRead, 'viewer', onlyOrganizations('acme')],
      ['catalog read', 'catalog', catalogRead, 'security', onlyOrganizations('acme')],
      ['catalog read', 'catalog', catalogRead, 'outsider', onlyOrganizations('globex')],
      ['catalog read', 'catalog', catalogRead, 'narrowed', onlyOrganizations('acme')],
    ];
    it.each(cells)('%s (%s) %j as %s → %j', async (_surface, plugin, permission, who, decision) => {
      expect(await authorize(who, plugin, permission)).toEqual({ status: 200, id: '1', ...decision });
    });

    it('refuses a user without any role everything but reading what no Organization owns', async () => {
      // olga's grants are all in globex; a stranger has none at all
      const strangerToken = mockCredentials.user.token('user:default/stranger', {
        actor: { subject: 'plugin:scaffolder' },
      });
      const res = await request(b.server)
        .post('/api/permission/authorize')
        .set({ Authorization: `Bearer ${strangerToken}` })
        .send({
          items: [
            { id: 's', permission: scaffolderAction },
            { id: 'k', permission: kubernetesResources },
            { id: 'c', permission: catalogRead },
          ],
        });
      expect(res.body.items).toEqual([
        { id: 's', ...DENY },
        { id: 'k', ...DENY },
        { id: 'c', ...onlyOrganizations() },
      ]);
    });
  });
});
