import { JsonObject, KubeObject } from '../types';
import { deepEqual, ensureRecord, getRecord, isRecord } from '../util/json';
import { requirementsFromLabelSelector, matchesLabels } from './selectors';

export type AdmissionResult = { ok: true; object: KubeObject } | { ok: false; message: string };

const SUBDOMAIN_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_RE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_KEY_RE =
  /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE_RE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

// Kinds whose names must be DNS-1123 labels (no dots), as the API server checks.
const LABEL_NAMED_KINDS = new Set(['Namespace', 'Service']);
const POD_CONTROLLERS = new Set(['Deployment', 'ReplicaSet', 'StatefulSet', 'DaemonSet']);

/** Hands out Service cluster IPs deterministically, in order of creation. */
export class ServiceIpAllocator {
  private next = 10;
  allocate(): string {
    const n = this.next++;
    return `10.96.${Math.floor(n / 250)}.${n % 250}`;
  }
}

function invalid(object: KubeObject, field: string, value: unknown, why: string): AdmissionResult {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  const shown = typeof value === 'string' ? value : JSON.stringify(value);
  return {
    ok: false,
    message: `${object.kind}${group} "${object.metadata.name}" is invalid: ${field}: Invalid value: "${shown}": ${why}`,
  };
}

function required(object: KubeObject, field: string): AdmissionResult {
  const group = object.apiVersion.includes('/') ? `.${object.apiVersion.split('/')[0]}` : '';
  return {
    ok: false,
    message: `${object.kind}${group} "${object.metadata.name}" is invalid: ${field}: Required value`,
  };
}

function validateMetadata(object: KubeObject): AdmissionResult | undefined {
  const name = object.metadata.name;
  const labelNamed = LABEL_NAMED_KINDS.has(object.kind);
  if (
    typeof name !== 'string' ||
    !(labelNamed ? LABEL_RE : SUBDOMAIN_RE).test(name) ||
    name.length > (labelNamed ? 63 : 253)
  ) {
    return invalid(
      object,
      'metadata.name',
      name,
      labelNamed
        ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
        : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character",
    );
  }
  for (const [key, value] of Object.entries(object.metadata.labels ?? {})) {
    if (!LABEL_KEY_RE.test(key)) {
      return invalid(
        object,
        'metadata.labels',
        key,
        "name part must consist of alphanumeric characters, '-', '_' or '.'",
      );
    }
    if (typeof value !== 'string' || !LABEL_VALUE_RE.test(value) || value.length > 63) {
      return invalid(
        object,
        'metadata.labels',
        value,
        "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character",
      );
    }
  }
  return undefined;
}

function validatePodController(object: KubeObject, existing?: KubeObject): AdmissionResult | undefined {
  const spec = getRecord(object, ['spec']) ?? {};
  const replicas = spec.replicas;
  if (replicas !== undefined && (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0)) {
    return invalid(object, 'spec.replicas', replicas, 'must be a non-negative integer');
  }
  const selector = spec.selector;
  if (!isRecord(selector)) {
    return required(object, 'spec.selector');
  }
  const templateLabels = getRecord(spec, ['template', 'metadata', 'labels']) ?? {};
  const requirements = requirementsFromLabelSelector(selector);
  if (requirements.length === 0 || !matchesLabels(templateLabels as Record<string, string>, requirements)) {
    return invalid(
      object,
      'spec.template.metadata.labels',
      templateLabels,
      '`selector` does not match template `labels`',
    );
  }
  if (existing && object.kind !== 'ReplicaSet' && !deepEqual(getRecord(existing, ['spec'])?.selector, selector)) {
    return invalid(object, 'spec.selector', selector, 'field is immutable');
  }
  const containers = getRecord(spec, ['template', 'spec'])?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    return required(object, 'spec.template.spec.containers');
  }
  for (const [i, container] of containers.entries()) {
    if (!isRecord(container) || typeof container.name !== 'string' || container.name === '') {
      return required(object, `spec.template.spec.containers[${i}].name`);
    }
    if (!LABEL_RE.test(container.name)) {
      return invalid(
        object,
        `spec.template.spec.containers[${i}].name`,
        container.name,
        "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character",
      );
    }
    if (typeof container.image !== 'string' || container.image.trim() === '') {
      return required(object, `spec.template.spec.containers[${i}].image`);
    }
  }
  return undefined;
}

function defaultSpec(object: KubeObject, defaults: JsonObject) {
  const spec = ensureRecord(object, ['spec']);
  for (const [key, value] of Object.entries(defaults)) {
    if (spec[key] === undefined) spec[key] = value;
  }
}

/**
 * What the API server does to a write besides storing it: validation that
 * real clusters would reject with (the messages follow theirs), defaulting
 * of the fields clients read (`spec.replicas`, strategies, Service ports) and
 * cluster IP allocation. `existing` is the stored object, if any.
 */
export function admit(
  input: KubeObject,
  existing: KubeObject | undefined,
  serviceIps: ServiceIpAllocator,
): AdmissionResult {
  const object = structuredClone(input);
  const metadataProblem = validateMetadata(object);
  if (metadataProblem) return metadataProblem;

  if (POD_CONTROLLERS.has(object.kind)) {
    const problem = validatePodController(object, existing);
    if (problem) return problem;
  }

  switch (object.kind) {
    case 'Namespace':
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      defaultSpec(object, { finalizers: ['kubernetes'] });
      object.status = { phase: 'Active' };
      break;
    case 'Deployment':
      defaultSpec(object, {
        replicas: 1,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      });
      break;
    case 'StatefulSet':
      defaultSpec(object, {
        replicas: 1,
        podManagementPolicy: 'OrderedReady',
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
        revisionHistoryLimit: 10,
      });
      break;
    case 'DaemonSet':
      defaultSpec(object, {
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
      });
      break;
    case 'Service':
      defaultService(object, existing, serviceIps);
      break;
    default:
      break;
  }
  return { ok: true, object };
}

function defaultService(object: KubeObject, existing: KubeObject | undefined, serviceIps: ServiceIpAllocator) {
  const spec = ensureRecord(object, ['spec']);
  spec.type ??= 'ClusterIP';
  spec.sessionAffinity ??= 'None';
  if (Array.isArray(spec.ports)) {
    spec.ports = spec.ports.map(port =>
      isRecord(port) ? { protocol: 'TCP', ...port, targetPort: port.targetPort ?? port.port } : port,
    );
  }
  if (spec.type === 'ExternalName') return;
  // The cluster IP belongs to the API server: keep the allocated one across applies.
  const allocated = getRecord(existing, ['spec'])?.clusterIP;
  if (spec.clusterIP === undefined || spec.clusterIP === '') {
    spec.clusterIP = typeof allocated === 'string' ? allocated : serviceIps.allocate();
  }
  spec.clusterIPs = [spec.clusterIP];
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
  spec.internalTrafficPolicy ??= 'Cluster';
  object.status = existing?.status ?? { loadBalancer: {} };
}
