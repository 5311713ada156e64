/**
 * The kubernetes plugin's Catalyst module: the clusters of `catalyst.clusters`, named like the read
 * side's informers and the catalog name them, for the Environments of the catalyst plugin's registry.
 *
 * @packageDocumentation
 */
export { kubernetesModuleCatalyst as default } from './module';
export { CatalystClusterSupplier, DEVCLUSTER_TOKEN } from './CatalystClusterSupplier';
