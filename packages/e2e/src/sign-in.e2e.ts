import fs from 'node:fs';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';

/**
 * Signing in and out through the local identity provider (issue 12): the sign-in page offers the
 * configured providers, a reload keeps the session, sign-out ends the identity provider's session
 * too (the next sign-in asks for the password again), and people of different Organizations see
 * only their own Environments.
 */
describe('sign-in through the identity provider', () => {
  let portal: RunningPortal;
  let browser: Browser;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    portal = await startPortal({ dataDir });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The Settings page's link to this user entity: the Backstage identity signed in. */
  const userLink = (page: Page, namespace: string, name: string) =>
    page.locator(`a[href="/catalog/${namespace}/user/${name}"]`).first();

  /** Waits for the Settings page to show this user entity. */
  async function settingsShow(page: Page, namespace: string, name: string): Promise<void> {
    await page.goto(`${portal.baseUrl}/settings`);
    await userLink(page, namespace, name).waitFor({ timeout: 60_000 });
  }

  it('offers the local identity provider and the guest, keeps a session across a reload, and signs out of both', async () => {
    const context: BrowserContext = await browser.newContext();
    const page = await context.newPage();
    await page.goto(portal.baseUrl);
    // catalyst.signIn.providers of the embedded default: the identity provider first, then the guest
    await page.getByTestId('sign-in-option-guest').waitFor({ timeout: 60_000 });
    const cards = await page
      .locator('[data-testid^="sign-in-option-"]')
      .evaluateAll(els => els.map(el => el.getAttribute('data-testid')));
    expect(cards).toEqual(['sign-in-option-oidc', 'sign-in-option-guest']);

    await signInAs(page, portal.baseUrl, 'ada', 'ada-demo');
    await settingsShow(page, 'acme', 'ada');
    // a reload restores the session of the provider last used, without the sign-in page
    await page.reload();
    await userLink(page, 'acme', 'ada').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('sign-in-option-oidc').count()).toBe(0);

    // sign-out: Backstage's session, then the identity provider's (it asks to confirm), back to the portal
    await page.getByTestId('user-settings-menu').click();
    await page.getByTestId('sign-out').click();
    await page.waitForURL(url => url.port === String(portal.ports.idp), { timeout: 60_000 });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(url => url.port === String(portal.ports.backend), { timeout: 60_000 });
    await page.getByTestId('sign-in-option-oidc').waitFor({ timeout: 60_000 });
    const refresh = await page.request.get(`${portal.baseUrl}/api/auth/oidc/refresh?env=development`, {
      headers: { 'X-Requested-With': 'XMLHttpRequest' },
    });
    expect(refresh.status()).toBe(401);

    // the identity provider asks for the password again (signInAs fills its form, which fails if the
    // popup closes without asking), and this time it is pat
    await signInAs(page, portal.baseUrl, 'pat', 'pat-demo');
    await settingsShow(page, 'acme', 'pat');
    await context.close();
  });

  it('shows each person only the Environments of their Organization', async () => {
    const environmentsOf = async (username: string, password: string): Promise<string[]> => {
      const context = await browser.newContext();
      const page = await context.newPage();
      await signInAs(page, portal.baseUrl, username, password);
      const token = await sessionToken(page, portal.baseUrl);
      await context.close();
      const response = await fetch(`${portal.baseUrl}/api/catalyst/environments`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      expect(response.status).toBe(200);
      const { items } = (await response.json()) as { items: Array<{ name: string }> };
      return items.map(e => e.name).sort();
    };
    expect(await environmentsOf('ada', 'ada-demo')).toEqual(['acme-dev', 'acme-prod', 'acme-stg']);
    expect(await environmentsOf('gina', 'gina-demo')).toEqual(['globex-dev']);
  });
});
