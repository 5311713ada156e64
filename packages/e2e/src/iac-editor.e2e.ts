import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { join, resolve } from 'node:path';
import { Browser, Page } from 'playwright-core';
import { launchBrowser, sessionToken, signInAs, signInAsGuest } from './browser';
import { RunningPortal, startPortal, tempDataDir } from './portal';
import { waitUntil } from './waitUntil';
import { callApi, SCREENSHOTS_DIR } from './api';

/**
 * The IaC editor of the Application's Settings (issue 14), in the real Monaco of the built app: ada
 * (acme's org-admin) switches the Settings tab to IaC, and the editor flags invalid YAML and a value
 * the Blueprint's configSchema refuses (and a renamed Application in application.yaml) before any
 * save; a valid edit saves as one commit in acme-dev and as a change request in the governed
 * acme-prod. The guest, an org-viewer, gets the files read-only with the reason.
 */

// eslint-disable-next-line no-restricted-syntax -- journeys run from source, never from a build
const SCREENSHOTS = SCREENSHOTS_DIR;
const DEV = 'acme-dev';
const PROD = 'acme-prod';
const APP = 'iac-site';
const DOMAIN = 'iac.acme.example';

interface Person {
  page: Page;
  token: string;
}

describe('the IaC editor', () => {
  let portal: RunningPortal;
  let browser: Browser;
  const dataDir = tempDataDir();

  const signIn = async (user: string): Promise<Person> => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 1100 } });
    const page = await context.newPage();
    await signInAs(page, portal.baseUrl, user, `${user}-demo`);
    return { page, token: await sessionToken(page, portal.baseUrl) };
  };

  const api = (token: string, path: string, init?: { method?: string; body?: unknown }) =>
    callApi(portal.baseUrl, token, `/catalyst${path}`, init);

  /** `git` on an Environment's bare repository in the portal's data dir. */
  const git = (environment: string, ...args: string[]) =>
    execFileSync('git', ['--git-dir', join(dataDir, 'git/acme', `${environment}.git`), ...args], {
      encoding: 'utf8',
    });

  /** Installs the Application (retrying while the environment-controller bootstraps the repository). */
  const install = (token: string, environment: string, expected: number) =>
    waitUntil(
      `the install of ${APP} in ${environment}`,
      async () => {
        const r = await api(token, `/environments/${environment}/applications`, {
          method: 'POST',
          body: { application: APP, blueprint: 'bp-static-site', version: '1.2.0', values: { domain: DOMAIN } },
        });
        if (r.status === expected) return r.body;
        if (r.status === 409 && /bootstrapped|does not exist yet/.test(JSON.stringify(r.body))) return undefined;
        throw new Error(`install ${APP} in ${environment}: ${r.status} ${JSON.stringify(r.body)}`);
      },
      90_000,
      500,
    );

  /** The Settings tab in its IaC view, once Monaco shows values.yaml. */
  const openIac = async (page: Page, environment: string) => {
    await page.goto(`${portal.baseUrl}/catalyst/applications/${environment}/${APP}/settings`);
    await page.getByRole('button', { name: 'IaC' }).click({ timeout: 60_000 });
    await page.getByTestId('iac-monaco').locator('.monaco-editor .view-lines').waitFor({ timeout: 60_000 });
    expect(page.url()).toContain('view=iac');
  };

  /** The text Monaco shows (it renders spaces as no-break spaces). */
  const shownText = async (page: Page) =>
    ((await page.getByTestId('iac-monaco').locator('.view-lines').innerText()) ?? '').replace(/\u00a0/g, ' ');

  /**
   * Replaces the text of the file shown as a person does: select all, then paste (a paste event with
   * the text on its clipboard data; typed keys would be auto-indented line by line).
   */
  const replaceText = async (page: Page, text: string, options: { readOnly?: boolean } = {}) => {
    await page.getByTestId('iac-monaco').locator('.monaco-editor .view-lines').click();
    await page.keyboard.press('Control+A');
    // on what has the focus: Monaco's text area, or its EditContext element where Chromium has one
    await page.evaluate(pasted => {
      const data = new DataTransfer();
      data.setData('text/plain', pasted);
      const paste = new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true });
      document.activeElement?.dispatchEvent(paste);
    }, text);
    if (!options.readOnly) {
      await waitUntil('the pasted text in the editor', async () =>
        (await shownText(page)).trim() === text.trim() ? true : undefined,
      );
    }
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

  it('flags invalid YAML and a schema violation before save; saves as a commit in acme-dev and as a change request in acme-prod', async () => {
    const ada = await signIn('ada');
    // the Application in both Environments: a commit in acme-dev; in the governed acme-prod a change
    // request that pat and sam approve and ada merges breaking glass (the seed's soak cannot pass)
    await install(ada.token, DEV, 201);
    const opened = await install(ada.token, PROD, 202);
    for (const approver of ['pat', 'sam']) {
      const person = await signIn(approver);
      const approved = await api(person.token, `/change-requests/${opened.changeRequest.id}/approve`, {
        method: 'POST',
        body: {},
      });
      expect(approved.status).toBe(200);
      await person.page.context().close();
    }
    const merged = await api(ada.token, `/change-requests/${opened.changeRequest.id}/merge`, {
      method: 'POST',
      body: { breakGlass: { reason: 'e2e: the IaC editor needs the Application in prod' } },
    });
    expect([merged.status, merged.body.state]).toEqual([200, 'merged']);

    const { page } = ada;
    await openIac(page, DEV);
    const editor = page.getByTestId('iac-monaco');
    const problems = page.getByTestId('iac-problems');
    const save = page.getByRole('button', { name: 'Save', exact: true });
    expect(await shownText(page)).toContain(`domain: ${DOMAIN}`);

    // invalid YAML: flagged in the list and as a marker in Monaco, and Save stays off
    await replaceText(page, `domain: ${DOMAIN}\nreplicas: [3\n`);
    await problems.getByText(/Flow sequence in block collection/).waitFor();
    expect(await problems.textContent()).toMatch(/^values\.yaml:3:1/);
    await editor.locator('.squiggly-error').first().waitFor();
    expect(await save.isDisabled()).toBe(true);
    await page.screenshot({ path: resolve(SCREENSHOTS, 'application-settings-iac-invalid.png'), fullPage: true });

    // a value bp-static-site's configSchema refuses (replicas ≤ 10)
    await replaceText(page, `domain: ${DOMAIN}\nreplicas: 11\n`);
    await problems.getByText('values.replicas must be <= 10').waitFor();
    expect(await problems.textContent()).toMatch(/^values\.yaml:2:1/);
    await editor.locator('.squiggly-error').first().waitFor();
    expect(await save.isDisabled()).toBe(true);

    // application.yaml: the name is not the provisioning service's to change, and the editor says so
    await page.getByRole('tab', { name: /^application\.yaml/ }).click();
    await waitUntil('application.yaml in the editor', async () =>
      (await editor.getAttribute('data-file')) === 'application.yaml' ? true : undefined,
    );
    const head = (await api(ada.token, `/environments/${DEV}/applications/${APP}`)).body.files[
      `applications/${APP}/application.yaml`
    ] as string;
    await replaceText(page, head.replace(`name: ${APP}`, 'name: renamed-site'));
    await problems.getByText(/metadata\.name cannot be changed here \(it is "iac-site" at the head\)/).waitFor();
    await replaceText(page, head);
    await waitUntil('the rename to be gone from the problems', async () =>
      (await problems.textContent())?.includes('metadata.name') ? undefined : true,
    );

    // a valid edit: the live diff against the head, then Save commits in acme-dev
    await page.getByRole('tab', { name: /^values\.yaml/ }).click();
    await replaceText(page, `domain: ${DOMAIN}\nreplicas: 3\n`);
    const diff = page.getByTestId(`diff-applications/${APP}/values.yaml`);
    await diff.getByText('+replicas: 3').waitFor();
    expect(await problems.count()).toBe(0);
    await save.click();
    const saved = page.getByTestId('iac-saved');
    await saved.waitFor({ timeout: 60_000 });
    const head1 = git(DEV, 'rev-parse', 'main').trim();
    expect(await saved.textContent()).toContain(`Saved as commit ${head1.slice(0, 7)} in ${DEV}`);
    expect(git(DEV, 'log', '-1', '--format=%an', 'main').trim()).toBe('Ada Okafor');
    expect(git(DEV, 'show', `main:applications/${APP}/values.yaml`)).toContain('replicas: 3');
    await page.screenshot({ path: resolve(SCREENSHOTS, 'application-settings-iac-saved.png'), fullPage: true });

    // acme-prod is governed: the same save opens a change request, and main stays as it was
    const prodHead = git(PROD, 'rev-parse', 'main').trim();
    await openIac(page, PROD);
    await replaceText(page, `domain: ${DOMAIN}\nreplicas: 3\n`);
    await page.getByTestId(`diff-applications/${APP}/values.yaml`).getByText('+replicas: 3').waitFor();
    await save.click();
    const link = page.getByTestId('iac-saved').getByRole('link', { name: /^change request cr-\d+$/ });
    await link.waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('iac-saved').textContent()).toContain(`${PROD} is governed`);
    const id = ((await link.textContent()) ?? '').replace('change request ', '');
    expect(id).not.toBe(opened.changeRequest.id);
    const request = await api(ada.token, `/change-requests/${id}`);
    expect([request.status, request.body.state, request.body.environment]).toEqual([200, 'open', PROD]);
    const values = (request.body.files as Array<{ path: string; after: string | null }>).find(
      f => f.path === `applications/${APP}/values.yaml`,
    );
    expect(values?.after).toContain('replicas: 3');
    expect(git(PROD, 'rev-parse', 'main').trim()).toBe(prodHead);
    expect(git(PROD, 'show', `main:applications/${APP}/values.yaml`)).not.toContain('replicas: 3');
  });

  it('gives the guest, who may not configure, the files read-only with the reason', async () => {
    const page = await browser.newPage();
    await signInAsGuest(page, portal.baseUrl);
    await openIac(page, DEV);
    await page
      .getByTestId('iac-read-only')
      .getByText(/You may read these files but not change them/)
      .waitFor();
    expect(await page.getByRole('button', { name: 'Save', exact: true }).isDisabled()).toBe(true);
    // Monaco refuses the paste, says why, and the file stays as at the head
    await replaceText(page, 'replicas: 99\n', { readOnly: true });
    await page.getByTestId('iac-monaco').getByText('You may read these files but not change them.').waitFor();
    expect(await shownText(page)).toContain(`domain: ${DOMAIN}`);
    expect(await page.getByTestId('iac-diff').textContent()).toContain('No edits');
    await page.close();
  });
});
