import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import request from 'supertest';
import {
  CatalystTestBackend,
  MATRIX_BINDINGS as bindings,
  MATRIX_ROWS as WHO,
  MATRIX_USERS as users,
  MatrixRow as Who,
} from '@internal/catalyst-test-utils';
import { startBackendUnderTest } from '../__testUtils__/testBackend';
import { TestSseClient } from '../readside/__testUtils__/sseClient';

jest.setTimeout(60_000);

/**
 * Issue 12's authorization matrix: every role (plus an outsider, whose only role is in the other
 * Organization, and a grant narrowed to one Environment) × every Catalyst action, on a real backend
 * with the real permission backend and Catalyst's policy: the REST API, its read-model snapshots and
 * the SSE stream here; the catalog and the Kubernetes plugin in `authorizationMatrix.surfaces.test.ts`;
 * the scaffolder's `catalyst:*` actions in catalyst-scaffolder's `authorizationMatrix.test.ts`. Each
 * expected cell is written out from the role table (catalyst-common `access/roles.ts`, reference
 * §7.3) and the grant's scope — never computed by the code under test. People and bindings:
 * `MATRIX_USERS` and `MATRIX_BINDINGS` of @internal/catalyst-test-utils, shared by all three files.
 */
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

describe('authorization matrix (REST, read-model snapshots, SSE)', () => {
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

  /** The read model's answers (not the REST write side's wording): 404 for hidden and missing alike. */
  const notFound = (env: string): Cell => ({
    status: 404,
    code: 'environment-not-found',
    message: `Environment ${env} not found`,
  });
  /** Every row × its own Organization's Environments and the other's, on the read model's surfaces. */
  const readModel: Record<string, Record<Who, Cell>> = {
    'acme-dev': {
      root: ok(200),
      admin: ok(200),
      dev: ok(200),
      viewer: ok(200),
      security: ok(200),
      outsider: notFound('acme-dev'),
      narrowed: ok(200),
    },
    'acme-stg': {
      root: ok(200),
      admin: ok(200),
      dev: ok(200),
      viewer: ok(200),
      security: ok(200),
      outsider: notFound('acme-stg'),
      narrowed: notFound('acme-stg'),
    },
    'globex-dev': {
      root: ok(200),
      admin: notFound('globex-dev'),
      dev: notFound('globex-dev'),
      viewer: notFound('globex-dev'),
      security: notFound('globex-dev'),
      outsider: ok(200),
      narrowed: notFound('globex-dev'),
    },
  };

  describe('REST snapshots of the read model', () => {
    it.each(Object.keys(readModel))('GET /environments/%s/status, as every caller', async env => {
      const answers: Record<string, object> = {};
      const expected: Record<string, object> = {};
      for (const who of WHO) {
        const res = await request(b.server).get(`/api/catalyst/environments/${env}/status`).set(as(who));
        answers[who] = {
          status: res.status,
          environment: res.body.environment ?? res.body.error?.environment,
          // a snapshot: the read model's revision and its Applications
          snapshot: res.status === 200 ? Array.isArray(res.body.applications) : undefined,
          code: res.body.error?.code,
          message: res.body.error?.message,
        };
        const cell = readModel[env][who];
        expected[who] = {
          status: cell.status,
          environment: env,
          snapshot: cell.status === 200 ? true : undefined,
          code: cell.code,
          message: cell.message,
        };
      }
      expect(answers).toEqual(expected);
    });
  });

  describe('SSE', () => {
    const streams: Record<string, Record<Who, Cell>> = {
      ...readModel,
      // one stream of both Organizations: all of it readable, or refused whole (naming what is not)
      'acme-dev&environment=globex-dev': {
        root: ok(200),
        admin: notFound('globex-dev'),
        dev: notFound('globex-dev'),
        viewer: notFound('globex-dev'),
        security: notFound('globex-dev'),
        outsider: notFound('acme-dev'),
        narrowed: notFound('globex-dev'),
      },
    };

    /**
     * What a client gets: for a stream, the Environments of its snapshot frames and of its `ready`
     * frame, and whether any frame spoke of another Environment; for a refusal, the answer before
     * any frame.
     */
    const connect = async (who: Who, query: string) => {
      const base = `http://127.0.0.1:${b.server.port()}/api/catalyst`;
      const client = await TestSseClient.connect(`${base}/events?environment=${query}`, as(who));
      try {
        if (client.status !== 200) {
          // a refusal is a whole JSON answer, no stream: the client saw its end and not one frame
          await client.until('end of the refusal', () => client.ended);
          const refusal = await request(b.server).get(`/api/catalyst/events?environment=${query}`).set(as(who));
          return {
            status: client.status,
            code: refusal.body.error?.code,
            environment: refusal.body.error?.environment,
            message: refusal.body.error?.message,
            frames: client.events.filter(e => ['snapshot', 'change', 'ready'].includes(e.event)).length,
          };
        }
        await client.until('ready', () => client.named('ready').length === 1);
        return {
          status: client.status,
          snapshots: client.named('snapshot').map(f => JSON.parse(f.data).environment as string),
          ready: JSON.parse(client.named('ready')[0].data).environments as string[],
        };
      } finally {
        client.close();
      }
    };

    it.each(Object.keys(streams))('GET /events?environment=%s, as every caller', async query => {
      const envs = query.split('&environment=');
      const answers: Record<string, object> = {};
      const expected: Record<string, object> = {};
      for (const who of WHO) {
        answers[who] = await connect(who, query);
        const cell = streams[query][who];
        expected[who] =
          cell.status === 200
            ? { status: 200, snapshots: envs, ready: envs }
            : {
                status: cell.status,
                code: cell.code,
                environment: cell.message?.split(' ')[1],
                message: cell.message,
                frames: 0,
              };
      }
      expect(answers).toEqual(expected);
    });
  });
});
