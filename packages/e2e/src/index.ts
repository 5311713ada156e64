export { startPortal, tempDataDir } from './portal';
export type { RunningPortal } from './portal';
export { launchBrowser, signInAsGuest } from './browser';
export { waitUntil } from './waitUntil';
