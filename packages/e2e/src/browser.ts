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

/**
 * Signs in the way a user of the embedded default does: the sign-in page's corporate sign-in card
 * (Keycloak; here the local identity provider) opens the provider's login form in a popup
 * (packages/idp; demo users in its README), the form is filled and sent, the popup closes and the
 * portal opens signed in. Fails with the IdP's message when it refuses the user, instead of waiting
 * for a page that never comes. For a browser context with no session yet (one with a session is
 * signed in again by the sign-in page without asking).
 */
export async function signInAs(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(baseUrl);
  await fillIdentityProviderForm(
    page,
    () => page.getByTestId('sign-in-option-oidc').getByRole('button', { name: 'Sign in' }).click(),
    username,
    password,
  );
}

/**
 * Clicks what opens the identity provider's login popup, fills its form (which fails if the popup
 * closes without asking, i.e. the provider still had a session) and waits for the portal to open
 * signed in.
 */
async function fillIdentityProviderForm(
  page: Page,
  openPopup: () => Promise<void>,
  username: string,
  password: string,
): Promise<void> {
  const [popup] = await Promise.all([page.waitForEvent('popup'), openPopup()]);
  await popup.getByLabel('Username').fill(username);
  await popup.getByLabel('Password').fill(password);
  await popup.getByRole('button', { name: 'Sign in' }).click();
  // the popup posts the session to the portal and closes; a refusal leaves it open on the form
  const refused = popup
    .getByText('Invalid username or password.')
    .waitFor({ timeout: 0 })
    .then(
      () => Promise.reject(new Error(`the identity provider refused ${username}: Invalid username or password.`)),
      // the popup closed (signed in): only the portal's page decides now
      () => new Promise<never>(() => {}),
    );
  // signed in, the app replaces its sign-in page (each app then opens on its own start page)
  const signedIn = page.getByTestId('sign-in-option-oidc').waitFor({ state: 'detached', timeout: 60_000 });
  await Promise.race([signedIn, refused]);
}

/**
 * The Backstage token of the user signed in with {@link signInAs} in this page's browser context:
 * the OIDC provider's refresh, with the context's session cookie (as the app itself renews it).
 */
export async function sessionToken(page: Page, baseUrl: string): Promise<string> {
  const refresh = await page.request.get(`${baseUrl}/api/auth/oidc/refresh?env=development`, {
    headers: { 'X-Requested-With': 'XMLHttpRequest' },
  });
  if (!refresh.ok()) {
    throw new Error(`no OIDC session in this browser context: ${refresh.status()} ${await refresh.text()}`);
  }
  return (await refresh.json()).backstageIdentity.token;
}
