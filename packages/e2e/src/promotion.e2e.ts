import fs from 'node:fs';
import { resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchBrowser } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';
import { callApi, SCREENSHOTS_DIR } from './api';
import { approveAndMerge, clusterSettled, installAs, markPage, Person, signInPerson, stillSamePage } from './people';

/**
 * Promotion across Environments as change requests (issue 13), with the seeded users of the local
 * identity provider, each in a browser context of their own.
 *
 * First journey: acme-prod already runs the shop at an older version (installed the way people
 * would: layla's install opens a change request, pat and sam approve, ada breaks glass past the
 * soak). layla runs the newer version in acme-stg and copies it to acme-prod from its Promotion
 * tab; the prod Environment's card goes Running (old) → Pending approval; pat (team-platform) and sam
 * (team-security) approve on the change-request page; the seed policy's 24 h soak and Berlin
 * office-hours window cannot pass in a test, so ada (org-admin) breaks glass with a reason — the
 * newcomer's documented path. It merges, the devcluster applies it, and layla's open tab shows prod
 * Running at the promoted version and the notification that it merged, without a reload.
 *
 * Second journey: the policy passes on its own. ada changes acme-prod's EnvironmentPolicy to
 * approvals only (a policy change request: pat and sam approve for the policy's teams, sofia as an
 * org-admin who is not its author). layla copies another Application stg → prod; pat and sam approve
 * in their own sessions, and the last approval merges it — nobody clicks Merge or Break glass.
 */

const SCREENSHOTS = SCREENSHOTS_DIR;
const SOURCE = 'acme-stg';
const TARGET = 'acme-prod';
const BLUEPRINT = 'bp-static-site';
const APP = 'shop-e2e';
const VERSION = '1.2.0';
/** What acme-prod runs before the first promotion (an earlier release whose upgrade rules allow 1.2.0). */
const OLD_VERSION = '1.1.0';
/** The second journey's Application, so it does not depend on what the first left in acme-prod. */
const AUTO_APP = 'docs-e2e';

describe('promotion across Environments', () => {
  let portal: RunningPortal;
  let browser: Browser;
  const dataDir = tempDataDir();
  const people = new Map<string, Promise<Person>>();

  /** A person signed in in a browser context of their own, once per portal (both journeys share them). */
  const person = (name: string): Promise<Person> => {
    if (!people.has(name)) people.set(name, signInPerson(browser, portal, name));
    return people.get(name)!;
  };

  const api = (who: Person, path: string, init?: { method?: string; body?: unknown }) =>
    callApi(portal.baseUrl, who.token, path, init);

  const shot = async (page: Page, name: string) => {
    await page.screenshot({ path: resolve(SCREENSHOTS, `${name}.png`), fullPage: true });
  };

  /** The Application's card on an Environment page, once its live status is `status`. */
  const cardIn = (page: Page, application: string) => page.getByTestId(`application-card-${application}`);
  const cardStatus = (page: Page, application: string, status: string) =>
    cardIn(page, application)
      .locator(`[data-testid="application-status"][data-status="${status}"]`)
      .waitFor({ timeout: 60_000 });

  /** Waits until the card says Running at exactly `version` (no "→ target" still pending). */
  const runningAt = (page: Page, application: string, version: string) =>
    waitUntil(
      `${application} Running at ${version} on the open page`,
      async () => {
        const card = cardIn(page, application);
        const running = await card.locator('[data-testid="application-status"][data-status="Running"]').count();
        const text = (await card.textContent()) ?? '';
        return running === 1 && text.includes(`${BLUEPRINT} @ ${version}`) && !text.includes('→') ? true : undefined;
      },
      90_000,
    );

  /** Opens acme-prod's Environment page in a new tab of `who`'s, live, and marks it against reloads. */
  const openProdTab = async (who: Person): Promise<Page> => {
    const tab = await who.page.context().newPage();
    await tab.goto(`${portal.baseUrl}/catalog/acme/environment/${TARGET}`);
    await tab.getByTestId('policy-in-words').waitFor({ timeout: 60_000 });
    await tab.locator('[data-testid="live-indicator"][data-state="live"]').first().waitFor({ timeout: 30_000 });
    await markPage(tab);
    return tab;
  };

  /** layla's copy from the source's Promotion tab to acme-prod: answers the change request's id. */
  const copyToProd = async (layla: Person, application: string, difference: string): Promise<string> => {
    await layla.page.goto(`${portal.baseUrl}/catalyst/applications/${SOURCE}/${application}/promotion`);
    const promotion = layla.page.getByTestId('application-promotion');
    await promotion.waitFor({ timeout: 60_000 });
    await promotion.getByText(difference).first().waitFor({ timeout: 30_000 });
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
    return id;
  };

  /** `who` approves on the change-request page, as a reviewer does. */
  const approveInBrowser = async (who: Person, id: string) => {
    await who.page.goto(`${portal.baseUrl}/catalyst/change-requests/${id}`);
    const approve = who.page.getByRole('button', { name: 'Approve', exact: true });
    await approve.waitFor({ timeout: 60_000 });
    await approve.click();
    await who.page.getByRole('dialog').getByRole('button', { name: 'Approve', exact: true }).click();
    await who.page.getByTestId(`approval-${who.name}`).waitFor({ timeout: 30_000 });
  };

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

  it('prod goes Running at the old version → Pending approval → Running at the promoted one, without a reload (pat and sam approve, ada breaks glass)', async () => {
    const [layla, pat, sam, ada] = await Promise.all(['layla', 'pat', 'sam', 'ada'].map(person));
    const shop = { application: APP, blueprint: BLUEPRINT, values: { domain: 'shop.acme.example' } };

    // acme-stg runs the new version (not governed: one commit); acme-prod the old one, through its
    // own change request: layla installs, pat and sam approve, ada breaks glass past the soak
    const [installed, opened] = await Promise.all([
      installAs(portal, layla, SOURCE, { ...shop, version: VERSION }),
      installAs(portal, layla, TARGET, { ...shop, version: OLD_VERSION }),
    ]);
    expect(opened.changeRequest?.merged).toBe(false);
    const old = await approveAndMerge(
      portal,
      opened.changeRequest.id,
      [pat, sam],
      ada,
      'e2e: acme-prod starts on the previous release',
    );
    await Promise.all([
      clusterSettled(portal, SOURCE, APP, installed.commit.sha),
      clusterSettled(portal, TARGET, APP, old.merge.commit),
    ]);

    // layla keeps acme-prod's Environment page open in a tab of her own for the whole journey: the old version runs
    const prodTab = await openProdTab(layla);
    await runningAt(prodTab, APP, OLD_VERSION);
    await shot(prodTab, 'environment-page-before-promotion');

    // the Promotion tab: prod differs by version; Copy to acme-prod opens a change request
    const id = await copyToProd(layla, APP, `${OLD_VERSION} here, ${VERSION} in ${SOURCE}`);
    await shot(layla.page, 'application-promotion');

    // the prod card shows Pending approval towards the new version, and the Environment lists the request — live
    const card = cardIn(prodTab, APP);
    await cardStatus(prodTab, APP, 'Pending approval');
    expect(await card.textContent()).toContain(`${BLUEPRINT} @ ${OLD_VERSION} → ${VERSION}`);
    await card.getByTestId('application-card-pending').getByText(id).waitFor();
    await prodTab.getByTestId('change-requests').getByRole('link', { name: id }).waitFor({ timeout: 30_000 });
    await shot(prodTab, 'environment-page-pending-approval');

    // pat (team-platform) and sam (team-security) approve, each in their own session
    await approveInBrowser(pat, id);
    await approveInBrowser(sam, id);

    // the soak (24 h in acme-stg) cannot pass in a test: ada, org-admin, breaks glass with a reason
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
    const merged = await api(ada, `/catalyst/change-requests/${id}`);
    expect(merged.body.state).toBe('merged');
    await clusterSettled(portal, TARGET, APP, merged.body.merge.commit);

    // layla's tab, never reloaded: prod Running at the promoted version, and the notification
    await runningAt(prodTab, APP, VERSION);
    await prodTab.getByText(`Merged: ${merged.body.title}`).first().waitFor({ timeout: 60_000 });
    expect(await stillSamePage(prodTab)).toBe(true);
    await shot(prodTab, 'environment-page-promoted');
  });

  it('with a policy that passes on its own, the last approval merges the copy — nobody clicks Merge or Break glass', async () => {
    const [layla, pat, sam, ada, sofia] = await Promise.all(['layla', 'pat', 'sam', 'ada', 'sofia'].map(person));

    // ada (org-admin) drops the soak and the change window from acme-prod's policy, the governed
    // way: a change request to policies/. The policy's teams approve (pat, sam), and so does an
    // org-admin who is not its author (sofia, sovereign-admin); outside Berlin office hours the
    // current window still holds it, and ada breaks glass — windows yield to that, approvals never
    const rules = [{ kind: 'pr-required', approvers: ['team-platform', 'team-security'], minApprovals: 2 }];
    const policyChange = await api(ada, `/catalyst/environments/${TARGET}/policy`, {
      method: 'POST',
      body: { rules, merge: 'automatic' },
    });
    expect(policyChange.status).toBe(202);
    await approveAndMerge(
      portal,
      policyChange.body.changeRequest.id,
      [pat, sam, sofia],
      ada,
      'e2e: approvals-only policy for acme-prod',
    );
    await waitUntil('acme-prod to be governed by the new policy', async () => {
      const env = await api(layla, `/catalyst/environments/${TARGET}`);
      return JSON.stringify(env.body.policy?.rules) === JSON.stringify(rules) ? true : undefined;
    });

    // the docs site runs in acme-stg; layla keeps acme-prod open, which now states approvals only
    const installed = await installAs(portal, layla, SOURCE, {
      application: AUTO_APP,
      blueprint: BLUEPRINT,
      version: VERSION,
      values: { domain: 'docs.acme.example' },
    });
    await clusterSettled(portal, SOURCE, AUTO_APP, installed.commit.sha);
    const prodTab = await openProdTab(layla);
    const policy = (await prodTab.getByTestId('policy-in-words').textContent()) ?? '';
    expect(policy).toContain('team-platform');
    expect(policy).not.toContain('soak');

    const id = await copyToProd(layla, AUTO_APP, 'Not installed');
    await cardStatus(prodTab, AUTO_APP, 'Pending approval');

    // pat approves: one of two, still open
    await approveInBrowser(pat, id);
    expect(await pat.page.getByTestId('change-request-state').getAttribute('data-state')).toBe('open');

    // sam's approval is the last thing missing: the request merges at once, on sam's page
    await approveInBrowser(sam, id);
    await sam.page.getByTestId('change-request-merged').waitFor({ timeout: 60_000 });
    await shot(sam.page, 'change-request-merged-on-approval');
    expect(await sam.page.getByTestId('change-request-break-glass').count()).toBe(0);
    const merged = await api(layla, `/catalyst/change-requests/${id}`);
    expect(merged.body.state).toBe('merged');
    expect(merged.body.mergeMode).toBe('automatic');
    expect(merged.body.breakGlass).toBeUndefined();
    expect(merged.body.timeline.map((t: { type: string }) => t.type)).not.toContain('break-glass');

    // the devcluster applies it; layla's tab, never reloaded, shows prod Running it
    await clusterSettled(portal, TARGET, AUTO_APP, merged.body.merge.commit);
    await runningAt(prodTab, AUTO_APP, VERSION);
    expect(await stillSamePage(prodTab)).toBe(true);
    await shot(prodTab, 'environment-page-merged-on-approval');
  });
});
