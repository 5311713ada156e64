export { clustersForEnvironment, devclusterClusterName, kubernetesClusterNameFor } from './clusters';
export type { CatalystClusterConfig, EnvironmentClusterTarget } from './clusters';
