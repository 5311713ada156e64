import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotAllowedError, NotFoundError } from '@backstage/errors';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { catalystErrorDetails } from '@internal/plugin-catalyst-common';
import { createCatalystBackendClient } from './CatalystBackendClient';

interface Seen {
  method: string;
  url: string;
  authorization?: string;
  body?: unknown;
}

/**
 * A loopback server standing in for the catalyst backend's HTTP edge: it records each request and
 * answers with what the test queued, in Backstage's error JSON where the test asks for an error.
 */
describe('createCatalystBackendClient', () => {
  let server: Server;
  let base: string;
  let seen: Seen[];
  let answer: (req: Seen) => { status: number; body: unknown };
  /** While set, requests get no answer (a hung backend). */
  let hold = false;

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', c => (raw += c));
      req.on('end', () => {
        const s: Seen = {
          method: req.method!,
          url: req.url!,
          authorization: req.headers.authorization,
          ...(raw ? { body: JSON.parse(raw) } : {}),
        };
        seen.push(s);
        if (hold) return;
        const { status, body } = answer(s);
        res.writeHead(status, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(body));
      });
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/catalyst`;
  });
  afterAll(
    () =>
      new Promise<void>(r => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  );
  beforeEach(() => {
    seen = [];
  });

  const client = () =>
    createCatalystBackendClient({
      discovery: { getBaseUrl: async id => `${base.replace(/catalyst$/, id)}` },
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
    });
  const user = mockCredentials.user('user:default/layla');
  const asUser = () => client().as(user);
  const errorBody = (name: string, message: string, status: number, extra: Record<string, unknown> = {}) => ({
    error: { name, message, ...extra },
    request: { method: 'POST', url: '/api/catalyst/x' },
    response: { statusCode: status },
  });

  const change = {
    action: 'install',
    environment: 'acme-dev',
    commit: {
      sha: 'a'.repeat(40),
      subject: 'Install blog',
      message: 'Install blog',
      author: { name: 'Layla', email: 'l@a', time: 't' },
      committer: { name: 'Catalyst', email: 'c@a', time: 't' },
    },
    applications: ['blog'],
    replayed: false,
    changed: true,
  };

  const install = async () =>
    client().api.install('acme-dev', { application: 'blog', blueprint: 'bp-wordpress' }, await asUser());

  it('calls on behalf of the user with a token for the catalyst plugin, and returns the typed body', async () => {
    answer = () => ({ status: 201, body: change });
    const res = await install();
    expect(res.commit.sha).toBe('a'.repeat(40));
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/api/catalyst/environments/acme-dev/applications' });
    expect(seen[0].body).toEqual({ application: 'blog', blueprint: 'bp-wordpress' });
    // the mock auth service encodes the on-behalf-of user and the target plugin into the token
    const token = JSON.parse(seen[0].authorization!.replace(/^Bearer mock-service-token:/, ''));
    expect(token).toMatchObject({ obo: 'user:default/layla', target: 'catalyst' });
  });

  it('encodes path segments and query parameters', async () => {
    answer = () => ({ status: 404, body: errorBody('NotFoundError', 'no', 404) });
    await client()
      .api.listBlueprints({ q: 'a b', organization: 'acme' }, await asUser())
      .catch(() => undefined);
    await client()
      .api.getBlueprint('bp-x/../y', { organization: 'acme' }, await asUser())
      .catch(() => undefined);
    expect(seen.map(s => s.url)).toEqual([
      '/api/catalyst/blueprints?q=a+b&organization=acme',
      '/api/catalyst/blueprints/bp-x%2F..%2Fy?organization=acme',
    ]);
  });

  it.each([
    [400, 'InputError', InputError],
    [403, 'NotAllowedError', NotAllowedError],
    [404, 'NotFoundError', NotFoundError],
    [409, 'ConflictError', ConflictError],
  ])('maps %s to %s with the server message', async (status, name, type) => {
    answer = () => ({ status, body: errorBody(name, `the server says ${status}`, status) });
    await expect(install()).rejects.toBeInstanceOf(type);
    const error = await client()
      .api.getEnvironment('acme-dev', await asUser())
      .catch(e => e);
    // the server's message as it is (no "caused by"), the response kept as the cause
    expect(error.message).toBe(`the server says ${status}`);
    expect(error.cause).toMatchObject({ name: 'ResponseError', statusCode: status });
  });

  it("keeps Catalyst's details: the code, the Environment and the domain issues", async () => {
    const issues = [{ code: 'invalid-values', path: 'values.domain', message: 'domain is required' }];
    answer = () => ({
      status: 400,
      body: errorBody('InputError', 'values.domain: domain is required', 400, {
        code: 'invalid-change',
        environment: 'acme-dev',
        issues,
      }),
    });
    const error = await client()
      .api.planInstall('acme-dev', { application: 'blog', blueprint: 'bp-wordpress' }, await asUser())
      .catch(e => e);
    expect(error).toBeInstanceOf(InputError);
    expect(catalystErrorDetails(error)).toEqual({ code: 'invalid-change', environment: 'acme-dev', issues });
  });

  it('refuses a body without the fields callers act on, naming the field', async () => {
    answer = () => ({ status: 201, body: { ...change, commit: { ...change.commit, sha: 'HEAD' } } });
    await expect(install()).rejects.toThrow(
      /POST \/api\/catalyst\/environments\/acme-dev\/applications answered with an unexpected body: commit\.sha/,
    );
  });

  it('keeps a non-JSON failure as a ResponseError with the status', async () => {
    answer = () => ({ status: 502, body: 'bad gateway' });
    await expect(client().api.listOrganizations(await asUser())).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 502,
    });
  });

  it('ends a call that outlives its timeout', async () => {
    answer = () => ({ status: 200, body: { items: [] } });
    hold = true;
    const quick = createCatalystBackendClient({
      discovery: { getBaseUrl: async id => `${base.replace(/catalyst$/, id)}` },
      auth: mockServices.auth({ pluginId: 'scaffolder' }),
      timeoutMs: 200,
    });
    await expect(quick.api.listOrganizations(await quick.as(user))).rejects.toMatchObject({ name: 'TimeoutError' });
    hold = false;
  });
});
