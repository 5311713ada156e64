/**
 * A local OpenID Connect provider standing in for Keycloak in Catalyst's embedded default:
 * Keycloak's URL layout and claim shapes, realm `catalyst` plus one realm per Organization, users
 * from a JSON file. Development and tests only; not a real identity provider.
 *
 * @packageDocumentation
 */
export {
  startIdentityProvider,
  DEFAULT_IDP_PORT,
  DEFAULT_CLIENT_SECRET,
  DEFAULT_PORTAL_URL,
} from './startIdentityProvider';
export type { IdentityProvider, IdentityProviderOptions } from './startIdentityProvider';
export { CLIENT_ID } from './createRealmProvider';
export { SHARED_REALM, claimsFor, realmsFor } from './realms';
export type { Realm } from './realms';
export { DEMO_USERS } from './users/demoUsers';
export type { DemoUser } from './users/demoUsers';
export type { IdpUser, CatalystRole } from './users/types';
export { hashPassword } from './users/passwords';
export { runIdentityProviderCli, parseIdpArgs } from './cli';
export type { IdpCliIo } from './cli';
export type { IdpLogger } from './logger';
