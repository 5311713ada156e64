import { stringify } from 'yaml';

/**
 * Builders for the seed Blueprints' Kubernetes manifests. Blueprints are plain Kustomize bases with
 * Flux post-build variables (`${app_name}`, `${replicas}` …, docs/contracts.md §3); overlays are
 * Kustomize Components that set resources per size.
 */

export type Doc = Record<string, unknown>;

export function toYaml(...docs: Doc[]): string {
  return docs.map(d => stringify(d, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

const commonLabels = (component: string) => ({
  'app.kubernetes.io/name': '${app_name}',
  'app.kubernetes.io/component': component,
  'app.kubernetes.io/part-of': '${app_name}',
});

export interface ContainerSpec {
  component: string;
  image: string;
  port: number;
  portName?: string;
  env?: Array<{ name: string; value: string }>;
  envFromConfigMap?: string;
  args?: string[];
  readinessPath?: string;
  volumeMounts?: Array<{ name: string; mountPath: string }>;
  volumes?: Doc[];
  /** A number, or a `${var}` placeholder that Flux substitutes before the YAML is parsed. */
  replicas?: string | number;
}

export function deployment(spec: ContainerSpec): Doc {
  const portName = spec.portName ?? 'http';
  const probe = spec.readinessPath
    ? { httpGet: { path: spec.readinessPath, port: portName } }
    : { tcpSocket: { port: portName } };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: spec.component, labels: commonLabels(spec.component) },
    spec: {
      replicas: spec.replicas ?? '${replicas:=1}',
      selector: {
        matchLabels: { 'app.kubernetes.io/name': '${app_name}', 'app.kubernetes.io/component': spec.component },
      },
      template: {
        metadata: { labels: commonLabels(spec.component) },
        spec: {
          securityContext: { runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } },
          containers: [
            {
              name: spec.component,
              image: spec.image,
              ...(spec.args ? { args: spec.args } : {}),
              ports: [{ name: portName, containerPort: spec.port }],
              ...(spec.env ? { env: spec.env } : {}),
              ...(spec.envFromConfigMap ? { envFrom: [{ configMapRef: { name: spec.envFromConfigMap } }] } : {}),
              readinessProbe: { ...probe, periodSeconds: 5 },
              livenessProbe: { ...probe, periodSeconds: 20 },
              resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
              securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
              ...(spec.volumeMounts ? { volumeMounts: spec.volumeMounts } : {}),
            },
          ],
          ...(spec.volumes ? { volumes: spec.volumes } : {}),
        },
      },
    },
  };
}

export function service(component: string, port: number, portName = 'http'): Doc {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: component, labels: commonLabels(component) },
    spec: {
      selector: { 'app.kubernetes.io/name': '${app_name}', 'app.kubernetes.io/component': component },
      ports: [{ name: portName, port, targetPort: portName }],
    },
  };
}

export function configMap(name: string, data: Record<string, string>): Doc {
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, labels: commonLabels('config') }, data };
}

export function pvc(name: string, size: string): Doc {
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: { name, labels: commonLabels('storage') },
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
  };
}

export function ingress(component: string, port: string): Doc {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: component, labels: commonLabels(component) },
    spec: {
      rules: [
        {
          host: '${domain}',
          http: {
            paths: [{ path: '/', pathType: 'Prefix', backend: { service: { name: component, port: { name: port } } } }],
          },
        },
      ],
    },
  };
}

export type Size = 'small' | 'medium' | 'large';
export type Resources = Record<Size, { cpu: string; memory: string; limit: string }>;

/** The base kustomization plus one Component per size that patches the main container's resources. */
export function kustomizeFiles(
  base: Record<string, Doc[]>,
  component: string,
  resources: Resources,
): Record<string, string> {
  const files: Record<string, string> = {};
  for (const [file, docs] of Object.entries(base)) files[`manifests/base/${file}`] = toYaml(...docs);
  files['manifests/base/kustomization.yaml'] = toYaml({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    resources: Object.keys(base).sort(),
  });
  for (const size of ['small', 'medium', 'large'] as const) {
    const r = resources[size];
    files[`manifests/overlays/${size}/kustomization.yaml`] = toYaml({
      apiVersion: 'kustomize.config.k8s.io/v1alpha1',
      kind: 'Component',
      patches: [
        {
          target: { kind: 'Deployment', name: component },
          patch: toYaml({
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            metadata: { name: component },
            spec: {
              template: {
                spec: {
                  containers: [
                    {
                      name: component,
                      resources: { requests: { cpu: r.cpu, memory: r.memory }, limits: { memory: r.limit } },
                    },
                  ],
                },
              },
            },
          }),
        },
      ],
    });
  }
  return files;
}
