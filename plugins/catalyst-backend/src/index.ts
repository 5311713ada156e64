/**
 * The Catalyst backend plugin: controllers, projector, REST + SSE, Git, NATS and Kubernetes adapters.
 * The package's default export is the plugin. Its modules for other plugins live in their own
 * packages (`@internal/plugin-catalog-backend-module-catalyst`,
 * `@internal/plugin-permission-backend-module-catalyst`,
 * `@internal/plugin-kubernetes-backend-module-catalyst`).
 *
 * @packageDocumentation
 */
export { catalystPlugin as default } from './plugin';
