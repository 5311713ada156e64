/**
 * Dimension codes of the naming convention (reference §2.1). Organization slugs may not equal any of
 * them, because cluster, namespace and location names are built by joining these codes.
 */

/** @public */
export const ENV_TYPES = ['prod', 'stg', 'uat', 'dev', 'poc'] as const;
/** @public */
export type EnvType = (typeof ENV_TYPES)[number];

/** @public */
export const BUILDING_BLOCKS = ['rtz', 'dmz', 'mgt'] as const;
/** @public */
export type BuildingBlock = (typeof BUILDING_BLOCKS)[number];

/** Provider name → [2/3-char code, 1-char code]. @public */
export const PROVIDER_CODES = {
  hetzner: ['hz', 'h'],
  huawei: ['hw', 'w'],
  oci: ['oci', 'o'],
  aws: ['aws', 'a'],
  gcp: ['gcp', 'g'],
  azure: ['az', 'z'],
  contabo: ['ct', 'c'],
} as const;
/** @public */
export type ProviderName = keyof typeof PROVIDER_CODES;
/** @public */
export const PROVIDERS = Object.keys(PROVIDER_CODES) as ProviderName[];

/** Region code → 1-char code, per provider (reference §2.1). @public */
export const REGION_CODES: Record<ProviderName, Record<string, string>> = {
  hetzner: { fsn: 'f', nbg: 'n', hel: 'l', ash: 'a', hil: 'i', sin: 's' },
  huawei: { apse: 'p', cnn: 'c', las: 'q', mer: 'r' },
  oci: { dxb: 'x', fra: 'r', sg: 'g', iad: 'd', syd: 'y' },
  aws: {},
  gcp: {},
  azure: {},
  contabo: { eu: 'e' },
};

const ENV_TYPE_SHORT = ['p', 's', 'u', 'd', 'c'];
const BUILDING_BLOCK_SHORT = ['r', 'd', 'm'];

/** Every provider/region/building-block/env-type code, long and short forms. @public */
export const DIMENSION_CODES: ReadonlySet<string> = new Set<string>([
  ...Object.values(PROVIDER_CODES).flat(),
  ...Object.values(REGION_CODES).flatMap(r => [...Object.keys(r), ...Object.values(r)]),
  ...BUILDING_BLOCKS,
  ...BUILDING_BLOCK_SHORT,
  ...ENV_TYPES,
  ...ENV_TYPE_SHORT,
]);

/**
 * Words an Organization may not be called: platform components and namespaces that share the
 * host cluster's namespace space with `{org}` (the per-Org namespace), plus every dimension code.
 *
 * @public
 */
export const RESERVED_ORGANIZATION_NAMES: ReadonlySet<string> = new Set<string>([
  'system',
  'flux',
  'flux-system',
  'crossplane',
  'crossplane-system',
  'catalyst',
  'catalyst-system',
  'gitea',
  'default',
  'kube',
  ...DIMENSION_CODES,
]);

/** Prefixes reserved for Kubernetes and Catalyst control-plane namespaces (`catalyst-{component}`). @public */
export const RESERVED_ORGANIZATION_PREFIXES: readonly string[] = ['kube-', 'catalyst-'];

/** Application names become namespaces inside the vcluster; these already exist there. @public */
export const RESERVED_APPLICATION_NAMES: ReadonlySet<string> = new Set<string>(['default', 'flux-system']);
/** @public */
export const RESERVED_APPLICATION_PREFIXES: readonly string[] = ['kube-'];
