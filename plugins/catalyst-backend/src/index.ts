/**
 * The Catalyst backend plugin: controllers, projector, REST + SSE, Git, NATS and Kubernetes adapters.
 * The package's default export is the plugin; the modules for the permission, catalog and kubernetes
 * plugins are named exports added beside it in packages/backend.
 *
 * @packageDocumentation
 */
export { catalystPlugin as default } from './plugin';
export { catalystPermissionPolicyModule } from './access/permissionPolicyModule';
export { catalystCatalogModule } from './catalog/catalogModule';
export { catalystKubernetesClusterSupplierModule } from './readside';
