import { Browser, chromium, Page } from 'playwright-core';

/**
 * Debian's chromium, headless, with the flags this machine needs: no sandbox (root), and no
 * background networking (the closed network refuses those connections).
 */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CATALYST_CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens the portal and signs in as the embedded default's guest. */
export async function signInAsGuest(page: Page, baseUrl: string): Promise<void> {
  await page.goto(baseUrl);
  await page.getByRole('button', { name: 'Enter' }).click();
  await page.waitForURL(/\/catalog/);
}
