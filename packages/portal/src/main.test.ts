import fs from 'node:fs';
import { createServer, Server } from 'node:net';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { runPortal } from './main';
import { backendEnv, backendPart, embeddedParts } from './parts';
import { readSettings } from './settings';
import { DEFAULT_RESTART_POLICY } from './Supervisor';

const rootDir = resolve(__dirname, '../../..');

describe('runPortal start-up errors', () => {
  let dataDir: string;
  let stderr: string[];
  let spy: jest.SpyInstance;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-portal-'));
    stderr = [];
    spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      stderr.push(String(chunk));
      return true;
    });
    jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function listen(): Promise<{ server: Server; port: number }> {
    const server = createServer();
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    return { server, port: (server.address() as { port: number }).port };
  }

  it('prints one line naming the busy port and its variable, starts nothing, and exits 1', async () => {
    const { server, port } = await listen();
    try {
      const code = await runPortal(rootDir, { CATALYST_DATA_DIR: dataDir, CATALYST_PORT: String(port) });
      expect(code).toBe(1);
      expect(stderr).toEqual([
        `catalyst: port ${port} on 127.0.0.1 (backend) is already in use; stop the process using it or set CATALYST_PORT to another port\n`,
      ]);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      server.close();
    }
    expect(spy).toHaveBeenCalledTimes(1);
  });

  it('prints one line for a corrupt data dir and leaves it as it was', async () => {
    fs.writeFileSync(join(dataDir, 'catalyst.json'), 'not json');
    const ports: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { server, port } = await listen();
      ports.push(port);
      server.close();
    }
    const code = await runPortal(rootDir, {
      CATALYST_DATA_DIR: dataDir,
      CATALYST_PORT: String(ports[0]),
      CATALYST_NATS_PORT: String(ports[1]),
      CATALYST_DEVCLUSTER_PORT: String(ports[2]),
      CATALYST_IDP_PORT: String(ports[3]),
    });
    expect(code).toBe(1);
    expect(stderr).toEqual([
      `catalyst: data dir ${dataDir} is corrupt: catalyst.json is unreadable (Unexpected token 'o', "not json" is not valid JSON); restore it from a backup or delete ${dataDir} to start fresh\n`,
    ]);
    expect(fs.readdirSync(dataDir)).toEqual(['catalyst.json']);
  });

  it('prints one line for an invalid port setting', async () => {
    const code = await runPortal(rootDir, { CATALYST_DATA_DIR: dataDir, CATALYST_PORT: '0' });
    expect(code).toBe(1);
    expect(stderr).toEqual(['catalyst: CATALYST_PORT="0" is not a TCP port (1-65535)\n']);
  });

  it('rejects ports that collide with each other', () => {
    expect(() => readSettings(rootDir, { CATALYST_PORT: '5000', CATALYST_NATS_PORT: '5000' })).toThrow(
      /must differ \(got 5000, 5000, 7008, 7009\)/,
    );
    expect(() => readSettings(rootDir, { CATALYST_IDP_PORT: '7008' })).toThrow(
      'CATALYST_PORT, CATALYST_NATS_PORT, CATALYST_DEVCLUSTER_PORT and CATALYST_IDP_PORT must differ (got 7007, 4222, 7008, 7008)',
    );
  });

  it('points the backend at the data dir, NATS and the devcluster through config overrides', () => {
    const s = readSettings(rootDir, {
      CATALYST_DATA_DIR: '/srv/catalyst',
      CATALYST_PORT: '7100',
      CATALYST_NATS_PORT: '4300',
      CATALYST_DEVCLUSTER_PORT: '7101',
    });
    const env = backendEnv(s, { PATH: '/bin' });
    expect(env).toMatchObject({
      PATH: '/bin',
      NODE_ENV: 'development',
      CATALYST_DATA_DIR: '/srv/catalyst',
      APP_CONFIG_backend_listen_port: '7100',
      APP_CONFIG_app_baseUrl: '"http://localhost:7100"',
      APP_CONFIG_catalyst_nats_servers: '["nats://127.0.0.1:4300"]',
      APP_CONFIG_catalyst_clusters:
        '[{"name":"devcluster","type":"devcluster","url":"http://127.0.0.1:7101","environments":["*"]}]',
      CATALYST_IDP_URL: 'http://localhost:7009',
    });
    const moved = backendEnv(readSettings(rootDir, { CATALYST_IDP_PORT: '7200' }), {});
    expect(moved.CATALYST_IDP_URL).toBe('http://localhost:7200');
    // the backend signs in through the local identity provider's shared realm, on its port
    expect(JSON.parse(moved.APP_CONFIG_auth_providers_oidc!)).toEqual({
      development: {
        metadataUrl: 'http://localhost:7200/realms/catalyst/.well-known/openid-configuration',
        clientId: 'catalyst-portal',
        clientSecret: 'catalyst-dev-secret',
        prompt: 'auto',
        additionalScopes: ['groups', 'offline_access'],
      },
    });
  });

  it('prints one line naming a busy identity provider port and CATALYST_IDP_PORT', async () => {
    const { server, port } = await listen();
    try {
      const free: number[] = [];
      for (let i = 0; i < 3; i++) {
        const spare = await listen();
        free.push(spare.port);
        spare.server.close();
      }
      const code = await runPortal(rootDir, {
        CATALYST_DATA_DIR: dataDir,
        CATALYST_PORT: String(free[0]),
        CATALYST_NATS_PORT: String(free[1]),
        CATALYST_DEVCLUSTER_PORT: String(free[2]),
        CATALYST_IDP_PORT: String(port),
      });
      expect(code).toBe(1);
      expect(stderr).toEqual([
        `catalyst: port ${port} on 127.0.0.1 (identity provider) is already in use; stop the process using it or set CATALYST_IDP_PORT to another port\n`,
      ]);
      expect(fs.readdirSync(dataDir)).toEqual([]);
    } finally {
      server.close();
    }
  });
});

describe('embeddedParts', () => {
  const s = readSettings(rootDir, {
    CATALYST_DATA_DIR: '/srv/catalyst',
    CATALYST_PORT: '7100',
    CATALYST_IDP_PORT: '7102',
  });
  const parts = embeddedParts(s, { PATH: '/bin' }, '/usr/sbin/nats-server');

  it('starts nats-server, the devcluster and the identity provider in that order, each restarted when it crashes', () => {
    expect(parts.map(p => [p.spec.name, p.spec.restart])).toEqual([
      ['nats-server', DEFAULT_RESTART_POLICY],
      ['devcluster', DEFAULT_RESTART_POLICY],
      ['idp', DEFAULT_RESTART_POLICY],
    ]);
    expect(parts.map(p => p.spec.logFile)).toEqual(
      ['nats-server', 'devcluster', 'idp'].map(name => `/srv/catalyst/logs/${name}.log`),
    );
  });

  it('runs the backend from source with the launcher environment, not restarted when it dies', () => {
    const backend = backendPart(s, { PATH: '/bin' });
    expect(backend.spec).toMatchObject({
      name: 'backend',
      command: process.execPath,
      cwd: join(rootDir, 'packages/backend'),
      env: backendEnv(s, { PATH: '/bin' }),
      logFile: '/srv/catalyst/logs/backend.log',
      echo: false,
    });
    expect(backend.spec.restart).toBeUndefined();
    expect(backend.spec.args.slice(3)).toEqual([
      join(rootDir, 'packages/backend/src/index.ts'),
      '--config',
      join(rootDir, 'app-config.yaml'),
    ]);
    expect(backend.readyLine).toMatch(/^portal ready: open http:\/\/localhost:7100 /);
  });

  it('runs the identity provider on 127.0.0.1 and its port, with its data in the data dir and the portal as its client', () => {
    const idp = parts[2];
    expect(idp.spec.command).toBe(process.execPath);
    expect(idp.spec.args).toEqual([
      join(rootDir, 'packages/idp/bin/catalyst-idp.js'),
      '--data-dir',
      '/srv/catalyst',
      '--host',
      '127.0.0.1',
      '--port',
      '7102',
      '--portal-url',
      'http://localhost:7100',
    ]);
    expect(idp.readyLine).toBe(
      'identity provider ready: issuers http://localhost:7102/realms/<realm> (a development stand-in for Keycloak; demo users in packages/idp/README.md)',
    );
  });
});
