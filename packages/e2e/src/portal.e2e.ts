import fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { Browser } from 'playwright-core';
import { launchBrowser, signInAsGuest } from './browser';
import { startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';

/** Is anything still listening on 127.0.0.1:port? */
async function listening(port: number): Promise<boolean> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(1000) });
    return true;
  } catch (e) {
    return !/ECONNREFUSED/.test(String((e as { cause?: unknown }).cause ?? e));
  }
}

describe('the embedded portal', () => {
  let browser: Browser;
  const dataDir = tempDataDir();
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('starts from an empty data dir, is healthy, lets the guest sign in, and stops everything on Ctrl-C', async () => {
    const portal = await startPortal({ dataDir });
    let stopped = false;
    try {
      expect(portal.output()).toContain('(new: it will be seeded)');
      // Ready = the backend answers; its parts (NATS, Git, database) report healthy right after.
      const body = await waitUntil(
        'catalyst health',
        async () => {
          const health = await fetch(`${portal.baseUrl}/api/catalyst/health`);
          return health.status === 200 ? await health.json() : undefined;
        },
        30_000,
      );
      expect(body.status).toBe('healthy');
      expect(Object.values(body.parts as Record<string, unknown>).every(p => (p as { healthy: boolean }).healthy)).toBe(
        true,
      );
      // The OpenAPI document needs no credentials; the API it describes does.
      const openapi = await fetch(`${portal.baseUrl}/api/catalyst/openapi.json`);
      expect([openapi.status, (await openapi.json()).openapi]).toEqual([200, '3.1.0']);
      expect((await fetch(`${portal.baseUrl}/api/catalyst/environments`)).status).toBe(401);

      const page = await browser.newPage();
      await signInAsGuest(page, portal.baseUrl);
      // signed in: the app shell with the sidebar, as the seeded guest user
      await page.getByRole('link', { name: 'Settings' }).click();
      await page.getByText('user:default/guest').first().waitFor();
      await page.close();

      expect(await portal.stop()).toBe(0);
      stopped = true;
      expect(portal.output()).toContain('catalyst: stopped');
      for (const port of Object.values(portal.ports)) expect(await listening(port)).toBe(false);
    } finally {
      if (!stopped) await portal.stop();
    }
  });

  it('reuses the data dir on a second start without seeding again, and stops when the shell that started it dies', async () => {
    const catalog = join(dataDir, 'git/catalog.git');
    const head = execFileSync('git', ['--git-dir', catalog, 'rev-parse', 'main'], { encoding: 'utf8' });
    // Started the way `npm start` starts it: under a shell that passes no signal on.
    const portal = await startPortal({ dataDir, underShell: true });
    let orphaned = false;
    try {
      expect(portal.output()).not.toContain('(new: it will be seeded)');
      await waitUntil(
        'catalyst health',
        async () => ((await fetch(`${portal.baseUrl}/api/catalyst/health`)).status === 200 ? true : undefined),
        30_000,
      );
      expect(execFileSync('git', ['--git-dir', catalog, 'rev-parse', 'main'], { encoding: 'utf8' })).toBe(head);

      // The shell is killed outright (as a supervisor stopping `npm start` would leave it): the
      // orphaned launcher stops nats-server, the devcluster and the backend by itself.
      await portal.killParent();
      orphaned = true;
      await waitUntil(
        'the orphaned portal to stop',
        async () => (portal.output().includes('catalyst: stopped') ? true : undefined),
        60_000,
      );
      expect(portal.output()).toContain('the process that started the portal has exited');
      for (const port of Object.values(portal.ports)) expect(await listening(port)).toBe(false);
    } finally {
      if (!orphaned) await portal.stop();
    }
  });
});
