import { stringify } from 'yaml';

export interface AppFixture {
  app: string;
  environment: string;
  dependsOn?: string[];
  image?: string;
  overlay?: 'small' | 'medium' | 'large';
  values?: Record<string, string>;
  timeout?: string;
  wait?: boolean;
  suspend?: boolean;
}

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

export function gotkSync(): string {
  return [
    yaml({
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'environment', namespace: 'flux-system' },
      spec: { interval: '1m', ref: { branch: 'main' }, url: 'https://git.example.invalid/acme/acme-dev.git' },
    }),
    yaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'applications', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        path: './flux-system/applications',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'environment' },
      },
    }),
  ].join('---\n');
}

/** A small Kustomize Blueprint: Deployment + Service, a `medium` Component overlay. */
export function blueprintFiles(prefix: string): Record<string, string> {
  return {
    [`${prefix}/base/kustomization.yaml`]: yaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml', 'service.yaml'],
    }),
    [`${prefix}/base/deployment.yaml`]: [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: ${app_name}',
      '  labels:',
      '    app.kubernetes.io/name: web',
      'spec:',
      '  replicas: ${replicas:=1}',
      '  selector:',
      '    matchLabels:',
      '      app.kubernetes.io/name: web',
      '  template:',
      '    metadata:',
      '      labels:',
      '        app.kubernetes.io/name: web',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: ${image:=nginx:1.27}',
      '          ports:',
      '            - containerPort: 8080',
      '          resources:',
      '            requests:',
      '              cpu: 50m',
      '',
    ].join('\n'),
    [`${prefix}/base/service.yaml`]: [
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: ${app_name}',
      'spec:',
      '  selector:',
      '    app.kubernetes.io/name: web',
      '  ports:',
      '    - port: 80',
      '      targetPort: 8080',
      '',
    ].join('\n'),
    [`${prefix}/overlays/medium/kustomization.yaml`]: [
      'apiVersion: kustomize.config.k8s.io/v1alpha1',
      'kind: Component',
      'patches:',
      '  - target:',
      '      kind: Deployment',
      '    patch: |',
      '      - op: replace',
      '        path: /spec/replicas',
      '        value: ${replicas:=2}',
      '  - patch: |',
      '      apiVersion: apps/v1',
      '      kind: Deployment',
      '      metadata:',
      '        name: ${app_name}',
      '      spec:',
      '        template:',
      '          spec:',
      '            containers:',
      '              - name: web',
      '                resources:',
      '                  limits:',
      '                    memory: 256Mi',
      '',
    ].join('\n'),
  };
}

/** Every file of one Application in the docs/contracts.md layout. */
export function applicationFiles(fixture: AppFixture): Record<string, string> {
  const { app, environment } = fixture;
  const [organization] = environment.split(/-(?=[^-]+$)/);
  const values = { ...(fixture.image ? { image: fixture.image } : {}), ...fixture.values };
  const substitute = Object.fromEntries(
    Object.entries({ app_name: app, environment, organization, ...values }).sort(([a], [b]) => a.localeCompare(b)),
  );
  const overlay = fixture.overlay ?? 'medium';
  return {
    [`flux-system/applications/${app}.yaml`]: yaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: {
        name: app,
        namespace: 'flux-system',
        labels: {
          'catalyst.openova.io/application': app,
          'catalyst.openova.io/blueprint': 'bp-web',
          'catalyst.openova.io/blueprint-version': '1.0.0',
        },
      },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: fixture.timeout ?? '5m',
        prune: true,
        wait: fixture.wait ?? true,
        ...(fixture.suspend ? { suspend: true } : {}),
        sourceRef: { kind: 'GitRepository', name: 'environment' },
        path: `./applications/${app}`,
        targetNamespace: app,
        ...(fixture.dependsOn?.length ? { dependsOn: fixture.dependsOn.map(name => ({ name })) } : {}),
        postBuild: { substitute },
      },
    }),
    [`applications/${app}/application.yaml`]: yaml({
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'Application',
      metadata: { name: app, labels: { 'catalyst.openova.io/environment': environment } },
      spec: {
        environmentRef: environment,
        blueprintRef: { name: 'bp-web', version: '1.0.0', source: 'catalog' },
        overlay,
        placement: { mode: 'single-region', regions: [] },
      },
    }),
    [`applications/${app}/values.yaml`]: yaml(values),
    [`applications/${app}/kustomization.yaml`]: yaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['blueprint/base'],
      components: [`blueprint/overlays/${overlay}`],
      labels: [
        {
          includeSelectors: false,
          pairs: {
            'app.kubernetes.io/instance': app,
            'app.kubernetes.io/managed-by': 'flux',
            'catalyst.openova.io/application': app,
            'catalyst.openova.io/blueprint': 'bp-web',
            'catalyst.openova.io/blueprint-version': '1.0.0',
            'catalyst.openova.io/environment': environment,
          },
        },
      ],
    }),
    ...Object.fromEntries(
      Object.entries(blueprintFiles(`applications/${app}/blueprint`)).filter(
        ([path]) => !path.includes('/overlays/') || path.includes(`/overlays/${overlay}/`),
      ),
    ),
  };
}

/** A HelmChart Blueprint Application (contracts §2.3). */
export function helmApplicationFiles(app: string, environment: string): Record<string, string> {
  return {
    [`flux-system/applications/${app}.yaml`]: yaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: app, namespace: 'flux-system' },
      spec: {
        interval: '10m',
        timeout: '5m',
        prune: true,
        wait: true,
        sourceRef: { kind: 'GitRepository', name: 'environment' },
        path: `./applications/${app}`,
        targetNamespace: app,
        postBuild: { substitute: { app_name: app, environment } },
      },
    }),
    [`applications/${app}/values.yaml`]: yaml({ replicaCount: 1 }),
    [`applications/${app}/kustomization.yaml`]: yaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['helmrelease.yaml'],
      configMapGenerator: [{ name: 'values', files: ['values.yaml'] }],
      generatorOptions: { disableNameSuffixHash: true },
    }),
    [`applications/${app}/helmrelease.yaml`]: [
      yaml({
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'OCIRepository',
        metadata: { name: app },
        spec: { interval: '10m', url: 'oci://charts.example.invalid/redis', ref: { tag: '19.0.0' } },
      }),
      yaml({
        apiVersion: 'helm.toolkit.fluxcd.io/v2',
        kind: 'HelmRelease',
        metadata: { name: app },
        spec: {
          interval: '10m',
          chartRef: { kind: 'OCIRepository', name: app },
          valuesFrom: [{ kind: 'ConfigMap', name: 'values' }],
        },
      }),
    ].join('---\n'),
  };
}
