export { startPortal, tempDataDir } from './portal';
export type { RunningPortal } from './portal';
export { launchBrowser, sessionToken, signInAs, signInAsGuest } from './browser';
export { waitUntil } from './waitUntil';
