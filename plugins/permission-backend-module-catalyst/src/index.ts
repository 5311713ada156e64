/**
 * The permission backend's policy for Catalyst: `catalyst.*` permissions decided from role grants,
 * scoped by Organization and Environment, and Organization isolation in the catalog.
 *
 * @packageDocumentation
 */
export { catalystPermissionPolicyModule as default } from './module';
export { CatalystPermissionPolicy } from './CatalystPermissionPolicy';
