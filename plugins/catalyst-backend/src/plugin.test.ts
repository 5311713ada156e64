import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import fs from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startTestNatsServer, TestNatsServer } from '@internal/catalyst-test-utils';
import { catalystPlugin } from './plugin';

describe('catalystPlugin', () => {
  let nats: TestNatsServer;
  let dataDir: string;
  beforeAll(async () => {
    nats = await startTestNatsServer();
  });
  afterAll(async () => {
    await nats.dispose();
  });
  beforeEach(() => {
    dataDir = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-data-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const config = (servers: string[], seed = false) => [
    mockServices.rootConfig.factory({
      data: { catalyst: { dataDir, nats: { servers, connectTimeoutSeconds: 1 }, seed: { enabled: seed } } },
    }),
    catalogServiceMock.factory(),
  ];

  it('reports NATS, the Git data dir and the database healthy without authentication', async () => {
    const { server } = await startTestBackend({ features: [catalystPlugin, ...config([nats.url])] });
    const res = await request(server).get('/api/catalyst/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('healthy');
    expect(res.body.parts.nats).toMatchObject({ healthy: true });
    expect(res.body.parts.nats.detail).toContain('nats-server 2.');
    expect(res.body.parts.git.healthy).toBe(true);
    expect(res.body.parts.database.healthy).toBe(true);

    // The OpenAPI document is served too (its unauthenticated policy is checked in the running portal).
    const doc = await request(server).get('/api/catalyst/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body).toMatchObject({
      openapi: '3.1.0',
      info: { title: 'Catalyst', version: expect.stringMatching(/^\d+\.\d+\.\d+/) },
    });
    expect(Object.keys(doc.body.paths)).toContain('/environments/{environment}/applications');
  });

  it('reports NATS unhealthy (503) while the server is down, and healthy again after it returns', async () => {
    const { server } = await startTestBackend({ features: [catalystPlugin, ...config([nats.url])] });
    await nats.stop();
    try {
      const down = await request(server).get('/api/catalyst/health');
      expect(down.status).toBe(503);
      expect(down.body.parts.nats.healthy).toBe(false);
    } finally {
      await nats.restart();
    }
    const deadline = Date.now() + 10_000;
    let status = 0;
    while (Date.now() < deadline && status !== 200) {
      status = (await request(server).get('/api/catalyst/health')).status;
      if (status !== 200) await new Promise(r => setTimeout(r, 200));
    }
    expect(status).toBe(200);
  });

  it('refuses to start with one clear message naming the servers and the config key when NATS is unreachable', async () => {
    await expect(startTestBackend({ features: [catalystPlugin, ...config(['nats://127.0.0.1:1'])] })).rejects.toThrow(
      /Catalyst cannot reach NATS at nats:\/\/127\.0\.0\.1:1 \(catalyst\.nats\.servers\)/,
    );
  });

  it('seeds the Blueprint repos into the data dir only when seeding is enabled', async () => {
    const first = await startTestBackend({ features: [catalystPlugin, ...config([nats.url], true)] });
    expect(fs.existsSync(join(dataDir, 'git/catalog.git/HEAD'))).toBe(true);
    expect(fs.existsSync(join(dataDir, 'git/acme/shared-blueprints.git/HEAD'))).toBe(true);
    // the second seeded Organization, with its own Environment
    expect(fs.existsSync(join(dataDir, 'git/globex/globex-dev.git/HEAD'))).toBe(true);
    const health = await request(first.server).get('/api/catalyst/health');
    // catalog, acme's shared-blueprints and three Environments, globex's shared-blueprints and one
    expect(health.body.parts.git.detail).toMatch(/: 7 repositories$/);
    await first.stop();
    const unseeded = fs.mkdtempSync(join(os.tmpdir(), 'catalyst-data-'));
    try {
      const second = await startTestBackend({
        features: [
          catalystPlugin,
          catalogServiceMock.factory(),
          mockServices.rootConfig.factory({
            data: { catalyst: { dataDir: unseeded, nats: { servers: [nats.url] } } },
          }),
        ],
      });
      expect(fs.existsSync(join(unseeded, 'git/catalog.git'))).toBe(false);
      await second.stop();
    } finally {
      fs.rmSync(unseeded, { recursive: true, force: true });
    }
  });
});
