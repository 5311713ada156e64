import { JsonObject, KubeObject } from '../../types';
import { ensureRecord, getRecord, isRecord } from '../../util/json';
import { groupOf, isNamespacedKind } from '../../store/resources';
import { matchesLabels, parseLabelSelector } from '../../store/selectors';
import { BuildResource, ImageEntry, PatchTarget } from './types';

const WORKLOADS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'ReplicationController', 'Job']);

type FieldPath = { path: string[]; create: boolean };

/** Where labels go, following kustomize's commonLabels / labels field specs. */
function labelPaths(kind: string, selectors: boolean, templates: boolean): FieldPath[] {
  const paths: FieldPath[] = [];
  if (selectors) {
    if (kind === 'Service' || kind === 'ReplicationController')
      paths.push({ path: ['spec', 'selector'], create: false });
    if (['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].includes(kind)) {
      paths.push({ path: ['spec', 'selector', 'matchLabels'], create: true });
    }
    if (kind === 'Job') paths.push({ path: ['spec', 'selector', 'matchLabels'], create: false });
    if (kind === 'CronJob')
      paths.push({ path: ['spec', 'jobTemplate', 'spec', 'selector', 'matchLabels'], create: false });
    if (kind === 'PodDisruptionBudget') paths.push({ path: ['spec', 'selector', 'matchLabels'], create: false });
    if (kind === 'NetworkPolicy') paths.push({ path: ['spec', 'podSelector', 'matchLabels'], create: false });
  }
  if (selectors || templates) {
    if (WORKLOADS.has(kind)) paths.push({ path: ['spec', 'template', 'metadata', 'labels'], create: true });
    if (kind === 'CronJob') {
      paths.push({ path: ['spec', 'jobTemplate', 'metadata', 'labels'], create: true });
      paths.push({ path: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'labels'], create: true });
    }
  }
  return paths;
}

function mergeAt(object: KubeObject, field: FieldPath, values: Record<string, string>) {
  const existing = getRecord(object, field.path);
  if (!existing && !field.create) return;
  Object.assign(existing ?? ensureRecord(object, field.path), values);
}

/** kustomize `labels` / `commonLabels` (commonLabels = includeSelectors: true). */
export function addLabels(
  resources: BuildResource[],
  pairs: Record<string, string>,
  options: { selectors: boolean; templates: boolean },
) {
  const values = Object.fromEntries(Object.entries(pairs).map(([k, v]) => [k, String(v)]));
  for (const { object } of resources) {
    object.metadata.labels = { ...object.metadata.labels, ...values };
    for (const field of labelPaths(object.kind, options.selectors, options.templates)) {
      mergeAt(object, field, values);
    }
    if (options.selectors && object.kind === 'StatefulSet') {
      const templates = getRecord(object, ['spec'])?.volumeClaimTemplates;
      if (Array.isArray(templates)) {
        for (const claim of templates) {
          if (isRecord(claim)) {
            const meta = ensureRecord(claim, ['metadata']);
            meta.labels = { ...(isRecord(meta.labels) ? meta.labels : {}), ...values };
          }
        }
      }
    }
  }
}

/** kustomize `commonAnnotations`: metadata and pod templates. */
export function addAnnotations(resources: BuildResource[], annotations: Record<string, string>) {
  const values = Object.fromEntries(Object.entries(annotations).map(([k, v]) => [k, String(v)]));
  for (const { object } of resources) {
    object.metadata.annotations = { ...object.metadata.annotations, ...values };
    if (WORKLOADS.has(object.kind)) {
      mergeAt(object, { path: ['spec', 'template', 'metadata', 'annotations'], create: true }, values);
    }
    if (object.kind === 'CronJob') {
      mergeAt(
        object,
        { path: ['spec', 'jobTemplate', 'spec', 'template', 'metadata', 'annotations'], create: true },
        values,
      );
    }
  }
}

/** kustomize `namespace` (and Flux's targetNamespace): every namespaced object moves there. */
export function setNamespace(resources: BuildResource[], namespace: string) {
  for (const { object } of resources) {
    if (!isNamespacedKind(object.kind)) {
      if (object.kind === 'ClusterRoleBinding') retargetSubjects(object, namespace);
      continue;
    }
    const previous = object.metadata.namespace;
    object.metadata.namespace = namespace;
    if (object.kind === 'RoleBinding') retargetSubjects(object, namespace, previous);
  }
}

function retargetSubjects(binding: KubeObject, namespace: string, previous?: string) {
  const subjects = binding.subjects;
  if (!Array.isArray(subjects)) return;
  for (const subject of subjects) {
    if (
      isRecord(subject) &&
      subject.kind === 'ServiceAccount' &&
      (subject.namespace === undefined || subject.namespace === previous)
    ) {
      subject.namespace = namespace;
    }
  }
}

/** kustomize `namePrefix` / `nameSuffix` (Namespaces and CRDs keep their names). */
export function addNameAffixes(resources: BuildResource[], prefix = '', suffix = '') {
  if (!prefix && !suffix) return;
  for (const { object } of resources) {
    if (object.kind === 'Namespace' || object.kind === 'CustomResourceDefinition') continue;
    object.metadata.name = `${prefix}${object.metadata.name}${suffix}`;
  }
}

function splitImage(image: string): { name: string; tag?: string; digest?: string } {
  const [withoutDigest, digest] = image.split('@');
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) {
    return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1), digest };
  }
  return { name: withoutDigest, digest };
}

function rewriteImage(image: string, entry: ImageEntry): string {
  const parts = splitImage(image);
  const name = entry.newName ?? parts.name;
  if (entry.digest) return `${name}@${entry.digest}`;
  if (entry.newTag !== undefined) return `${name}:${String(entry.newTag)}`;
  if (parts.digest) return `${name}${parts.tag ? `:${parts.tag}` : ''}@${parts.digest}`;
  return parts.tag ? `${name}:${parts.tag}` : name;
}

function visitContainers(value: unknown, visit: (container: JsonObject) => void) {
  if (Array.isArray(value)) {
    value.forEach(v => visitContainers(v, visit));
    return;
  }
  if (!isRecord(value)) return;
  for (const [key, child] of Object.entries(value)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
      child.filter(isRecord).forEach(visit);
    } else {
      visitContainers(child, visit);
    }
  }
}

/** kustomize `images`: rewrites name, tag or digest of matching container images anywhere in the object. */
export function setImages(resources: BuildResource[], images: ImageEntry[]) {
  for (const { object } of resources) {
    visitContainers(object, container => {
      if (typeof container.image !== 'string') return;
      const entry = images.find(i => splitImage(container.image as string).name === i.name);
      if (entry) container.image = rewriteImage(container.image, entry);
    });
  }
}

/** kustomize `replicas`. */
export function setReplicas(resources: BuildResource[], replicas: Array<{ name: string; count: number }>) {
  for (const { object } of resources) {
    if (!['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(object.kind)) continue;
    const entry = replicas.find(r => r.name === object.metadata.name);
    if (entry) ensureRecord(object, ['spec']).replicas = Number(entry.count);
  }
}

function fullMatch(pattern: string, value: string | undefined): boolean {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value ?? '');
  } catch {
    return pattern === value;
  }
}

/** Resources a patch `target` selects (names and namespaces are regular expressions, as in kustomize). */
export function selectTargets(resources: BuildResource[], target: PatchTarget): BuildResource[] {
  const labels = target.labelSelector ? parseLabelSelector(target.labelSelector) : undefined;
  const annotations = target.annotationSelector ? parseLabelSelector(target.annotationSelector) : undefined;
  return resources.filter(({ object, originName }) => {
    const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
    if (target.kind !== undefined && !fullMatch(target.kind, object.kind)) return false;
    if (target.group !== undefined && !fullMatch(target.group, group)) return false;
    if (target.version !== undefined && !fullMatch(target.version, version)) return false;
    if (
      target.name !== undefined &&
      !fullMatch(target.name, object.metadata.name) &&
      !fullMatch(target.name, originName)
    )
      return false;
    if (target.namespace !== undefined && !fullMatch(target.namespace, object.metadata.namespace)) return false;
    if (labels && (!labels.ok || !matchesLabels(object.metadata.labels, labels.value))) return false;
    if (annotations && (!annotations.ok || !matchesLabels(object.metadata.annotations, annotations.value)))
      return false;
    return true;
  });
}

type Referrer = { kinds: string[] | '*'; paths: string[][] };

// Where objects refer to ConfigMaps, Secrets, Services and ServiceAccounts
// by name, so renames (prefixes, hash suffixes) follow, like kustomize's
// name reference transformer. `[]` in a path walks a list.
const POD_SPECS = [['spec', 'template', 'spec'], ['spec', 'jobTemplate', 'spec', 'template', 'spec'], ['spec']];
const CONTAINER_LISTS = ['containers', 'initContainers'];

function podPaths(tails: string[][], containers: boolean): string[][] {
  const out: string[][] = [];
  for (const pod of POD_SPECS) {
    if (containers) {
      for (const list of CONTAINER_LISTS) for (const tail of tails) out.push([...pod, list, '[]', ...tail]);
    } else {
      for (const tail of tails) out.push([...pod, ...tail]);
    }
  }
  return out;
}

const NAME_REFERENCES: Record<string, Referrer[]> = {
  ConfigMap: [
    {
      kinds: '*',
      paths: podPaths(
        [
          ['volumes', '[]', 'configMap', 'name'],
          ['volumes', '[]', 'projected', 'sources', '[]', 'configMap', 'name'],
        ],
        false,
      ),
    },
    {
      kinds: '*',
      paths: podPaths(
        [
          ['env', '[]', 'valueFrom', 'configMapKeyRef', 'name'],
          ['envFrom', '[]', 'configMapRef', 'name'],
        ],
        true,
      ),
    },
  ],
  Secret: [
    {
      kinds: '*',
      paths: podPaths(
        [
          ['volumes', '[]', 'secret', 'secretName'],
          ['volumes', '[]', 'projected', 'sources', '[]', 'secret', 'name'],
          ['imagePullSecrets', '[]', 'name'],
        ],
        false,
      ),
    },
    {
      kinds: '*',
      paths: podPaths(
        [
          ['env', '[]', 'valueFrom', 'secretKeyRef', 'name'],
          ['envFrom', '[]', 'secretRef', 'name'],
        ],
        true,
      ),
    },
    { kinds: ['Ingress'], paths: [['spec', 'tls', '[]', 'secretName']] },
  ],
  Service: [
    {
      kinds: ['Ingress'],
      paths: [
        ['spec', 'rules', '[]', 'http', 'paths', '[]', 'backend', 'service', 'name'],
        ['spec', 'defaultBackend', 'service', 'name'],
      ],
    },
    { kinds: ['StatefulSet'], paths: [['spec', 'serviceName']] },
  ],
  ServiceAccount: [
    { kinds: '*', paths: podPaths([['serviceAccountName']], false) },
    { kinds: ['RoleBinding', 'ClusterRoleBinding'], paths: [['subjects', '[]', 'name']] },
  ],
  Deployment: [{ kinds: ['HorizontalPodAutoscaler'], paths: [['spec', 'scaleTargetRef', 'name']] }],
  StatefulSet: [{ kinds: ['HorizontalPodAutoscaler'], paths: [['spec', 'scaleTargetRef', 'name']] }],
};

function rewriteAt(value: unknown, path: string[], rename: (name: string) => string | undefined) {
  if (path.length === 0) return;
  const [head, ...rest] = path;
  if (head === '[]') {
    if (Array.isArray(value)) value.forEach(item => rewriteAt(item, rest, rename));
    return;
  }
  if (!isRecord(value)) return;
  if (rest.length === 0) {
    if (typeof value[head] === 'string') {
      const renamed = rename(value[head] as string);
      if (renamed !== undefined) value[head] = renamed;
    }
    return;
  }
  rewriteAt(value[head], rest, rename);
}

/** Points references at renamed objects (after prefixes, suffixes and generator hashes). */
export function fixNameReferences(resources: BuildResource[]) {
  for (const [kind, referrers] of Object.entries(NAME_REFERENCES)) {
    const renamed = resources.filter(r => r.object.kind === kind && r.object.metadata.name !== r.originName);
    if (renamed.length === 0) continue;
    for (const { object } of resources) {
      for (const referrer of referrers) {
        if (referrer.kinds !== '*' && !referrer.kinds.includes(object.kind)) continue;
        const rename = (name: string) => {
          const target =
            renamed.find(r => r.originName === name && r.object.metadata.namespace === object.metadata.namespace) ??
            renamed.find(r => r.originName === name);
          return target?.object.metadata.name;
        };
        for (const path of referrer.paths) rewriteAt(object, path, rename);
      }
    }
  }
}

/** The id kustomize uses for duplicate detection and messages, e.g. `Deployment.v1.apps/web.[noNs]`. */
export function resourceId(object: KubeObject): string {
  const group = groupOf(object.apiVersion);
  const version = object.apiVersion.split('/').pop();
  return `${object.kind}.${version}${group ? `.${group}` : ''}/${object.metadata.name}.${
    object.metadata.namespace ?? '[noNs]'
  }`;
}
