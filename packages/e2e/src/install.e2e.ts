import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs, signInAsGuest } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';

/**
 * Installing through the generated software template, as a user does it (issue 5, reference §8.7
 * scenarios 4 and 5): Create → the CMS's Template → the form generated from its configSchema →
 * a new database for its dependency → run → the task log → one commit with both Applications' folders.
 * It installs as ada, acme's org-admin, signed in through the local identity provider: the guest of
 * the embedded default only looks around, and the form shows it so.
 */

const ENV = 'acme-dev';
const APP = 'marketing-site';

describe('install through software templates', () => {
  let portal: RunningPortal;
  let browser: Browser;
  let page: Page;
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

  /** Opens the Create page's Install WordPress Template once the catalog has it, signed in in `tab`. */
  async function openInstallWordPress(tab: Page): Promise<void> {
    // The Template appears once the provider has polled the Blueprints and the catalog processed it.
    // (production builds suffix MUI class names: MuiCard-root-630)
    const card = tab
      .locator('[class*="MuiCard-root"]')
      .filter({ has: tab.getByText('Install WordPress', { exact: true }) });
    await waitUntil(
      'the Install WordPress template on the Create page',
      async () => {
        await tab.goto(`${portal.baseUrl}/create`);
        await card.first().waitFor({ timeout: 5000 });
        return true;
      },
      90_000,
    );
    await card.first().getByTestId('template-card-actions--create').click();
  }

  it('shows the guest the Environments it may not install into, disabled with the reason', async () => {
    const guestPage = await browser.newPage();
    await signInAsGuest(guestPage, portal.baseUrl);
    await openInstallWordPress(guestPage);
    await guestPage.getByRole('button', { name: /Environment/ }).click();
    // the guest is an org-viewer of acme: it sees acme's Environments, and may install into none
    const option = guestPage.getByRole('option', { name: new RegExp(ENV) });
    await option.waitFor();
    expect(await option.getAttribute('aria-disabled')).toBe('true');
    expect(await option.textContent()).toContain(`You may not install into ${ENV}`);
    await guestPage.close();
  });

  it('Create → WordPress → generated form → new database → run → task log → one commit with both folders', async () => {
    page = await (await browser.newContext()).newPage();
    await signInAs(page, portal.baseUrl, 'ada', 'ada-demo');
    await openInstallWordPress(page);

    // Step 1, Where: only installable Environments can be picked.
    await page.getByRole('button', { name: /Environment/ }).click();
    await page.getByRole('option', { name: new RegExp(ENV) }).click();
    await page.getByLabel(/Application name/).fill(APP);
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 2, Configuration, generated from bp-wordpress's configSchema: required fields are enforced
    // (the form does not move on without the domain)…
    const domain = page.getByLabel(/^Domain/);
    await domain.waitFor();
    await page.getByRole('button', { name: 'Next' }).click();
    await expect(domain.evaluate(el => (el as HTMLInputElement).validity.valueMissing)).resolves.toBe(true);
    await expect(page.getByRole('radio', { name: 'Create a new Application' }).count()).resolves.toBe(0);
    // …defaults are prefilled, and the database choice is the embedded branch of its oneOf.
    await expect(page.getByLabel(/^replicas/).inputValue()).resolves.toBe('2');
    await page.getByText('Embedded (a new PostgreSQL Application)').first().waitFor();
    await domain.fill('www.acme.example');
    await page.getByLabel(/^adminEmail/).fill('web@acme.example');
    await page.getByRole('button', { name: 'Next' }).click();

    // Step 3, Dependencies: the database as a new Application (the default), named after ours.
    await page.getByRole('radio', { name: 'Create a new Application' }).waitFor();
    await expect(page.getByRole('radio', { name: 'Create a new Application' }).isChecked()).resolves.toBe(true);
    await page.getByText(`Leave empty for ${APP}-postgres`).waitFor();
    await page.getByRole('button', { name: 'Review' }).click();
    await page.getByRole('button', { name: 'Create' }).click();

    // The task runs: plan, then install; it ends with links to the Application and the commit.
    await page.waitForURL(/\/create\/tasks\//);
    const taskId = page.url().split('/create/tasks/')[1].split(/[?#/]/)[0];
    const commitLink = page.locator('a', { hasText: 'The commit' });
    await page.locator('a', { hasText: 'Open the Application' }).waitFor({ timeout: 120_000 });
    await commitLink.waitFor();
    await page
      .getByText(/Resolve dependencies: 2 Applications in acme-dev/)
      .first()
      .waitFor();
    await page.getByText(`${APP}-postgres, ${APP}`).first().waitFor();

    // The task log, from the scaffolder API: each step of the install, in order.
    const token = await sessionToken(page, portal.baseUrl);
    const events = (await (
      await fetch(`${portal.baseUrl}/api/scaffolder/v2/tasks/${taskId}/events`, {
        headers: { Authorization: `Bearer ${token}` },
      })
    ).json()) as Array<{ type: string; body: { message?: string; stepId?: string } }>;
    const log = events
      .filter(e => e.type === 'log' && e.body.stepId === 'install')
      .map(e => (e.body.message ?? '').replace(/^\S*info\S*: /, ''));
    const at = (re: RegExp) => log.findIndex(l => re.test(l));
    expect(at(/Validate: install bp-wordpress/)).toBeGreaterThanOrEqual(0);
    expect(at(/Resolve dependencies: 2 Applications/)).toBeGreaterThan(at(/Validate: /));
    expect(log.some(l => l.includes(`${APP} dependsOn ${APP}-postgres`))).toBe(true);
    expect(at(/Compose: \d+ files/)).toBeGreaterThan(at(/Resolve dependencies/));
    expect(at(/Commit: [0-9a-f]{7} /)).toBeGreaterThan(at(/Compose: /));

    // One commit in the Environment repo, authored by ada, with both Applications' folders.
    const gitDir = join(dataDir, 'git/acme', `${ENV}.git`);
    const git = (...args: string[]) => execFileSync('git', ['--git-dir', gitDir, ...args], { encoding: 'utf8' });
    const head = git('rev-parse', 'main').trim();
    const changed = git('show', '--name-only', '--format=%an <%ae>%n%s', head).trim().split('\n');
    expect(changed[0]).toBe('Ada Okafor <ada@acme.example>');
    expect(changed.some(p => p.startsWith(`applications/${APP}/`))).toBe(true);
    expect(changed.some(p => p.startsWith(`applications/${APP}-postgres/`))).toBe(true);
    expect(changed).toContain(`flux-system/applications/${APP}.yaml`);
    expect(log.find(l => l.startsWith('Commit: '))).toContain(head.slice(0, 7));
    expect(await commitLink.getAttribute('href')).toContain(head);
    await page.close();
  });
});
