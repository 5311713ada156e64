import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';
import { callApi, SCREENSHOTS_DIR } from './api';

/**
 * The portal UI against the running embedded portal: live status in two tabs without reloads,
 * a crash loop shown with its reason, and a screenshot of every page. The screenshots go to the
 * git-ignored .test-results/screenshots so a test run never dirties the checkout; run with
 * CATALYST_UPDATE_SCREENSHOTS=1 to refresh the committed ones in docs/screenshots. It installs, so
 * it signs in as ada (acme's org-admin) through the local identity provider; the guest only looks around.
 */

// eslint-disable-next-line no-restricted-syntax -- journeys run from source, never from a build
const SCREENSHOTS = SCREENSHOTS_DIR;
const ENV = 'acme-dev';
/**
 * DESIGN §6 / reference §9: "projector SSE delivery < 2 s end-to-end". Printed with each run and
 * reported in bench/README.md, not asserted: a timing limit in a test fails on a slow machine
 * without anything being wrong.
 */
const LIVE_BUDGET_MS = 2000;

interface StatusSample {
  status: string | null;
  reason: string | null;
  at: number;
}

/** Records every change of the Application's status badge in a tab, with the browser's clock. */
async function watchStatus(page: Page): Promise<StatusSample[]> {
  const samples: StatusSample[] = [];
  await page.exposeFunction('catalystE2EReport', (status: string | null, reason: string | null, at: number) => {
    samples.push({ status, reason, at });
  });
  await page.evaluate(() => {
    let last: string | undefined;
    const report = (
      window as unknown as { catalystE2EReport: (s: string | null, r: string | null, at: number) => void }
    ).catalystE2EReport;
    const check = () => {
      const badge = document.querySelector(
        '[data-testid="application-live-status"] [data-testid="application-status"]',
      );
      const status = badge?.getAttribute('data-status') ?? null;
      const reason = document.querySelector('[data-testid="application-status-reason"]')?.textContent ?? null;
      const key = `${status}|${reason}`;
      if (key !== last) {
        last = key;
        report(status, reason, Date.now());
      }
    };
    new MutationObserver(check).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      characterData: true,
    });
    check();
    // a reload would lose this; the journey checks it is still there at the end
    (window as unknown as { catalystE2ESamePage: boolean }).catalystE2ESamePage = true;
  });
  return samples;
}

async function stillSamePage(page: Page): Promise<boolean> {
  return page.evaluate(() => (window as unknown as { catalystE2ESamePage?: boolean }).catalystE2ESamePage === true);
}

describe('the portal UI', () => {
  let portal: RunningPortal;
  let browser: Browser;
  let context: BrowserContext;
  let token: string;
  const dataDir = tempDataDir();

  const api = (path: string, init?: { method?: string; body?: unknown }) => callApi(portal.baseUrl, token, path, init);

  /** Installs through the REST API, retrying while the Environment is still being bootstrapped. */
  const install = async (body: Record<string, unknown>): Promise<{ sha: string; at: number }> =>
    waitUntil(
      `install of ${body.application}`,
      async () => {
        const at = Date.now();
        const r = await api(`/catalyst/environments/${ENV}/applications`, { method: 'POST', body });
        if (r.status === 201) return { sha: r.body.commit.sha as string, at };
        if (r.status === 409 && /bootstrapped|does not exist yet/.test(JSON.stringify(r.body))) return undefined;
        throw new Error(`install ${body.application}: ${r.status} ${JSON.stringify(r.body)}`);
      },
      60_000,
      500,
    );

  const devcluster = (path: string) =>
    fetch(`http://127.0.0.1:${portal.ports.devcluster}/clusters/${ENV}${path}`).then(r => r.json());

  /**
   * Polls the devcluster until Flux has applied `sha` for the Application and its Deployments are
   * ready: the moment the cluster says "Running". Resolution: the polling interval.
   */
  const clusterSettled = (application: string, sha: string): Promise<number> =>
    waitUntil(
      `${application} to settle in the devcluster`,
      async () => {
        const k = await devcluster(
          `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${application}`,
        );
        const ready = (k.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
        if (ready?.status !== 'True' || !String(k.status?.lastAppliedRevision ?? '').includes(sha)) return undefined;
        const deployments = await devcluster(`/apis/apps/v1/namespaces/${application}/deployments`);
        const settled = (deployments.items ?? []).every(
          (d: { spec: { replicas?: number }; status?: { readyReplicas?: number; updatedReplicas?: number } }) =>
            (d.status?.readyReplicas ?? 0) === (d.spec.replicas ?? 1) &&
            (d.status?.updatedReplicas ?? 0) === (d.spec.replicas ?? 1),
        );
        return settled ? Date.now() : undefined;
      },
      60_000,
      20,
    );

  /** Opens the Application page (it works before the install) in a new tab, live. */
  const openApplicationTab = async (application: string): Promise<{ page: Page; samples: StatusSample[] }> => {
    const page = await context.newPage();
    await page.goto(`${portal.baseUrl}/catalyst/applications/${ENV}/${application}`);
    await page.getByText(`No Application ${application} in ${ENV}`).waitFor({ timeout: 60_000 });
    await page.locator('[data-testid="live-indicator"][data-state="live"]').first().waitFor({ timeout: 30_000 });
    return { page, samples: await watchStatus(page) };
  };

  const waitForCatalogEntity = (kind: string, namespace: string, name: string) =>
    waitUntil(`${kind}:${namespace}/${name} in the catalog`, async () => {
      const r = await api(`/catalog/entities/by-name/${kind}/${namespace}/${name}`);
      return r.status === 200 ? true : undefined;
    });

  const shot = async (page: Page, name: string) => {
    await page.waitForTimeout(500);
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  /** The texts of the elements a locator matches, trimmed. */
  const texts = async (locator: Locator) => (await locator.allTextContents()).map(t => t.trim());

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    portal = await startPortal({ dataDir });
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    // ada's session in this context: every tab the journey opens is ada's (the sign-in page
    // signs in again with the remembered provider), and so are the REST calls beside the UI
    const first = await context.newPage();
    await signInAs(first, portal.baseUrl, 'ada', 'ada-demo');
    token = await sessionToken(first, portal.baseUrl);
    await first.close();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows an install going Installing → Running in two open tabs, without reload (latency to the cluster printed)', async () => {
    const app = 'site-e2e';
    const tabs = [await openApplicationTab(app), await openApplicationTab(app)];

    const { sha } = await install({
      application: app,
      blueprint: 'bp-static-site',
      values: { domain: 'site-e2e.acme.example' },
    });
    const settledAt = await clusterSettled(app, sha);

    for (const tab of tabs) {
      await tab.page
        .locator('[data-testid="application-live-status"] [data-testid="application-status"][data-status="Running"]')
        .waitFor({ timeout: 30_000 });
      const statuses = tab.samples.map(s => s.status);
      expect(statuses).toContain('Installing');
      const installing = statuses.indexOf('Installing');
      const running = statuses.indexOf('Running');
      expect(running).toBeGreaterThan(installing);
      const runningAt = tab.samples[running].at;
      // the projector sees the cluster change, KV → SSE → this tab (negative: the tab was faster
      // than our poll of the devcluster, whose interval is the measurement's resolution)
      expect(await stillSamePage(tab.page)).toBe(true);
      const latency = runningAt - settledAt;
      process.stdout.write(
        `live latency ${app}: ${latency} ms after the devcluster settled (budget ${LIVE_BUDGET_MS} ms${
          latency > LIVE_BUDGET_MS ? ', OVER' : ''
        }); statuses ${JSON.stringify(statuses)}\n`,
      );
    }
    await shot(tabs[0].page, 'application-page-live');
    await Promise.all(tabs.map(t => t.page.close()));
  });

  it('shows a crash-looping install as Degraded or Failed with the reason, in both tabs', async () => {
    const app = 'crash-e2e';
    const tabs = [await openApplicationTab(app), await openApplicationTab(app)];
    await install({
      application: app,
      blueprint: 'bp-static-site',
      values: { domain: 'crash-e2e.acme.example', image: { tag: '1.27-crashloop' } },
    });
    for (const tab of tabs) {
      const badge = tab.page.locator(
        '[data-testid="application-live-status"] [data-testid="application-status"][data-status="Degraded"], [data-testid="application-live-status"] [data-testid="application-status"][data-status="Failed"]',
      );
      await badge.waitFor({ timeout: 60_000 });
      await tab.page
        .getByTestId('application-status-reason')
        .filter({ hasText: /CrashLoopBackOff|failed/i })
        .waitFor({ timeout: 10_000 });
      expect(await stillSamePage(tab.page)).toBe(true);
    }
    await shot(tabs[0].page, 'application-crashloop');
    await Promise.all(tabs.map(t => t.page.close()));
  });

  it('shows every page with what it is for (and takes its screenshot)', async () => {
    // a CMS with an embedded database: a dependency edge and a backing service
    await install({
      application: 'blog',
      blueprint: 'bp-wordpress',
      values: { domain: 'blog.acme.example', adminEmail: 'admin@acme.example' },
    });
    await waitForCatalogEntity('application', ENV, 'site-e2e');
    await waitForCatalogEntity('application', ENV, 'blog');
    const page = await context.newPage();
    const visit = async (path: string, ready: () => Promise<unknown>) => {
      await page.goto(`${portal.baseUrl}${path}`);
      await ready();
    };

    // the marketplace: the seeded catalog as cards; the search runs on the server
    const cards = page.locator('[data-testid^="blueprint-card-"]');
    await visit('/catalyst/marketplace', () => page.getByTestId('blueprint-grid').waitFor());
    await page.getByTestId('blueprint-card-bp-wordpress').waitFor();
    const allCards = await cards.count();
    expect(allCards).toBeGreaterThanOrEqual(5);
    await shot(page, 'marketplace');
    await page.getByLabel('Search Blueprints').fill('post');
    await page.getByTestId('blueprint-card-bp-wordpress').waitFor({ state: 'detached' });
    // waited for, not checked at once: while the server searches, the grid may show its progress
    // instead of any card (WordPress is gone before PostgreSQL is back)
    await page.getByTestId('blueprint-card-bp-postgres').waitFor();
    expect(await cards.count()).toBeLessThan(allCards);
    await shot(page, 'marketplace-search');

    // the Environments list: the three seeded Environments with live counts
    await visit('/catalyst/environments', () => page.getByRole('link', { name: 'acme-prod' }).waitFor());
    await page.getByTestId('count-Running').first().waitFor();
    for (const env of ['acme-dev', 'acme-stg', 'acme-prod']) {
      expect(await page.getByRole('link', { name: env, exact: true }).count()).toBeGreaterThan(0);
    }
    await shot(page, 'environments');

    // an Environment page: Applications grouped by live status, the database as a backing service
    await visit(`/catalog/acme/environment/${ENV}`, () =>
      page.getByTestId('section-backing').waitFor({ timeout: 60_000 }),
    );
    await page.getByText('Used by: blog').waitFor({ timeout: 60_000 });
    await page.getByTestId('section-Running').getByTestId('application-card-site-e2e').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('section-backing').getByTestId('application-card-blog-postgres').count()).toBe(1);
    await shot(page, 'environment-page');

    // the governed Environment: its EnvironmentPolicy in words
    await visit('/catalog/acme/environment/acme-prod', () => page.getByTestId('policy-in-words').waitFor());
    const policy = await page.getByTestId('policy-in-words').textContent();
    expect(policy).toContain('team-platform and team-security');
    expect(policy).toContain('acme-stg');
    await shot(page, 'environment-page-governed');

    // a Blueprint page: the Applications using it across Environments, with live status
    await visit('/catalog/default/blueprint/bp-static-site', () =>
      page.getByText('Applications using this Blueprint (2)').waitFor(),
    );
    await page.locator('[data-testid="application-status"][data-status="Running"]').first().waitFor();
    const using = await texts(page.getByRole('link', { name: /^(site|crash)-e2e$/ }));
    expect(using.sort()).toEqual(['crash-e2e', 'site-e2e']);
    await shot(page, 'blueprint-page');
    await visit('/catalog/default/blueprint/bp-static-site/compare', () => page.getByTestId('file-diff').waitFor());
    expect(await page.locator('[data-testid^="diff-"]').count()).toBeGreaterThan(0);
    await shot(page, 'blueprint-compare-versions');

    // the Application tabs
    const appPage = `/catalog/${ENV}/application/site-e2e`;
    await visit(appPage, () =>
      page.locator('[data-testid="application-live-status"] [data-status="Running"]').waitFor(),
    );
    await shot(page, 'application-overview');
    await visit(`${appPage}/settings`, () => page.getByLabel(/replicas/).waitFor());
    await page.getByLabel(/replicas/).fill('3');
    await page.getByRole('button', { name: 'Preview change' }).click();
    await page.getByTestId('file-diff').waitFor();
    // the preview is the change to the Application's values
    await page.getByTestId('diff-applications/site-e2e/values.yaml').waitFor();
    await shot(page, 'application-settings-preview');
    await visit(`/catalog/${ENV}/application/blog/topology`, () =>
      page.getByTestId('topology-node-blog-postgres').waitFor(),
    );
    expect(await page.getByTestId('topology-node-blog').count()).toBe(1);
    await shot(page, 'application-topology');
    await visit(`${appPage}/history`, () => page.getByTestId('file-diff').waitFor());
    await shot(page, 'application-history');
    await visit(`${appPage}/manifests`, () => page.getByTestId('manifest-content').waitFor());
    await shot(page, 'application-manifests');
    await visit(`${appPage}/kubernetes`, () =>
      page
        .getByText(/devcluster/)
        .first()
        .waitFor({ timeout: 30_000 }),
    );
    await shot(page, 'application-kubernetes');
    await visit(`${appPage}/events`, () => page.getByRole('table').waitFor());
    expect(await page.getByRole('table').getByRole('row').count()).toBeGreaterThan(1);
    await shot(page, 'application-events');

    // the install Template with the Environment preselected from the link
    await visit(
      `/create/templates/default/install-bp-static-site?formData=${encodeURIComponent(
        JSON.stringify({ environment: 'acme-stg' }),
      )}`,
      () => page.getByText('acme-stg').first().waitFor(),
    );
    await shot(page, 'install-template-preselected');
    await page.close();
  });
});
