/**
 * Catalyst for the scaffolder: the `catalyst:*` actions, calling the catalyst REST API as the user
 * who started the task. (The install Templates are the catalog module's:
 * `@internal/plugin-catalog-backend-module-catalyst`.)
 *
 * @packageDocumentation
 */
export { catalystScaffolderModule as default } from './module';
export * from './actions';
