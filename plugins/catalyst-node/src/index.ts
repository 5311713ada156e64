/**
 * Node library for Catalyst: ports and service refs shared by the catalyst backend plugin and the
 * catalyst scaffolder module.
 *
 * @packageDocumentation
 */
export * from './events';
export * from './access';
export * from './client';
export * from './config';
export * from './permissionRules';
export * from './git/gitHttpBackend';
