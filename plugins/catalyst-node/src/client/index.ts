export { createCatalystBackendClient } from './CatalystBackendClient';
export type { CatalystBackendClient } from './CatalystBackendClient';
export { typedError } from './errors';
export { catalystApiClientServiceRef } from './serviceRef';
