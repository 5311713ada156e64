import { CATALYST_EVENT_TYPES, CatalystEvent, EnvironmentState } from '@internal/plugin-catalyst-common';

/**
 * resourceVersions of one cluster compare as integers (etcd's and the devcluster's counters), the
 * projection's own assumption; anything else compares as text.
 */
function compareResourceVersions(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) {
    const x = BigInt(a);
    const y = BigInt(b);
    if (x === y) return 0;
    return x < y ? -1 : 1;
  }
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** The kinds the informers watch: workload kinds (k8s events) and Flux kinds (flux events). */
export type WatchedKind =
  | 'Namespace'
  | 'Deployment'
  | 'ReplicaSet'
  | 'Pod'
  | 'Service'
  | 'Kustomization'
  | 'HelmRelease'
  | 'GitRepository';

export const WORKLOAD_KINDS = ['Namespace', 'Deployment', 'ReplicaSet', 'Pod', 'Service'] as const;
export const FLUX_KINDS = ['Kustomization', 'HelmRelease', 'GitRepository'] as const;

type Json = Record<string, unknown>;

function record(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
}

/** Copies the listed fields that are present. */
function pick(source: unknown, fields: readonly string[]): Json | undefined {
  const from = record(source);
  if (!from) return undefined;
  const out: Json = {};
  for (const f of fields) if (from[f] !== undefined) out[f] = from[f];
  return out;
}

const CONDITION_FIELDS = ['type', 'status', 'reason', 'message', 'lastTransitionTime'] as const;
/** Annotations the projection reads; the rest (last-applied-configuration, …) can be large. */
const KEPT_ANNOTATIONS = ['deployment.kubernetes.io/revision'];

function conditions(value: unknown): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value
    .map(c => pick(c, CONDITION_FIELDS))
    .filter((c): c is Json => !!c && ['True', 'False', 'Unknown'].includes(String(c.status)));
}

function containerStatuses(value: unknown): Json[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.map(c => {
    const state = record(record(c)?.state);
    return {
      ...pick(c, ['name', 'ready', 'restartCount']),
      ...(state
        ? {
            state: {
              ...(state.waiting ? { waiting: pick(state.waiting, ['reason', 'message']) } : {}),
              ...(state.terminated ? { terminated: pick(state.terminated, ['reason']) } : {}),
            },
          }
        : {}),
    };
  });
}

function metadata(object: Json): Json {
  const meta = record(object.metadata) ?? {};
  const annotations = record(meta.annotations);
  const kept = annotations
    ? Object.fromEntries(KEPT_ANNOTATIONS.filter(a => typeof annotations[a] === 'string').map(a => [a, annotations[a]]))
    : {};
  const owners = Array.isArray(meta.ownerReferences)
    ? meta.ownerReferences.map(o => pick(o, ['kind', 'name'])).filter((o): o is Json => !!o)
    : undefined;
  return {
    ...pick(meta, ['name', 'namespace', 'uid', 'resourceVersion', 'generation', 'labels', 'deletionTimestamp']),
    ...(Object.keys(kept).length > 0 ? { annotations: kept } : {}),
    ...(owners && owners.length > 0 ? { ownerReferences: owners } : {}),
  };
}

const without = (o: Json): Json => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

/**
 * Keeps exactly what the projection's summaries read (see catalyst-common projection/summaries.ts),
 * so events stay small: no managedFields, no Flux inventories, no pod specs.
 */
export function trimObject(kind: WatchedKind, object: unknown): Json {
  const o = record(object) ?? {};
  const spec = record(o.spec);
  const status = record(o.status);
  let trimmedSpec: Json | undefined;
  let trimmedStatus: Json | undefined;
  switch (kind) {
    case 'Namespace':
      trimmedStatus = pick(status, ['phase']);
      break;
    case 'Deployment':
      trimmedSpec = pick(spec, ['replicas']);
      trimmedStatus = status && {
        ...pick(status, ['observedGeneration', 'replicas', 'readyReplicas', 'updatedReplicas', 'availableReplicas']),
        ...(status.conditions ? { conditions: conditions(status.conditions) } : {}),
      };
      break;
    case 'ReplicaSet':
      trimmedSpec = pick(spec, ['replicas']);
      trimmedStatus = pick(status, ['replicas', 'readyReplicas']);
      break;
    case 'Pod':
      trimmedStatus =
        status &&
        without({
          phase: status.phase,
          conditions: conditions(status.conditions),
          containerStatuses: containerStatuses(status.containerStatuses),
          initContainerStatuses: containerStatuses(status.initContainerStatuses),
        });
      break;
    case 'Service':
      trimmedSpec =
        spec &&
        without({
          type: spec.type,
          clusterIP: spec.clusterIP,
          ports: Array.isArray(spec.ports) ? spec.ports.map(p => pick(p, ['name', 'port', 'protocol'])) : undefined,
        });
      break;
    case 'Kustomization':
      trimmedSpec =
        spec &&
        without({
          suspend: spec.suspend,
          dependsOn: Array.isArray(spec.dependsOn)
            ? spec.dependsOn.map(d => pick(d, ['name', 'namespace']))
            : undefined,
        });
      trimmedStatus =
        status &&
        without({
          ...pick(status, ['observedGeneration', 'lastAppliedRevision', 'lastAttemptedRevision']),
          conditions: conditions(status.conditions),
        });
      break;
    case 'HelmRelease':
      trimmedSpec = pick(spec, ['suspend']);
      trimmedStatus =
        status &&
        without({
          ...pick(status, ['observedGeneration', 'lastAttemptedRevision']),
          conditions: conditions(status.conditions),
        });
      break;
    case 'GitRepository':
      trimmedStatus =
        status && without({ artifact: pick(status.artifact, ['revision']), conditions: conditions(status.conditions) });
      break;
    default:
      break;
  }
  return without({
    apiVersion: o.apiVersion,
    kind: o.kind ?? kind,
    metadata: metadata(o),
    spec: trimmedSpec,
    status: trimmedStatus,
  });
}

const FLUX_TYPES = {
  Kustomization: [CATALYST_EVENT_TYPES.fluxKustomizationStatus, CATALYST_EVENT_TYPES.fluxKustomizationDeleted],
  HelmRelease: [CATALYST_EVENT_TYPES.fluxHelmReleaseStatus, CATALYST_EVENT_TYPES.fluxHelmReleaseDeleted],
  GitRepository: [CATALYST_EVENT_TYPES.fluxGitRepositoryStatus, CATALYST_EVENT_TYPES.fluxGitRepositoryDeleted],
} as const;

/**
 * The event for one informer notification. Its id is (Environment, kind, uid, resourceVersion,
 * operation): a re-list after a restart produces the same ids, which JetStream drops as duplicates
 * within its window (and the projection ignores as stale after it).
 */
export function objectEvent(options: {
  environment: string;
  organization: string;
  kind: WatchedKind;
  object: unknown;
  deleted: boolean;
  time: string;
}): CatalystEvent {
  const { environment, organization, kind, deleted } = options;
  const object = trimObject(kind, options.object);
  const meta = record(object.metadata) ?? {};
  const namespace = typeof meta.namespace === 'string' ? meta.namespace : undefined;
  const name = String(meta.name ?? '');
  const identity = typeof meta.uid === 'string' && meta.uid ? meta.uid : `${namespace ?? '_'}/${name}`;
  const base = {
    id: `k8s/${environment}/${kind}/${identity}/${String(meta.resourceVersion ?? '')}/${
      deleted ? 'deleted' : 'upserted'
    }`,
    source: 'catalyst/informer',
    subject: namespace ? `${kind.toLowerCase()}/${namespace}/${name}` : `${kind.toLowerCase()}/${name}`,
    time: options.time,
    specversion: '1.0' as const,
    datacontenttype: 'application/json' as const,
    catalystorg: organization,
    catalystenv: environment,
  };
  if (kind === 'Kustomization' || kind === 'HelmRelease' || kind === 'GitRepository') {
    return { ...base, type: FLUX_TYPES[kind][deleted ? 1 : 0], data: { object } };
  }
  return {
    ...base,
    type: deleted ? CATALYST_EVENT_TYPES.k8sObjectDeleted : CATALYST_EVENT_TYPES.k8sObjectUpserted,
    data: { kind, object },
  };
}

/** An object the read model knows, as the informers' first list compares it. */
export interface KnownObject {
  namespace?: string;
  name: string;
  resourceVersion: string;
}

/** What the projected state holds of one kind (to find objects deleted while nobody watched). */
export function knownObjects(state: EnvironmentState, kind: WatchedKind): KnownObject[] {
  const out: KnownObject[] = [];
  switch (kind) {
    case 'Namespace':
      for (const ns of Object.values(state.namespaces)) {
        if (ns.namespace) out.push({ name: ns.name, resourceVersion: ns.namespace.resourceVersion });
      }
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'Pod':
    case 'Service': {
      const field = (
        { Deployment: 'deployments', ReplicaSet: 'replicaSets', Pod: 'pods', Service: 'services' } as const
      )[kind];
      for (const ns of Object.values(state.namespaces)) {
        for (const item of Object.values(ns[field]))
          out.push({ namespace: ns.name, name: item.name, resourceVersion: item.resourceVersion });
      }
      break;
    }
    case 'Kustomization':
      for (const k of Object.values(state.kustomizations))
        out.push({ namespace: k.namespace, name: k.name, resourceVersion: k.resourceVersion });
      break;
    case 'HelmRelease':
      for (const h of Object.values(state.helmReleases))
        out.push({ namespace: h.namespace, name: h.name, resourceVersion: h.resourceVersion });
      break;
    case 'GitRepository':
      for (const g of Object.values(state.gitRepositories))
        out.push({ namespace: g.namespace, name: g.name, resourceVersion: g.resourceVersion });
      break;
    default:
      break;
  }
  return out;
}

/**
 * Deletion events for objects the read model knows but a complete list (at `listResourceVersion`)
 * no longer has: they went while no informer watched (backend down). The deletion carries the
 * list's resourceVersion, which is newer than anything the object had.
 */
export function missingObjectEvents(options: {
  environment: string;
  organization: string;
  kind: WatchedKind;
  known: KnownObject[];
  listed: Array<{ metadata?: { name?: string; namespace?: string } }>;
  listResourceVersion: string;
  time: string;
}): CatalystEvent[] {
  const present = new Set(options.listed.map(o => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`));
  return options.known
    .filter(k => !present.has(`${k.namespace ?? ''}/${k.name}`))
    .filter(k => compareResourceVersions(k.resourceVersion, options.listResourceVersion) < 0)
    .map(k =>
      objectEvent({
        environment: options.environment,
        organization: options.organization,
        kind: options.kind,
        deleted: true,
        time: options.time,
        object: {
          metadata: {
            name: k.name,
            ...(k.namespace ? { namespace: k.namespace } : {}),
            resourceVersion: options.listResourceVersion,
          },
        },
      }),
    );
}
