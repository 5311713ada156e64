export { CatalystSignInPage } from './CatalystSignInPage';
export { catalystAuthApiRef, CatalystAuthClient } from './CatalystAuthApi';
export type { CatalystAuthApi, CatalystSignInAuthApi } from './CatalystAuthApi';
