import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { callApi, SCREENSHOTS_DIR } from './api';
import { launchBrowser, sessionToken, signInAs } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';

/**
 * Signing in and out through the local identity provider (issue 12): the sign-in page offers the
 * configured providers, a reload keeps the session, sign-out ends the identity provider's session
 * too (the next sign-in asks for the password again); people of both Organizations and several roles
 * see, in the portal's pages, only what each may see; and an open page's session is refreshed with a
 * new token the API accepts.
 */
describe('sign-in through the identity provider', () => {
  let portal: RunningPortal;
  let browser: Browser;
  const dataDir = tempDataDir();

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS_DIR, { recursive: true });
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

  /** A fresh browser context signed in as a demo user (password `<name>-demo`). */
  async function signedIn(username: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await signInAs(page, portal.baseUrl, username, `${username}-demo`);
    return page;
  }

  /** The Environments the portal's Environments page lists to this person, sorted. */
  async function environmentsListed(page: Page): Promise<string[]> {
    await page.goto(`${portal.baseUrl}/catalyst/environments`);
    // the table renders every row at once, from one answer
    const links = page.locator('a[href*="/environment/"]');
    await links.first().waitFor({ timeout: 60_000 });
    return (await links.allTextContents()).sort();
  }

  /** Opens an Environment's entity page (`/catalog/<organization>/environment/<name>`). */
  const openEnvironment = (page: Page, organization: string, name: string) =>
    page.goto(`${portal.baseUrl}/catalog/${organization}/environment/${name}`);

  /** The Environment page's Install button (the overview card's, to the marketplace). */
  const installButton = (page: Page) => page.getByRole('button', { name: 'Install', exact: true });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: resolve(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

  it("shows vic (acme's org-viewer) acme's Environments, with Install disabled and why", async () => {
    const page = await signedIn('vic');
    expect(await environmentsListed(page)).toEqual(['acme-dev', 'acme-prod', 'acme-stg']);

    await openEnvironment(page, 'acme', 'acme-dev');
    await page.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    const install = installButton(page);
    // disabled once the permission answer is in; the reason (the roles that may) is its title
    await waitUntil('Install to carry its refusal', async () =>
      (await install.getAttribute('title')) ? true : undefined,
    );
    expect(await install.isDisabled()).toBe(true);
    expect(await install.getAttribute('title')).toBe(
      'Installing in acme-dev needs org-admin or org-developer on acme (catalyst.install)',
    );
    await shot(page, 'environment-page-org-viewer');
    await page.context().close();
  });

  it("shows gina (globex) only globex-dev, and acme-dev's page as not found, with nothing of acme's", async () => {
    const page = await signedIn('gina');
    expect(await environmentsListed(page)).toEqual(['globex-dev']);

    await openEnvironment(page, 'acme', 'acme-dev');
    // the catalog hides acme's entities from globex people: the entity page finds nothing
    await page.getByText('Entity not found').first().waitFor({ timeout: 60_000 });
    const text = (await page.locator('main').first().textContent()) ?? '';
    for (const acme of ['ACME Corp', 'acme-prod', 'acme-stg', 'Installing in', 'team-platform']) {
      expect(text).not.toContain(acme);
    }
    expect(await page.getByTestId('policy-in-words').count()).toBe(0);
    expect(await installButton(page).count()).toBe(0);
    await shot(page, 'environment-page-other-organization');

    // her own Environment opens, and she may install there
    await openEnvironment(page, 'globex', 'globex-dev');
    await page.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    await waitUntil('Install to be enabled for gina', async () =>
      (await installButton(page).isEnabled()) ? true : undefined,
    );
    await page.context().close();
  });

  it("shows sam (acme's security-officer) acme's Environments and sofia (sovereign-admin) both Organizations'", async () => {
    const sam = await signedIn('sam');
    expect(await environmentsListed(sam)).toEqual(['acme-dev', 'acme-prod', 'acme-stg']);
    // a security-officer reviews and approves, but installs nothing
    await openEnvironment(sam, 'acme', 'acme-prod');
    await sam.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    await waitUntil('Install to carry its refusal', async () =>
      (await installButton(sam).getAttribute('title'))?.includes('needs') ? true : undefined,
    );
    expect(await installButton(sam).isDisabled()).toBe(true);
    await sam.context().close();

    const sofia = await signedIn('sofia');
    expect(await environmentsListed(sofia)).toEqual(['acme-dev', 'acme-prod', 'acme-stg', 'globex-dev']);
    await shot(sofia, 'environments-sovereign-admin');
    await openEnvironment(sofia, 'globex', 'globex-dev');
    await sofia.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    await waitUntil('Install to be enabled for sofia', async () =>
      (await installButton(sofia).isEnabled()) ? true : undefined,
    );
    await sofia.context().close();
  });

  it('refreshes the session while a page stays open: a new Backstage token for the same person, which the API accepts', async () => {
    const page = await signedIn('layla');
    await page.goto(`${portal.baseUrl}/catalyst/environments`);
    await page.locator('a[href*="/environment/"]').first().waitFor({ timeout: 60_000 });
    const first = await sessionToken(page, portal.baseUrl);

    // the app itself renews its session through the provider's refresh when it loads (and before the
    // token runs out): a reload restores layla from it, without the sign-in page
    const [renewal] = await Promise.all([
      page.waitForResponse(r => r.url().startsWith(`${portal.baseUrl}/api/auth/oidc/refresh`), { timeout: 60_000 }),
      page.reload(),
    ]);
    expect(renewal.status()).toBe(200);
    const renewed = (await renewal.json()).backstageIdentity;
    expect(claims(renewed.token).sub).toBe('user:acme/layla');
    await page.locator('a[href*="/environment/"]').first().waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('sign-in-option-oidc').count()).toBe(0);

    // the same refresh, asked again with the page's session: a token issued later (iat counts whole
    // seconds, so the first second's refreshes may repeat it), for the same user, living longer
    const next = await waitUntil('a refresh to issue a new token', async () => {
      const token = await sessionToken(page, portal.baseUrl);
      return claims(token).iat > claims(first).iat ? token : undefined;
    });
    expect(next).not.toBe(first);
    expect(claims(next).sub).toBe(claims(first).sub);
    expect(claims(next).exp).toBeGreaterThan(claims(first).exp);
    // Catalyst's API takes the new token as layla: she reads acme's Environments, not globex's
    const response = await callApi(portal.baseUrl, next, '/catalyst/environments');
    expect(response.status).toBe(200);
    expect(response.body.items.map((e: { name: string }) => e.name).sort()).toEqual([
      'acme-dev',
      'acme-prod',
      'acme-stg',
    ]);
    await page.context().close();
  });
});

/** The claims of a Backstage token (a JWT; only read here, the backend verifies it). */
function claims(token: string): { sub: string; iat: number; exp: number } {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}
