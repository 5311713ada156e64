import type { CatalystTestBackend } from '@internal/catalyst-test-utils';
import {
  CATALYST_OPERATIONS,
  CatalystClient,
  CatalystOperation,
  CatalystOperationId,
  createEnvironmentBodySchema,
  installBodySchema,
  updateBodySchema,
} from '@internal/plugin-catalyst-common';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import request from 'supertest';
import { startBackendUnderTest } from '../__testUtils__/testBackend';
import { catalystOpenApiDocument, openApiPath } from './openapi';

/**
 * The operation table in catalyst-common is the API's one definition: the routers mount by it, the
 * client calls through it, the OpenAPI document is generated from it. These tests hold the three to
 * it — in the source (nothing routes around the table), against the running backend (every entry is
 * served, and real answers pass the schemas the client validates with) and in the document.
 */

// eslint-disable-next-line no-restricted-syntax -- the test reads the plugin's own sources
const SRC = resolve(__dirname, '..');
const OPERATIONS = Object.entries(CATALYST_OPERATIONS) as Array<[CatalystOperationId, CatalystOperation]>;

/** `/environments/:env/status` and `/environments/:environment/status` are the same route. */
const normalize = (method: string, path: string) => `${method.toUpperCase()} ${path.replace(/:[A-Za-z]+/g, ':p')}`;

/** What the plugin's shipped sources route: table entries mounted by id, and literal routes. */
function routedInSources(): { mounted: string[]; literal: string[] } {
  const mounted: string[] = [];
  const literal: string[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!entry.name.startsWith('__')) walk(path);
      } else if (/\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name)) {
        const text = fs.readFileSync(path, 'utf8');
        for (const m of text.matchAll(/mount\(\s*router,\s*OPS\.([A-Za-z]+)/g)) mounted.push(m[1]);
        for (const m of text.matchAll(/router\.(get|post|patch|put|delete)\(\s*OPS\.([A-Za-z]+)\.path/g)) {
          mounted.push(m[2]);
        }
        for (const m of text.matchAll(/router\.(get|post|patch|put|delete)\(\s*'([^']+)'/g)) {
          literal.push(normalize(m[1], m[2]));
        }
      }
    }
  };
  walk(SRC);
  return { mounted: mounted.sort(), literal: literal.sort() };
}

describe('the operation table, the routers, the client and the OpenAPI document', () => {
  it('routes every operation of the table exactly once, and nothing outside it', () => {
    const { mounted, literal } = routedInSources();
    const byPath = new Map(OPERATIONS.map(([id, op]) => [normalize(op.method, op.path), id]));
    // literal routes (the read side's) must be table entries too
    const literalIds = literal.map(route => byPath.get(route) ?? `unknown route ${route}`);
    const all = [...mounted, ...literalIds].sort();
    expect(all).toEqual(OPERATIONS.map(([id]) => id).sort());
  });

  it('documents every operation at its path, with the schemas of its query, body and answer', () => {
    const doc = catalystOpenApiDocument('1.2.3') as {
      paths: Record<string, Record<string, Record<string, any>>>;
    };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, methods]) => Object.keys(methods).map(m => `${m.toUpperCase()} ${path}`))
      .sort();
    expect(documented).toEqual(OPERATIONS.map(([, op]) => `${op.method} ${openApiPath(op.path)}`).sort());
    for (const [id, op] of OPERATIONS) {
      const entry = doc.paths[openApiPath(op.path)][op.method.toLowerCase()];
      expect([id, entry['x-catalyst-client-method']]).toEqual([id, id]);
      // path parameters declared, credentials on all but the public routes
      const inPath = [...op.path.matchAll(/:([A-Za-z]+)/g)].map(m => m[1]).sort();
      const declared = entry.parameters.filter((p: { in: string }) => p.in === 'path');
      expect([id, declared.map((p: { name: string }) => p.name).sort()]).toEqual([id, inPath]);
      expect([id, '401' in entry.responses]).toEqual([id, !op.public]);
      // answers described by schemas, not words
      for (const status of op.success) {
        const content = entry.responses[String(status)].content;
        const described = op.stream
          ? content['text/event-stream'] !== undefined
          : Object.keys(content['application/json'].schema).length > 0;
        expect([id, described]).toEqual([id, true]);
      }
      for (const status of Object.keys(op.errors)) {
        expect(entry.responses[status].content['application/json'].schema).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
    }
    const body = (path: string, method: string) =>
      doc.paths[path][method].requestBody.content['application/json'].schema;
    const install = body('/environments/{environment}/applications', 'post');
    expect(install).toMatchObject({ type: 'object', additionalProperties: false });
    expect(Object.keys(install.properties).sort()).toEqual(Object.keys(installBodySchema.shape).sort());
    expect(Object.keys(body('/environments', 'post').properties).sort()).toEqual(
      Object.keys(createEnvironmentBodySchema.shape).sort(),
    );
    // defaults are optional for a client (io: input): only what has no default is required
    expect(body('/environments', 'post').required).toEqual(['organization', 'envType']);
    expect(Object.keys(body('/environments/{environment}/applications/{application}', 'patch').properties)).toEqual(
      expect.arrayContaining(Object.keys(updateBodySchema.shape)),
    );
    const answer =
      doc.paths['/environments/{environment}/applications'].post.responses['201'].content['application/json'].schema;
    expect(answer.required).toEqual(expect.arrayContaining(['commit', 'applications', 'replayed']));
    // the name patterns are catalyst-common's: a valid name matches, a malformed one does not
    const params = doc.paths['/environments/{environment}/applications/{application}'].get.parameters;
    const pattern = (name: string) => new RegExp(params.find((p: { name: string }) => p.name === name).schema.pattern);
    expect(['acme-dev', 'Acme-dev', 'acme-staging'].map(n => pattern('environment').test(n))).toEqual([
      true,
      false,
      false,
    ]);
  });

  describe('against the running backend', () => {
    let b: CatalystTestBackend;
    const admin = 'user:default/dana';
    beforeAll(async () => {
      b = await startBackendUnderTest({
        users: [{ ref: admin, displayName: 'Dana Admin', email: 'dana@acme.example' }],
        bindings: [{ subject: admin, role: 'org-admin', organization: 'acme' }],
      });
    }, 60_000);
    afterAll(() => b?.stop());

    /** The client as the browser holds it, recording what it sends. */
    function recordingClient() {
      const sent: string[] = [];
      const client = new CatalystClient({
        discoveryApi: { getBaseUrl: async id => `http://127.0.0.1:${b.server.port()}/api/${id}` },
        fetchApi: {
          fetch: async (input, init) => {
            const url = new URL(String(input));
            sent.push(`${init?.method ?? 'GET'} ${url.pathname.replace(/^\/api\/catalyst/, '')}`);
            return fetch(input, {
              ...init,
              headers: { ...(init?.headers as Record<string, string>), Authorization: b.header(admin) },
            });
          },
        },
      });
      return { client, sent };
    }

    it('serves every operation of the table (each answers from its own handler, not a missing route)', async () => {
      const concrete = (path: string) =>
        path
          .replace(':environment', 'acme-dev')
          .replace(':application', 'nothing-here')
          .replace(':name', 'bp-redis')
          .replace(':version', '2.0.0')
          .replace(':sha', 'f'.repeat(40));
      for (const [id, op] of OPERATIONS) {
        const call = request(b.server)[op.method.toLowerCase() as 'get'](`/api/catalyst${concrete(op.path)}`);
        const res = await (op.public
          ? call
          : call.set('Authorization', id === 'getCatalogEntities' ? b.serviceHeader() : b.header(admin))
        )
          .set('Accept', op.stream ? 'text/event-stream' : 'application/json')
          // a stream is probed with a query it must refuse, so the test does not wait on it
          .query(op.stream ? { environment: 'Not An Environment' } : {})
          .send(op.body ? {} : undefined);
        // A missing route answers Backstage's bare 404; every Catalyst answer is a success or
        // carries an error code.
        const matched = op.success.includes(res.status) || typeof res.body?.error?.code === 'string';
        expect([id, res.status, matched]).toEqual([id, res.status, true]);
      }
    });

    it('refuses every non-public operation without credentials and with a forged token, itself', async () => {
      // The plugin lets every request past Backstage's barrier so that refusals are its own and
      // audited (plugin.ts); so each route must authenticate. A route that forgets answers
      // something other than 401 here.
      const concrete = (path: string) => path.replace(/:([a-z]+)/g, (_, p) => (p === 'sha' ? 'f'.repeat(40) : 'x-1'));
      for (const [id, op] of OPERATIONS.filter(([, o]) => !o.public)) {
        for (const authorization of [undefined, 'Bearer forged.token.here']) {
          const before = b.auditEvents.length;
          const call = request(b.server)[op.method.toLowerCase() as 'get'](`/api/catalyst${concrete(op.path)}`);
          const res = await (authorization ? call.set('Authorization', authorization) : call)
            .set('Accept', op.stream ? 'text/event-stream' : 'application/json')
            .send(op.body ? {} : undefined);
          expect([id, authorization, res.status, res.body?.error?.code]).toEqual([
            id,
            authorization,
            401,
            'unauthenticated',
          ]);
          // and the refusal is on the record
          const refusals = b.auditEvents.slice(before).filter(e => e.status === 'failed');
          expect([id, refusals.map(e => (e.meta as { verdict?: string })?.verdict)]).toEqual([id, ['refused']]);
        }
      }
    });

    it('the client calls each operation by its method and path, and every real answer passes its schema', async () => {
      const { client, sent } = recordingClient();
      const install = await client.install('acme-dev', {
        application: 'cache',
        blueprint: 'bp-redis',
        idempotencyKey: 'agreement-install-1',
      });
      const sha = install.commit.sha;
      const eventually = async <T>(call: () => Promise<T>): Promise<T> => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await call();
          } catch (error) {
            if (attempt >= 100) throw error;
            await new Promise(r => setTimeout(r, 200));
          }
        }
      };
      /** A call the server must refuse with this status (the client's error carries it). */
      const refused = (call: Promise<unknown>, status: number) =>
        expect(call).rejects.toMatchObject({ statusCode: status });
      let gitToken = '';
      const calls: Record<string, () => Promise<unknown>> = {
        listBlueprints: () => client.listBlueprints({ q: 'redis' }),
        getBlueprint: () => client.getBlueprint('bp-redis'),
        getBlueprintFiles: () => client.getBlueprintFiles('bp-redis', '2.0.0'),
        getBlueprintUsage: () => client.getBlueprintUsage('bp-redis'),
        listInvalidReleases: () => client.listInvalidReleases(),
        listOrganizations: () => client.listOrganizations(),
        createOrganization: () => refused(client.createOrganization({ name: 'agreement', displayName: 'A' }), 403),
        listEnvironments: () => client.listEnvironments(),
        createEnvironment: () =>
          client.createEnvironment({ organization: 'acme', envType: 'poc', idempotencyKey: 'agreement-env-1' }),
        getEnvironment: () => client.getEnvironment('acme-dev'),
        listApplications: () => client.listApplications('acme-dev'),
        planInstall: () => client.planInstall('acme-dev', { application: 'cache2', blueprint: 'bp-redis' }),
        install: () =>
          client.install('acme-dev', {
            application: 'cache',
            blueprint: 'bp-redis',
            idempotencyKey: 'agreement-install-1',
          }),
        getApplication: () => client.getApplication('acme-dev', 'cache'),
        planUpdate: () => client.planUpdate('acme-dev', 'cache', { values: { maxMemory: '200mb' } }),
        updateApplication: () => client.updateApplication('acme-dev', 'cache', { values: { maxMemory: '200mb' } }),
        history: () => client.history('acme-dev', 'cache', { limit: 5 }),
        getCommit: () => client.getCommit('acme-dev', sha, { application: 'cache' }),
        rollback: () => refused(client.rollback('acme-dev', { commit: sha }), 409),
        // the governed path: a copy to acme-prod opens cr-1, which the author may read, rebase and
        // withdraw but neither approve nor merge while its rules fail
        promote: () =>
          client.promote({ sourceEnvironment: 'acme-dev', application: 'cache', targetEnvironment: 'acme-prod' }),
        listChangeRequests: () => client.listChangeRequests({ environment: 'acme-prod', state: 'open' }),
        getChangeRequest: () => client.getChangeRequest('cr-1'),
        rebaseChangeRequest: () => client.rebaseChangeRequest('cr-1'),
        approveChangeRequest: () => refused(client.approveChangeRequest('cr-1', {}), 403),
        mergeChangeRequest: () => refused(client.mergeChangeRequest('cr-1', {}), 409),
        getFreeze: () => client.getFreeze('acme-prod'),
        freezeEnvironment: () => client.freezeEnvironment('acme-prod', { reason: 'agreement' }),
        liftFreeze: () => client.liftFreeze('acme-prod'),
        rejectChangeRequest: () => client.rejectChangeRequest('cr-1', { reason: 'withdrawn' }),
        updatePolicy: () => client.updatePolicy('acme-dev', { rules: [] }),
        // the read model learns of the install within moments: ask until it has
        getApplicationStatus: () => eventually(() => client.getApplicationStatus('acme-dev', 'cache')),
        uninstall: () => client.uninstall('acme-dev', 'cache'),
        getEnvironmentStatus: () => client.getEnvironmentStatus('acme-dev'),
        getCatalogEntities: () => refused(client.getCatalogEntities(), 403),
        // the token made here is revoked by the next call (calls run in this order)
        createGitToken: async () => {
          gitToken = (await client.createGitToken({ name: 'agreement', organization: 'acme' })).token.id;
        },
        listGitTokens: () => client.listGitTokens(),
        revokeGitToken: () => client.revokeGitToken(gitToken),
        recordIdentity: () =>
          refused(client.recordIdentity({ userRef: 'user:acme/dana', ownershipRefs: ['user:acme/dana'] }), 403),
      };
      // Public and streaming operations have no client method (the live stream has its own client
      // in the frontend; GraphQL is for GraphQL clients, tested in graphql.test.ts).
      const withoutClientMethod = ['health', 'openApi', 'liveEvents', 'graphql', 'graphqlSchema'];
      expect(Object.keys(calls).sort()).toEqual(
        OPERATIONS.map(([id]) => id)
          .filter(id => !withoutClientMethod.includes(id))
          .sort(),
      );
      for (const [id, call] of Object.entries(calls)) {
        sent.length = 0;
        await call();
        const op = CATALYST_OPERATIONS[id as CatalystOperationId];
        const route = new RegExp(`^${op.method} ${op.path.replace(/:[A-Za-z]+/g, '[^/]+')}$`);
        // one request (several when a call is retried until the read model has caught up), all to its route
        expect([id, sent.length > 0 && sent.every(sentRequest => route.test(sentRequest))]).toEqual([id, true]);
      }
    }, 60_000);
  });
});
