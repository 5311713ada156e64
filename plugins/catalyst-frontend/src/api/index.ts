export { catalystApiRef } from './CatalystApi';
export type { CatalystApi } from './CatalystApi';
export { CatalystClient } from './CatalystClient';
