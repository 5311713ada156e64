/**
 * The embedded Catalyst portal launcher (`npm start`).
 *
 * @packageDocumentation
 */
export { runPortal } from './main';
export { runCluster } from './cluster/runCluster';
export { startCluster } from './cluster/startCluster';
export type { RunningCluster, StartClusterOptions } from './cluster/startCluster';
export { readClusterSettings } from './cluster/clusterSettings';
export type { ClusterSettings } from './cluster/clusterSettings';
export { backendEnv } from './parts';
export { prepareDataDir, DATA_DIR_FORMAT, DATA_DIR_PARTS, MARKER_FILE } from './dataDir';
export { assertPortFree } from './ports';
export { readSettings } from './settings';
export type { PortalSettings } from './settings';
export { PortalError } from './PortalError';
