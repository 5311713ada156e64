/**
 * {@link CatalystApi} over the app's DiscoveryApi and FetchApi: catalyst-common's isomorphic client,
 * which validates every answer against the API's schemas.
 *
 * @public
 */
export { CatalystClient } from '@internal/plugin-catalyst-common';
