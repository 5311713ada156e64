/**
 * Corporate sign-in for Catalyst: Keycloak (both topologies) and Entra ID through Backstage's own
 * authenticators, with Catalyst's sign-in resolver.
 *
 * @packageDocumentation
 */
export { authModuleCatalystProvider as default } from './module';
export { catalystSignInResolver } from './resolver';
export { idTokenClaims, oidcClaims } from './claims';
export { readEntraMapping, readKeycloakMapping } from './mapping';
