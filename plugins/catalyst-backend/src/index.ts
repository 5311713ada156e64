/**
 * The Catalyst backend plugin: controllers, projector, REST + SSE, Git, NATS and Kubernetes adapters.
 * The package's default export is the plugin. Its modules for other plugins live in their own
 * packages (`@internal/plugin-catalog-backend-module-catalyst`,
 * `@internal/plugin-permission-backend-module-catalyst`); the kubernetes cluster supplier is a named
 * export here until it moves likewise.
 *
 * @packageDocumentation
 */
export { catalystPlugin as default } from './plugin';
export { catalystKubernetesClusterSupplierModule } from './readside';
