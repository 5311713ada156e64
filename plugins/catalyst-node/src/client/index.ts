export type { BlueprintListQuery, CatalystApiClient, CatalystRequestOptions } from './CatalystApiClient';
export { HttpCatalystApiClient } from './HttpCatalystApiClient';
export type { HttpCatalystApiClientOptions } from './HttpCatalystApiClient';
export { catalystIssuesOf } from './errors';
export { catalystApiClientServiceRef } from './serviceRef';
