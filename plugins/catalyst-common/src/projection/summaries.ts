import { z } from 'zod';
import {
  deploymentObjectSchema,
  gitRepositoryObjectSchema,
  helmReleaseObjectSchema,
  k8sConditionSchema,
  kustomizationObjectSchema,
  namespaceObjectSchema,
  podObjectSchema,
  replicaSetObjectSchema,
  serviceObjectSchema,
} from '../events/catalystEvent';
import { ConditionFacts } from '../status/deriveApplicationStatus';
import {
  ContainerSummary,
  DeploymentSummary,
  GitRepositorySummary,
  HelmReleaseSummary,
  KustomizationSummary,
  PodSummary,
  ReplicaSetSummary,
  ServiceSummary,
} from './state';

/** Labels Catalyst puts on what it renders (docs/contracts.md §2.1, §2.2). @public */
export const CATALYST_LABELS = {
  application: 'catalyst.openova.io/application',
  blueprint: 'catalyst.openova.io/blueprint',
  blueprintVersion: 'catalyst.openova.io/blueprint-version',
} as const;

type Condition = z.infer<typeof k8sConditionSchema>;

function condition(list: Condition[] | undefined, type: string): ConditionFacts | null {
  const found = list?.find(c => c.type === type);
  if (!found) return null;
  const out: ConditionFacts = { status: found.status };
  if (found.reason !== undefined) out.reason = found.reason;
  if (found.message !== undefined) out.message = found.message;
  if (found.lastTransitionTime !== undefined) out.lastTransitionTime = found.lastTransitionTime;
  return out;
}

/** Parses with the kind's schema; the envelope was already validated, so a failure means a wrong kind shape. */
function parse<T extends z.ZodType>(schema: T, object: unknown): z.infer<T> | null {
  const result = schema.safeParse(object);
  return result.success ? result.data : null;
}

export function deploymentSummary(object: unknown): DeploymentSummary | null {
  const d = parse(deploymentObjectSchema, object);
  if (!d) return null;
  const progressing = condition(d.status?.conditions, 'Progressing');
  return {
    name: d.metadata.name,
    resourceVersion: d.metadata.resourceVersion,
    generation: d.metadata.generation ?? null,
    observedGeneration: d.status?.observedGeneration ?? null,
    // Kubernetes defaults spec.replicas to 1.
    replicas: d.spec?.replicas ?? 1,
    currentReplicas: d.status?.replicas ?? 0,
    readyReplicas: d.status?.readyReplicas ?? 0,
    updatedReplicas: d.status?.updatedReplicas ?? 0,
    availableReplicas: d.status?.availableReplicas ?? 0,
    progressDeadlineExceeded:
      progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded'
        ? progressing.message ?? 'progress deadline exceeded'
        : null,
    version: d.metadata.labels?.[CATALYST_LABELS.blueprintVersion] ?? null,
  };
}

export function replicaSetSummary(object: unknown): ReplicaSetSummary | null {
  const r = parse(replicaSetObjectSchema, object);
  if (!r) return null;
  return {
    name: r.metadata.name,
    resourceVersion: r.metadata.resourceVersion,
    deployment: r.metadata.ownerReferences?.find(o => o.kind === 'Deployment')?.name ?? null,
    revision: r.metadata.annotations?.['deployment.kubernetes.io/revision'] ?? null,
    replicas: r.status?.replicas ?? 0,
    readyReplicas: r.status?.readyReplicas ?? 0,
  };
}

export function podSummary(object: unknown): PodSummary | null {
  const p = parse(podObjectSchema, object);
  if (!p) return null;
  const ready = condition(p.status?.conditions, 'Ready');
  const containers: ContainerSummary[] = [
    ...(p.status?.initContainerStatuses ?? []),
    ...(p.status?.containerStatuses ?? []),
  ].map(c => ({
    name: c.name,
    ready: c.ready ?? false,
    restartCount: c.restartCount ?? 0,
    waitingReason: c.state?.waiting?.reason ?? null,
    waitingMessage: c.state?.waiting?.message ?? null,
  }));
  return {
    name: p.metadata.name,
    resourceVersion: p.metadata.resourceVersion,
    phase: p.status?.phase ?? 'Pending',
    ready: ready?.status === 'True',
    readySince: ready?.status === 'True' ? ready.lastTransitionTime ?? null : null,
    terminating: p.metadata.deletionTimestamp !== undefined,
    replicaSet: p.metadata.ownerReferences?.find(o => o.kind === 'ReplicaSet')?.name ?? null,
    containers,
  };
}

export function serviceSummary(object: unknown): ServiceSummary | null {
  const s = parse(serviceObjectSchema, object);
  if (!s) return null;
  return {
    name: s.metadata.name,
    resourceVersion: s.metadata.resourceVersion,
    type: s.spec?.type ?? 'ClusterIP',
    clusterIP: s.spec?.clusterIP ?? null,
    ports: (s.spec?.ports ?? []).map(port => ({
      name: port.name ?? null,
      port: port.port,
      protocol: port.protocol ?? 'TCP',
    })),
  };
}

export function namespacePhase(object: unknown): { resourceVersion: string; phase: string } | null {
  const n = parse(namespaceObjectSchema, object);
  if (!n) return null;
  return { resourceVersion: n.metadata.resourceVersion, phase: n.status?.phase ?? 'Active' };
}

export function kustomizationSummary(object: unknown): KustomizationSummary | null {
  const k = parse(kustomizationObjectSchema, object);
  if (!k) return null;
  const labels = k.metadata.labels ?? {};
  return {
    name: k.metadata.name,
    namespace: k.metadata.namespace ?? 'flux-system',
    resourceVersion: k.metadata.resourceVersion,
    application: labels[CATALYST_LABELS.application] ?? null,
    blueprint: labels[CATALYST_LABELS.blueprint] ?? null,
    version: labels[CATALYST_LABELS.blueprintVersion] ?? null,
    generation: k.metadata.generation ?? null,
    observedGeneration: k.status?.observedGeneration ?? null,
    suspend: k.spec?.suspend ?? false,
    dependsOn: (k.spec?.dependsOn ?? []).map(d => d.name).sort(),
    ready: condition(k.status?.conditions, 'Ready'),
    lastAppliedRevision: k.status?.lastAppliedRevision ?? null,
    lastAttemptedRevision: k.status?.lastAttemptedRevision ?? null,
  };
}

export function helmReleaseSummary(object: unknown): HelmReleaseSummary | null {
  const h = parse(helmReleaseObjectSchema, object);
  if (!h) return null;
  return {
    name: h.metadata.name,
    namespace: h.metadata.namespace ?? h.metadata.name,
    resourceVersion: h.metadata.resourceVersion,
    suspend: h.spec?.suspend ?? false,
    ready: condition(h.status?.conditions, 'Ready'),
    lastAttemptedRevision: h.status?.lastAttemptedRevision ?? null,
  };
}

export function gitRepositorySummary(object: unknown): GitRepositorySummary | null {
  const g = parse(gitRepositoryObjectSchema, object);
  if (!g) return null;
  return {
    name: g.metadata.name,
    namespace: g.metadata.namespace ?? 'flux-system',
    resourceVersion: g.metadata.resourceVersion,
    ready: condition(g.status?.conditions, 'Ready'),
    revision: g.status?.artifact?.revision ?? null,
  };
}
