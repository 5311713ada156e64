import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { callApi, SCREENSHOTS_DIR } from './api';
import { launchBrowser } from './browser';
import { approveAndMerge, clusterSettled, installAs, Person, signInPerson } from './people';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';

/**
 * Upgrade offers (issue 13): the shop runs an older release of the seeded bp-static-site in acme-dev,
 * acme-stg and the governed acme-prod (its install through a change request: pat and sam approve,
 * ada breaks glass past the soak). layla opens the Application in acme-dev: "Upgrade available" with
 * the release notes of every version in between and the rendered diff; one click upgrades it as a
 * commit, and the new version runs. On the Blueprint page, "Upgrade all" upgrades acme-stg by a
 * commit and opens a change request in acme-prod, which its own policy gates — shown on the page and
 * on the change request's page.
 */

const BLUEPRINT = 'bp-static-site';
const APP = 'site-upgrade';
const OLD_VERSION = '1.0.0';
/** The latest release; its `upgrades` rules allow 1.0.x, and 1.1.0 lies in between. */
const NEW_VERSION = '1.2.0';

describe('upgrade offers', () => {
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

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: resolve(SCREENSHOTS_DIR, `${name}.png`), fullPage: true });

  /** What the API says `environment` runs of the Application (its pinned version). */
  const pinnedVersion = async (who: Person, environment: string) =>
    (await callApi(portal.baseUrl, who.token, `/catalyst/environments/${environment}/applications/${APP}`)).body
      ?.version;

  it('offers the upgrade with its changelog and diff, upgrades one Environment by a commit, and "Upgrade all" commits to stg and opens a change request in prod', async () => {
    const [layla, pat, sam, ada] = await Promise.all(
      ['layla', 'pat', 'sam', 'ada'].map(name => signInPerson(browser, portal, name)),
    );

    // the shop at the older release in every acme Environment, as layla installs it
    const site = {
      application: APP,
      blueprint: BLUEPRINT,
      version: OLD_VERSION,
      values: { domain: 'site.acme.example' },
    };
    const [dev, stg, prod] = await Promise.all(
      ['acme-dev', 'acme-stg', 'acme-prod'].map(env => installAs(portal, layla, env, site)),
    );
    const prodInstall = await approveAndMerge(
      portal,
      prod.changeRequest.id,
      [pat, sam],
      ada,
      'e2e: the shop starts on an old release in acme-prod',
    );
    await Promise.all([
      clusterSettled(portal, 'acme-dev', APP, dev.commit.sha),
      clusterSettled(portal, 'acme-stg', APP, stg.commit.sha),
      clusterSettled(portal, 'acme-prod', APP, prodInstall.merge.commit),
    ]);

    // the Application in acme-dev: Upgrade available, the notes of 1.1.0 and 1.2.0, and the rendered diff
    const page = layla.page;
    await page.goto(`${portal.baseUrl}/catalyst/applications/acme-dev/${APP}`);
    const offer = page.getByTestId('upgrade-offer');
    await offer.getByText(`Upgrade available: ${NEW_VERSION}`).waitFor({ timeout: 60_000 });
    const changelog = (await offer.getByTestId('upgrade-changelog').textContent()) ?? '';
    expect(changelog).toContain('1.2.0');
    expect(changelog).toContain('Custom message on the page.');
    expect(changelog).toContain('1.1.0');
    expect(changelog).toContain('nginx 1.27');
    const diff = offer.getByTestId('upgrade-diff');
    await diff.getByTestId(`diff-applications/${APP}/application.yaml`).waitFor({ timeout: 60_000 });
    expect(await diff.textContent()).toContain(NEW_VERSION);
    await shot(page, 'application-upgrade-offer');

    // one click: a commit in acme-dev, and the new version runs there
    const upgrade = offer.getByRole('button', { name: `Upgrade to ${NEW_VERSION}` });
    await waitUntil('Upgrade to be enabled', async () => ((await upgrade.isEnabled()) ? true : undefined));
    await upgrade.click();
    const outcome = page.getByTestId('upgrade-outcome');
    await outcome.waitFor({ timeout: 60_000 });
    expect(await outcome.textContent()).toMatch(
      new RegExp(`Upgraded ${APP} to ${NEW_VERSION} as commit [0-9a-f]{7} in acme-dev`),
    );
    const sha = ((await outcome.getByRole('link').textContent()) ?? '').trim();
    await clusterSettled(portal, 'acme-dev', APP, sha);
    await page.locator('[data-testid="application-live-status"] [data-status="Running"]').waitFor({ timeout: 60_000 });
    await page.getByText(`${BLUEPRINT} @ ${NEW_VERSION}`, { exact: true }).first().waitFor({ timeout: 60_000 });
    expect(await pinnedVersion(layla, 'acme-dev')).toBe(NEW_VERSION);

    // the Blueprint page: "Upgrade all" plans a commit for acme-stg and a change request for acme-prod
    await page.goto(`${portal.baseUrl}/catalog/default/blueprint/${BLUEPRINT}`);
    const upgradeAll = page.getByRole('button', { name: `Upgrade all to ${NEW_VERSION}` });
    await upgradeAll.waitFor({ timeout: 60_000 });
    await upgradeAll.click();
    const plan = page.getByTestId('upgrade-all-plan');
    await plan.waitFor();
    const planned = (await plan.locator('li').allTextContents()).sort();
    expect(planned).toEqual([
      `${APP} in acme-prod: ${OLD_VERSION} → ${NEW_VERSION}, opens a change request (governed)`,
      `${APP} in acme-stg: ${OLD_VERSION} → ${NEW_VERSION}, one commit`,
    ]);
    await page.getByRole('dialog').getByRole('button', { name: 'Upgrade', exact: true }).click();

    const stgOutcome = page.getByTestId(`upgrade-outcome-acme-stg/${APP}`);
    await stgOutcome.getByText(/as commit [0-9a-f]{7} in acme-stg/).waitFor({ timeout: 60_000 });
    const prodOutcome = page.getByTestId(`upgrade-outcome-acme-prod/${APP}`);
    const crLink = prodOutcome.getByRole('link', { name: /^change request cr-\d+$/ });
    await crLink.waitFor({ timeout: 60_000 });
    expect(await prodOutcome.textContent()).toContain('acme-prod is governed, so it waits for the approvals');
    const id = ((await crLink.textContent()) ?? '').replace('change request ', '');

    // stg runs the new release; prod still the old one, its row waiting for the request's target
    const stgSha = ((await stgOutcome.getByRole('link').textContent()) ?? '').trim();
    await clusterSettled(portal, 'acme-stg', APP, stgSha);
    expect(await pinnedVersion(layla, 'acme-stg')).toBe(NEW_VERSION);
    expect(await pinnedVersion(layla, 'acme-prod')).toBe(OLD_VERSION);
    await page.getByText(`${OLD_VERSION} → ${NEW_VERSION}`).first().waitFor({ timeout: 60_000 });
    await shot(page, 'blueprint-upgrade-all');

    // the change request, gated by acme-prod's own policy: an upgrade waiting for its approvals
    await crLink.click();
    await page.getByTestId('change-request').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('change-request-state').getAttribute('data-state')).toBe('open');
    expect(await page.getByTestId('verdict-pr-required').getAttribute('data-status')).not.toBe('pass');
    const cr = (await callApi(portal.baseUrl, layla.token, `/catalyst/change-requests/${id}`)).body;
    expect(cr.action).toBe('upgrade');
    expect(cr.version).toBe(NEW_VERSION);
    await shot(page, 'change-request-upgrade');
  });
});
