import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';
import { callApi, SCREENSHOTS_DIR } from './api';

/**
 * Promotion across Environments as change requests (issue 13), with the seeded users of the local
 * identity provider, each in a browser context of their own: layla (org-developer, team-apps)
 * installs an Application in acme-stg and copies it to acme-prod from its Promotion tab; the prod
 * Environment's card shows Pending approval; pat (team-platform) and sam (team-security) approve on
 * the change-request page; the seed policy's 24 h soak and Berlin office-hours window cannot pass
 * in a test, so ada (org-admin) breaks glass with a reason — the newcomer's documented path. It
 * merges, the devcluster applies it, and layla's open tab shows prod Running at the promoted
 * version and the notification that it merged, without a reload.
 */

// eslint-disable-next-line no-restricted-syntax -- journeys run from source, never from a build
const SCREENSHOTS = SCREENSHOTS_DIR;
const SOURCE = 'acme-stg';
const TARGET = 'acme-prod';
const APP = 'shop-e2e';
const VERSION = '1.2.0';

interface Person {
  page: Page;
  token: string;
}

describe('promotion across Environments', () => {
  let portal: RunningPortal;
  let browser: Browser;
  const dataDir = tempDataDir();

  /** A person signed in through the local identity provider in a browser context of their own. */
  const signIn = async (user: string): Promise<Person> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
    const page = await context.newPage();
    await signInAs(page, portal.baseUrl, user, `${user}-demo`);
    return { page, token: await sessionToken(page, portal.baseUrl) };
  };

  const api = (token: string, path: string, init?: { method?: string; body?: unknown }) =>
    callApi(portal.baseUrl, token, path, init);

  const devcluster = (environment: string, path: string) =>
    fetch(`http://127.0.0.1:${portal.ports.devcluster}/clusters/${environment}${path}`).then(r => r.json());

  /** Polls the devcluster until Flux has applied `sha` for the Application and its Deployments are ready. */
  const clusterSettled = (environment: string, sha: string) =>
    waitUntil(
      `${APP} at ${sha.slice(0, 7)} to settle in ${environment}'s devcluster`,
      async () => {
        const k = await devcluster(
          environment,
          `/apis/kustomize.toolkit.fluxcd.io/v1/namespaces/flux-system/kustomizations/${APP}`,
        );
        const ready = (k.status?.conditions ?? []).find((c: { type: string }) => c.type === 'Ready');
        if (ready?.status !== 'True' || !String(k.status?.lastAppliedRevision ?? '').includes(sha)) return undefined;
        const deployments = await devcluster(environment, `/apis/apps/v1/namespaces/${APP}/deployments`);
        const items = deployments.items ?? [];
        const settled =
          items.length > 0 &&
          items.every(
            (d: { spec: { replicas?: number }; status?: { readyReplicas?: number } }) =>
              (d.status?.readyReplicas ?? 0) === (d.spec.replicas ?? 1),
          );
        return settled ? true : undefined;
      },
      120_000,
      250,
    );

  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  /** Marks the page, so the journey can tell at the end that it was never reloaded. */
  const markPage = (page: Page) =>
    page.evaluate(() => {
      (window as unknown as { catalystE2ESamePage: boolean }).catalystE2ESamePage = true;
    });
  const stillSamePage = (page: Page) =>
    page.evaluate(() => (window as unknown as { catalystE2ESamePage?: boolean }).catalystE2ESamePage === true);

  beforeAll(async () => {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    portal = await startPortal({ dataDir });
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('layla copies acme-stg → acme-prod; pat and sam approve; ada breaks glass; prod runs it and layla is told, without a reload', async () => {
    // layla installs the Application in acme-stg (not governed: one commit) and waits for it to run
    const layla = await signIn('layla');
    const installed = await waitUntil(
      `the install of ${APP} in ${SOURCE}`,
      async () => {
        const r = await api(layla.token, `/catalyst/environments/${SOURCE}/applications`, {
          method: 'POST',
          body: {
            application: APP,
            blueprint: 'bp-static-site',
            version: VERSION,
            values: { domain: 'shop.acme.example' },
          },
        });
        if (r.status === 201) return r.body.commit.sha as string;
        // the environment-controller is still bootstrapping the Environment's repository
        if (r.status === 409 && /bootstrapped|does not exist yet/.test(JSON.stringify(r.body))) return undefined;
        throw new Error(`install ${APP}: ${r.status} ${JSON.stringify(r.body)}`);
      },
      90_000,
      500,
    );
    await clusterSettled(SOURCE, installed);

    // layla keeps acme-prod's Environment page open in a tab of her own for the whole journey
    const prodTab = await layla.page.context().newPage();
    await prodTab.goto(`${portal.baseUrl}/catalog/acme/environment/${TARGET}`);
    await prodTab.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    await prodTab.locator('[data-testid="live-indicator"][data-state="live"]').first().waitFor({ timeout: 30_000 });
    await markPage(prodTab);

    // the Promotion tab: the Application in every Environment of acme; Copy to acme-prod
    await layla.page.goto(`${portal.baseUrl}/catalyst/applications/${SOURCE}/${APP}/promotion`);
    const promotion = layla.page.getByTestId('application-promotion');
    await promotion.waitFor({ timeout: 60_000 });
    await promotion.getByText('Not installed').first().waitFor();
    const copy = layla.page.getByRole('button', { name: `Copy to ${TARGET}` });
    await waitUntil('Copy to acme-prod to be enabled', async () => ((await copy.isEnabled()) ? true : undefined));
    await copy.click();
    const dialog = layla.page.getByRole('dialog');
    expect(await dialog.textContent()).toContain(`${TARGET} is governed`);
    await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
    const result = layla.page.getByTestId(`promotion-result-${TARGET}`);
    await result.waitFor({ timeout: 60_000 });
    const link = result.getByRole('link', { name: /^change request cr-\d+$/ });
    const id = ((await link.textContent()) ?? '').replace('change request ', '');
    expect(id).toMatch(/^cr-\d+$/);
    await shot(layla.page, 'application-promotion');

    // the prod card shows Pending approval, and the Environment lists the request — live, in the open tab
    const card = prodTab.getByTestId(`application-card-${APP}`);
    await card
      .locator('[data-testid="application-status"][data-status="Pending approval"]')
      .waitFor({ timeout: 30_000 });
    await card.getByTestId('application-card-pending').getByText(id).waitFor();
    await prodTab.getByTestId('change-requests').getByRole('link', { name: id }).waitFor({ timeout: 30_000 });
    await shot(prodTab, 'environment-page-pending-approval');

    // pat (team-platform) and sam (team-security) approve, each in their own session
    for (const approver of ['pat', 'sam']) {
      const person = await signIn(approver);
      await person.page.goto(`${portal.baseUrl}/catalyst/change-requests/${id}`);
      const approve = person.page.getByRole('button', { name: 'Approve', exact: true });
      await approve.waitFor({ timeout: 60_000 });
      await approve.click();
      await person.page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
      await person.page.getByTestId(`approval-${approver}`).waitFor({ timeout: 30_000 });
      await person.page.context().close();
    }

    // the soak (24 h in acme-stg) cannot pass in a test: ada, org-admin, breaks glass with a reason
    const ada = await signIn('ada');
    await ada.page.goto(`${portal.baseUrl}/catalyst/change-requests/${id}`);
    await ada.page.getByTestId('approval-sam').waitFor({ timeout: 60_000 });
    expect(await ada.page.getByTestId('verdict-pr-required').getAttribute('data-status')).toBe('pass');
    expect(await ada.page.getByTestId('verdict-soak').getAttribute('data-status')).not.toBe('pass');
    expect(await ada.page.getByRole('button', { name: 'Merge', exact: true }).isDisabled()).toBe(true);
    await shot(ada.page, 'change-request');
    await ada.page.getByRole('button', { name: 'Break glass', exact: true }).click();
    const reasonDialog = ada.page.getByRole('dialog');
    await reasonDialog.getByLabel('Reason').fill('e2e: promote the shop before the soak completes');
    await reasonDialog.getByRole('button', { name: 'Break glass and merge' }).click();
    await ada.page.getByTestId('change-request-merged').waitFor({ timeout: 60_000 });
    expect(await ada.page.getByTestId('change-request-break-glass').textContent()).toContain(
      'e2e: promote the shop before the soak completes',
    );

    // the devcluster applies the merge commit
    const merged = await api(ada.token, `/catalyst/change-requests/${id}`);
    expect(merged.body.state).toBe('merged');
    await clusterSettled(TARGET, merged.body.merge.commit);

    // layla's tab, never reloaded: prod Running at the promoted version, and the notification
    await card.locator('[data-testid="application-status"][data-status="Running"]').waitFor({ timeout: 60_000 });
    expect(await card.textContent()).toContain(`bp-static-site @ ${VERSION}`);
    await prodTab.getByText(`Merged: ${merged.body.title}`).first().waitFor({ timeout: 60_000 });
    expect(await stillSamePage(prodTab)).toBe(true);
    await shot(prodTab, 'environment-page-promoted');
  });
});
