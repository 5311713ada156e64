import { join } from 'node:path';
import { stringify } from 'yaml';
import { BareGitRepository } from '../../git/BareGitRepository';
import type { GitIdentity } from '../../git/GitRepository';

const yaml = (value: unknown) => stringify(value, { lineWidth: 0 });

export function identity(name = 'Ada Tester', timestamp = 1_735_689_600): GitIdentity {
  return { name, email: `${name.split(' ')[0].toLowerCase()}@example.invalid`, timestamp, timezoneOffset: 0 };
}

/** `<gitRoot>/<org>/<env>.git`, created empty with `main` as default branch. */
export function createEnvironmentRepo(gitRoot: string, environment: string): Promise<BareGitRepository> {
  const organization = environment.slice(0, environment.lastIndexOf('-'));
  return BareGitRepository.init(join(gitRoot, organization, `${environment}.git`));
}

/** `flux-system/gotk-sync.yaml` (docs/contracts.md §2). */
export function gotkSync(environment: string): Record<string, string> {
  return {
    'flux-system/gotk-sync.yaml': [
      yaml({
        apiVersion: 'source.toolkit.fluxcd.io/v1',
        kind: 'GitRepository',
        metadata: { name: 'environment', namespace: 'flux-system' },
        spec: { interval: '1m', ref: { branch: 'main' }, url: `https://git.example.invalid/${environment}.git` },
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
    ].join('---\n'),
    'policies/environment-policy.yaml': yaml({
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'EnvironmentPolicy',
      metadata: { name: environment },
      spec: { rules: [] },
    }),
  };
}

/** Every file of one Kustomize Application in the docs/contracts.md layout (a Deployment + Service). */
export function applicationFiles(
  app: string,
  environment: string,
  options: {
    version?: string;
    values?: Record<string, string | number>;
    paused?: boolean;
    blueprint?: string;
    source?: 'catalog' | 'shared-blueprints';
    overlay?: 'small' | 'medium' | 'large';
  } = {},
): Record<string, string> {
  const organization = environment.slice(0, environment.lastIndexOf('-'));
  const version = options.version ?? '1.0.0';
  const blueprint = options.blueprint ?? 'bp-web';
  const values = options.values ?? {};
  const labels = {
    'catalyst.openova.io/application': app,
    'catalyst.openova.io/blueprint': blueprint,
    'catalyst.openova.io/blueprint-version': version,
  };
  const substitute = Object.fromEntries(
    Object.entries({ app_name: app, environment, organization, blueprint_version: version, ...values })
      .map(([k, v]) => [k, String(v)] as const)
      .sort(([a], [b]) => a.localeCompare(b)),
  );
  return {
    [`flux-system/applications/${app}.yaml`]: yaml({
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: app, namespace: 'flux-system', labels },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: '5m',
        prune: true,
        wait: true,
        sourceRef: { kind: 'GitRepository', name: 'environment' },
        path: `./applications/${app}`,
        targetNamespace: app,
        postBuild: { substitute },
      },
    }),
    [`applications/${app}/application.yaml`]: yaml({
      apiVersion: 'catalyst.openova.io/v1alpha1',
      kind: 'Application',
      metadata: {
        name: app,
        labels: { 'catalyst.openova.io/environment': environment },
        ...(options.paused ? { annotations: { 'catalyst.openova.io/paused': 'true' } } : {}),
      },
      spec: {
        environmentRef: environment,
        blueprintRef: { name: blueprint, version, source: options.source ?? 'catalog' },
        ...(options.overlay ? { overlay: options.overlay } : {}),
        placement: { mode: 'single-region', regions: [] },
      },
    }),
    [`applications/${app}/values.yaml`]: yaml(values),
    [`applications/${app}/kustomization.yaml`]: yaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['blueprint/base'],
      labels: [{ includeSelectors: false, pairs: { ...labels, 'catalyst.openova.io/environment': environment } }],
    }),
    [`applications/${app}/blueprint/base/kustomization.yaml`]: yaml({
      apiVersion: 'kustomize.config.k8s.io/v1beta1',
      kind: 'Kustomization',
      resources: ['deployment.yaml', 'service.yaml'],
    }),
    [`applications/${app}/blueprint/base/deployment.yaml`]: [
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
      '',
    ].join('\n'),
    [`applications/${app}/blueprint/base/service.yaml`]: yaml({
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: '${app_name}' },
      spec: { selector: { 'app.kubernetes.io/name': 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
    }),
  };
}
