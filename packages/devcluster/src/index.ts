/**
 * devcluster: a development stand-in for a Kubernetes cluster with Flux.
 * Serves the Kubernetes list/watch API per Environment and applies the
 * Environment repos the way Flux would. Not a real cluster; for development
 * and tests only.
 *
 * @packageDocumentation
 */

export { startDevCluster } from './startDevCluster';
export type { DevCluster, DevClusterOptions } from './startDevCluster';
export { devClusterName } from './EnvironmentCluster';
export { runDevClusterCli, parseDevClusterArgs } from './cli';
export type { DevClusterCliIo } from './cli';
export { READY_DELAY_ANNOTATION } from './workloads/common';
export type { Clock, DevClusterLogger, KubeObject } from './types';
