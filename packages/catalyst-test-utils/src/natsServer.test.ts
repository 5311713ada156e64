import fs from 'node:fs';
import { connect } from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { startTestNatsServer } from './natsServer';

jest.setTimeout(30_000);

/** The server's INFO greeting, which says whether it wants credentials. */
function info(port: number): Promise<{ auth_required?: boolean; port: number }> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('data', d => {
      s.destroy();
      resolve(JSON.parse(d.toString().replace(/^INFO /, '')));
    });
    s.once('error', reject);
  });
}

describe('startTestNatsServer with a config file', () => {
  let dir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(join(os.tmpdir(), 'nats-config-test-'));
  });

  afterEach(() => {
    jest.restoreAllMocks();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('uses the file with the environment it is given, on the test port', async () => {
    const file = join(dir, 'users.conf');
    fs.writeFileSync(file, 'port: 1\nauthorization: { users: [{ user: app, password: $APP_PASSWORD }] }\n');
    const server = await startTestNatsServer({ configFile: file, env: { APP_PASSWORD: 'secret' } });
    try {
      expect(await info(server.port)).toMatchObject({ auth_required: true, port: server.port });
    } finally {
      await server.dispose();
    }
  });

  it('says why a config was refused, and leaves no store behind', async () => {
    const file = join(dir, 'broken.conf');
    fs.writeFileSync(file, 'authorization: { users: [{ user: app, password: $NOT_SET_ANYWHERE }] }\n');
    // Watches (does not replace) the temp dir creation, to learn the store's path.
    const mkdtemp = jest.spyOn(fs, 'mkdtempSync');
    await expect(startTestNatsServer({ configFile: file })).rejects.toThrow(/NOT_SET_ANYWHERE/);
    const stores = mkdtemp.mock.results.map(r => r.value as string).filter(p => p.includes('catalyst-nats-'));
    expect(stores).toHaveLength(1);
    expect(fs.existsSync(stores[0])).toBe(false);
  });
});
