import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';
import { callApi } from './api';

/**
 * Smoke test of packages/app-next, the portal on Backstage's new frontend system: started with
 * app-next's config as one more backend config (CATALYST_CONFIG), the backend's app plugin serves
 * app-next instead of packages/app (`app.packageName`) and injects the app's `app.packages` and
 * route bindings into its page; the app installs catalyst-frontend's `/alpha` plugin found by
 * feature discovery, and its pages, entity parts, APIs and scaffolder fields work against the real
 * portal. Needs `yarn workspace app-next build` first.
 */

// eslint-disable-next-line no-restricted-syntax -- journeys run from source, never from a build
const REPO_ROOT = resolve(__dirname, '../../..');
const APP_NEXT_INDEX = resolve(REPO_ROOT, 'packages/app-next/dist/index.html');
const ENV = 'acme-dev';
const APP = 'site-next';

describe('app-next: the portal on the new frontend system', () => {
  let portal: RunningPortal;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const dataDir = tempDataDir();

  const api = (path: string, init?: { method?: string; body?: unknown }) => callApi(portal.baseUrl, token, path, init);

  beforeAll(async () => {
    if (!fs.existsSync(APP_NEXT_INDEX)) {
      throw new Error(`app-next is not built (${APP_NEXT_INDEX} is missing): yarn workspace app-next build`);
    }
    // app-next's config first, then any the caller gives (CATALYST_CONFIG, as for `npm start`)
    const configs = ['packages/app-next/app-config.yaml', ...(process.env.CATALYST_CONFIG ?? '').split(',')];
    portal = await startPortal({ dataDir, env: { CATALYST_CONFIG: configs.filter(Boolean).join(',') } });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    page = await context.newPage();
    // guest sign-in, the embedded default's, on the guest card of catalyst-frontend's sign-in page
    await page.goto(portal.baseUrl);
    await page.getByTestId('sign-in-option-guest').getByRole('button', { name: 'Enter' }).click();
    await page.getByTestId('blueprint-grid').waitFor({ timeout: 60_000 });
    // the guest only looks around: the journey installs as ada, acme's org-admin, signed in on
    // app-next's sign-in page (catalyst-frontend's) through the local identity provider, in a
    // browser context of her own
    const adaContext = await browser.newContext();
    const adaPage = await adaContext.newPage();
    await signInAs(adaPage, portal.baseUrl, 'ada', 'ada-demo');
    token = await sessionToken(adaPage, portal.baseUrl);
    await adaContext.close();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('opens on the marketplace, which feature discovery installed', async () => {
    await page.goto(portal.baseUrl);
    await page.getByTestId('blueprint-grid').waitFor({ timeout: 60_000 });
    expect(new URL(page.url()).pathname).toBe('/catalyst/marketplace');
    expect(await page.locator('[data-testid^="blueprint-card-"]').count()).toBeGreaterThanOrEqual(5);

    // this is app-next: the CLI's feature discovery put catalyst's /alpha on the page (the legacy
    // app has no such list), and the pages' nav items are in the sidebar
    const discovered = await page.evaluate(() =>
      (
        (window as unknown as Record<string, { modules: Array<{ name: string; export?: string }> } | undefined>)[
          '__@backstage/discovered__'
        ]?.modules ?? []
      ).map(m => `${m.name}${m.export ? `/${m.export.replace('./', '')}` : ''}`),
    );
    expect(discovered).toContain('@internal/plugin-catalyst-frontend/alpha');
    const nav = page.getByRole('navigation');
    expect(await nav.getByRole('link', { name: 'Marketplace' }).getAttribute('href')).toBe('/catalyst');
    expect(await nav.getByRole('link', { name: 'Environments' }).getAttribute('href')).toBe('/catalyst/environments');
  });

  it('shows the guest an Application installed through the REST API, with live status on its page and its catalog entity page', async () => {
    // retried while acme-dev is still being bootstrapped; a timeout names the last answer
    let lastAnswer = '';
    const install = await waitUntil(
      `install of ${APP}`,
      async () => {
        const r = await api(`/catalyst/environments/${ENV}/applications`, {
          method: 'POST',
          body: { application: APP, blueprint: 'bp-static-site', values: { domain: 'site-next.acme.example' } },
        });
        lastAnswer = `${r.status} ${JSON.stringify(r.body?.error?.message ?? r.body)}`;
        return r.status === 201 ? r : undefined;
      },
      60_000,
      500,
    ).catch(e => {
      throw new Error(`${e.message} (last answer: ${lastAnswer})`);
    });
    expect(install.body.commit.sha).toMatch(/^[0-9a-f]{40}$/);

    // the plugin's own Application page (works from the install commit on), live over SSE
    await page.goto(`${portal.baseUrl}/catalyst/applications/${ENV}/${APP}`);
    await page.locator('[data-testid="live-indicator"][data-state="live"]').first().waitFor({ timeout: 30_000 });
    await page
      .locator('[data-testid="application-live-status"] [data-testid="application-status"][data-status="Running"]')
      .waitFor({ timeout: 90_000 });

    // the catalog's entity page with catalyst's Overview card and tabs
    await waitUntil(`application:${ENV}/${APP} in the catalog`, async () => {
      const r = await api(`/catalog/entities/by-name/application/${ENV}/${APP}`);
      return r.status === 200 ? true : undefined;
    });
    await page.goto(`${portal.baseUrl}/catalog/${ENV}/application/${APP}`);
    await page
      .locator('[data-testid="application-live-status"] [data-testid="application-status"][data-status="Running"]')
      .waitFor({ timeout: 60_000 });
    await page
      .getByRole('tab', { name: 'Topology' })
      .or(page.getByRole('link', { name: 'Topology' }))
      .first()
      .click();
    await page.getByTestId(`topology-node-${APP}`).waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).pathname).toBe(`/catalog/${ENV}/application/${APP}/topology`);
  });

  it('opens the install Template from the marketplace with catalyst’s Environment picker', async () => {
    await page.goto(`${portal.baseUrl}/catalyst/marketplace`);
    await page.getByRole('button', { name: 'Install bp-static-site' }).click();
    expect(new URL(page.url()).pathname).toBe('/create/templates/default/install-bp-static-site');
    // the CatalystEnvironmentPicker field (a FormFieldBlueprint), offering the installable Environments
    await page
      .getByRole('button', { name: /Environment/ })
      .first()
      .click({ timeout: 60_000 });
    await page.getByRole('option', { name: new RegExp(ENV) }).waitFor();
  });
});
