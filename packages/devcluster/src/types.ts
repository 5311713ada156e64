/**
 * A JSON object as found in Kubernetes manifests. Manifests are arbitrary
 * user data, so fields are `unknown` and read through the helpers in
 * `util/json.ts`; typed views (Deployment, Pod, …) live beside their controllers.
 */
export type JsonObject = { [key: string]: unknown };

/** Object metadata the devcluster reads and writes. */
export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

/** Any Kubernetes object held by the devcluster. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/** Time source; injectable so tests can drive pod readiness and timeouts. */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/**
 * The devcluster's logging port. It is deliberately tiny so that the CLI, a
 * Backstage LoggerService or a test can provide it.
 */
export interface DevClusterLogger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export const silentLogger: DevClusterLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
