import { BlueprintCatalog, findBlueprintVersion } from '../blueprint/catalog';
import { CATALYST_LABELS } from '../projection/summaries';
import { CatalystIssue } from '../issues';
import {
  Application,
  CATALYST_API_VERSION,
  CATALYST_ENVIRONMENT_LABEL,
  CATALYST_PAUSED_ANNOTATION,
  EnvironmentPolicy,
  validateEnvironmentPolicy,
} from '../kinds';
import { hasControlCharacter, parseEnvironmentName, validateApplicationName, validateRelativePath } from '../naming';
import { stringifyYaml, stringifyYamlDocuments } from '../yaml/stringifyYaml';
import { InstallPlan, PlannedApplication } from './types';
import { setOwn } from '../expressions/templates';
import { flattenValues } from './values';

/** @public */
export type ComposeResult = { ok: true; files: Record<string, string> } | { ok: false; errors: CatalystIssue[] };

/** Label keys Catalyst sets; the projector finds objects by them (shared with projection/). */
const LABELS = {
  ...CATALYST_LABELS,
  environment: CATALYST_ENVIRONMENT_LABEL,
} as const;

/** Substitution variables Catalyst sets; they win over flattened values (contracts §3). */
const RESERVED_SUBSTITUTIONS = ['app_name', 'environment', 'organization', 'blueprint_version'] as const;

/**
 * What pausing adds to an Application's kustomization.yaml: every Deployment and StatefulSet at
 * zero replicas. JSON 6902 `add` sets the field whether or not the manifest has one, and a kind the
 * Blueprint does not use simply matches nothing.
 */
const SCALE_TO_ZERO_PATCHES = ['Deployment', 'StatefulSet'].map(kind => ({
  target: { kind },
  patch: stringifyYaml([{ op: 'add', path: '/spec/replicas', value: 0 }]),
}));

/** Where an Application lives in its Environment repo. A writer replaces `folder` wholesale. @public */
export function applicationRepoPaths(application: string): {
  folder: string;
  fluxKustomization: string;
} {
  return {
    folder: `applications/${application}/`,
    fluxKustomization: `flux-system/applications/${application}.yaml`,
  };
}

/** Code-unit order: the same in every locale and runtime, unlike localeCompare. */
function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function sortedRecord(entries: Array<[string, string]>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of [...entries].sort(([a], [b]) => compareText(a, b))) setOwn(out, k, v);
  return out;
}

function substitutions(app: PlannedApplication, environment: string, organization: string): Record<string, string> {
  const vars = new Map<string, string>(Object.entries(flattenValues(app.values)));
  for (const dep of app.dependencies) vars.set(`dep_${dep.alias.replace(/[^A-Za-z0-9_]/g, '_')}_app`, dep.application);
  // Set last so they win over values and dependency names.
  const reserved: Record<(typeof RESERVED_SUBSTITUTIONS)[number], string> = {
    app_name: app.name,
    environment,
    organization,
    blueprint_version: app.version,
  };
  for (const [k, v] of Object.entries(reserved)) vars.set(k, v);
  return sortedRecord([...vars]);
}

function fluxKustomization(app: PlannedApplication, environment: string, organization: string): string {
  const dependsOn = [...new Set(app.dependencies.map(d => d.application))].sort();
  return stringifyYaml({
    apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
    kind: 'Kustomization',
    metadata: {
      name: app.name,
      namespace: 'flux-system',
      labels: {
        [LABELS.application]: app.name,
        [LABELS.blueprint]: app.blueprint,
        [LABELS.blueprintVersion]: app.version,
      },
    },
    spec: {
      interval: '10m',
      retryInterval: '1m',
      timeout: '5m',
      prune: true,
      wait: true,
      sourceRef: { kind: 'GitRepository', name: 'environment' },
      path: `./applications/${app.name}`,
      targetNamespace: app.name,
      ...(dependsOn.length > 0 ? { dependsOn: dependsOn.map(name => ({ name })) } : {}),
      postBuild: { substitute: substitutions(app, environment, organization) },
    },
  });
}

function applicationDocument(app: PlannedApplication, environment: string): Application {
  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'Application',
    metadata: {
      name: app.name,
      labels: { [LABELS.environment]: environment },
      ...(app.paused ? { annotations: { [CATALYST_PAUSED_ANNOTATION]: 'true' } } : {}),
    },
    spec: {
      environmentRef: environment,
      blueprintRef: {
        name: app.blueprint,
        version: app.version,
        source: app.source,
      },
      ...(app.overlay ? { overlay: app.overlay } : {}),
      placement: {
        mode: app.placement.mode,
        regions: [...app.placement.regions],
      },
      dependencies: [...app.dependencies]
        .sort((a, b) => compareText(a.alias, b.alias))
        .map(d => ({
          alias: d.alias,
          blueprint: d.blueprint,
          application: d.application,
          mode: d.mode,
        })),
    },
  };
}

function labelPairs(app: PlannedApplication, environment: string): Record<string, string> {
  return {
    'app.kubernetes.io/instance': app.name,
    'app.kubernetes.io/managed-by': 'flux',
    [LABELS.application]: app.name,
    [LABELS.blueprint]: app.blueprint,
    [LABELS.blueprintVersion]: app.version,
    [LABELS.environment]: environment,
  };
}

/** `oci://host/org/bp-x:1.3.0` → `oci://host/org/bp-x`: the tag is pinned to the planned version instead. */
function ociRepositoryUrl(ref: string): string {
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(0, colon) : ref;
}

/**
 * The Environment-repo files for every Application of a plan (docs/contracts.md §2): the Flux
 * Kustomization, application.yaml, values.yaml, kustomization.yaml, and either the Blueprint's
 * vendored `manifests/base` + chosen overlay or, for HelmChart Blueprints, helmrelease.yaml.
 * Keys are repo paths in sorted order; the same plan and catalog always give byte-identical files.
 * An Application's folder is complete: writers replace `applications/<app>/` with what is returned.
 *
 * @public
 */
export function composeEnvironmentFiles(plan: InstallPlan, env: string, catalog: BlueprintCatalog): ComposeResult {
  const errors: CatalystIssue[] = [];
  const parsedEnv = parseEnvironmentName(env, 'environment');
  if (!parsedEnv.ok) return parsedEnv;
  if (env !== plan.environment) {
    return {
      ok: false,
      errors: [
        {
          code: 'environment-mismatch',
          path: 'environment',
          message: `the plan is for ${plan.environment}, not ${env}`,
        },
      ],
    };
  }
  const files: Array<[string, string]> = [];
  plan.applications.forEach((app, i) => {
    const name = validateApplicationName(app.name, `applications[${i}].name`);
    if (!name.ok) {
      errors.push(...name.errors);
      return;
    }
    const version = findBlueprintVersion(catalog, {
      name: app.blueprint,
      version: app.version,
      source: app.source,
      ...(app.organization !== undefined ? { organization: app.organization } : {}),
    });
    if (!version) {
      errors.push({
        code: 'missing-blueprint',
        path: `applications[${i}]`,
        message: `${app.blueprint}@${app.version} (${app.source}) is no longer registered`,
      });
      return;
    }
    const dir = `applications/${app.name}`;
    files.push([`flux-system/applications/${app.name}.yaml`, fluxKustomization(app, env, parsedEnv.organization)]);
    files.push([`${dir}/application.yaml`, stringifyYaml(applicationDocument(app, env))]);
    files.push([`${dir}/values.yaml`, stringifyYaml(app.values, { sortKeys: true })]);
    const source = version.blueprint.spec.manifests?.source;
    // includeTemplates: pods carry the labels too, so label selectors (the Backstage kubernetes
    // plugin, the projector) find them
    const labels = [{ includeSelectors: false, includeTemplates: true, pairs: labelPairs(app, env) }];

    if (source?.kind === 'HelmChart' && source.ref) {
      if (app.paused) {
        // A chart's workloads have no shape we can rely on to scale; refused rather than half-paused.
        errors.push({
          code: 'pause-unsupported',
          path: `applications[${i}].paused`,
          message: `${app.name} comes from a HelmChart Blueprint (${app.blueprint}); only Kustomize Blueprints can be paused`,
        });
        return;
      }
      files.push([
        `${dir}/kustomization.yaml`,
        stringifyYaml({
          apiVersion: 'kustomize.config.k8s.io/v1beta1',
          kind: 'Kustomization',
          resources: ['helmrelease.yaml'],
          configMapGenerator: [{ name: 'values', files: ['values.yaml'] }],
          generatorOptions: { disableNameSuffixHash: true },
          labels,
        }),
      ]);
      files.push([
        `${dir}/helmrelease.yaml`,
        stringifyYamlDocuments([
          {
            apiVersion: 'source.toolkit.fluxcd.io/v1beta2',
            kind: 'OCIRepository',
            metadata: { name: app.name },
            spec: {
              interval: '10m',
              url: ociRepositoryUrl(source.ref),
              ref: { tag: app.version },
              layerSelector: {
                mediaType: 'application/vnd.cncf.helm.chart.content.v1.tar+gzip',
                operation: 'copy',
              },
            },
          },
          {
            apiVersion: 'helm.toolkit.fluxcd.io/v2',
            kind: 'HelmRelease',
            metadata: { name: app.name },
            spec: {
              interval: '10m',
              releaseName: app.name,
              chartRef: { kind: 'OCIRepository', name: app.name },
              valuesFrom: [{ kind: 'ConfigMap', name: 'values' }],
              install: { remediation: { retries: 3 } },
              upgrade: { remediation: { retries: 3 } },
            },
          },
        ]),
      ]);
      return;
    }

    const overlayPrefix = app.overlay ? `manifests/overlays/${app.overlay}/` : undefined;
    let hasOverlayFolder = false;
    for (const file of Object.keys(version.files).sort()) {
      let target: string | undefined;
      if (file.startsWith('manifests/base/')) target = `${dir}/blueprint/base/${file.slice('manifests/base/'.length)}`;
      else if (overlayPrefix && file.startsWith(overlayPrefix)) {
        target = `${dir}/blueprint/overlays/${app.overlay}/${file.slice(overlayPrefix.length)}`;
        hasOverlayFolder = true;
      }
      if (target === undefined) continue;
      // Registration checked these paths; checked again because the catalog is an interface.
      const safe = validateRelativePath(file, `files[${JSON.stringify(file)}]`);
      if (!safe.ok) {
        errors.push(...safe.errors);
        continue;
      }
      files.push([target, version.files[file]]);
    }
    files.push([
      `${dir}/kustomization.yaml`,
      stringifyYaml({
        apiVersion: 'kustomize.config.k8s.io/v1beta1',
        kind: 'Kustomization',
        resources: ['blueprint/base'],
        ...(hasOverlayFolder ? { components: [`blueprint/overlays/${app.overlay}`] } : {}),
        labels,
        ...(app.paused ? { patches: SCALE_TO_ZERO_PATCHES } : {}),
      }),
    ]);
  });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, files: sortedRecord(files) };
}

/** An EnvironmentPolicy without rules: every Environment has a policy file, even ungoverned ones. @public */
export function defaultEnvironmentPolicy(env: string): EnvironmentPolicy {
  return {
    apiVersion: CATALYST_API_VERSION,
    kind: 'EnvironmentPolicy',
    metadata: { name: env },
    spec: { appliesTo: { environments: [env] }, rules: [] },
  };
}

/**
 * The files a new Environment repo starts with: `flux-system/gotk-sync.yaml` (GitRepository
 * `environment` + root Kustomization `applications` over `./flux-system/applications`) and
 * `policies/environment-policy.yaml` (the given policy, or one without rules).
 *
 * @public
 */
export function composeEnvironmentBootstrap(env: string, repoUrl: string, policy?: unknown): ComposeResult {
  const errors: CatalystIssue[] = [];
  const parsedEnv = parseEnvironmentName(env, 'environment');
  if (!parsedEnv.ok) errors.push(...parsedEnv.errors);
  if (
    typeof repoUrl !== 'string' ||
    repoUrl.length === 0 ||
    repoUrl.length > 2048 ||
    /\s/.test(repoUrl) ||
    hasControlCharacter(repoUrl)
  ) {
    errors.push({
      code: 'invalid-url',
      path: 'repoUrl',
      message: 'repoUrl must be a URL without spaces or control characters',
    });
  } else if (!/^(https?|ssh|file):\/\//.test(repoUrl)) {
    errors.push({
      code: 'invalid-url',
      path: 'repoUrl',
      message: 'repoUrl must start with https://, http://, ssh:// or file://',
    });
  }
  let policyDoc: EnvironmentPolicy | undefined;
  if (policy === undefined) {
    policyDoc = defaultEnvironmentPolicy(env);
  } else {
    const validated = validateEnvironmentPolicy(policy);
    if (!validated.ok)
      errors.push(
        ...validated.errors.map(e => ({
          ...e,
          path: e.path ? `policy.${e.path}` : 'policy',
        })),
      );
    else if (!validated.value.spec.appliesTo.environments.includes(env)) {
      errors.push({
        code: 'policy-mismatch',
        path: 'policy.spec.appliesTo.environments',
        message: `the policy does not apply to ${env}`,
      });
    } else {
      policyDoc = validated.value;
    }
  }
  if (errors.length > 0 || !policyDoc) return { ok: false, errors };
  const gotkSync = stringifyYamlDocuments([
    {
      apiVersion: 'source.toolkit.fluxcd.io/v1',
      kind: 'GitRepository',
      metadata: { name: 'environment', namespace: 'flux-system' },
      spec: { interval: '1m', url: repoUrl, ref: { branch: 'main' } },
    },
    {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'applications', namespace: 'flux-system' },
      spec: {
        interval: '10m',
        retryInterval: '1m',
        timeout: '5m',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: 'environment' },
        path: './flux-system/applications',
      },
    },
  ]);
  return {
    ok: true,
    files: sortedRecord([
      ['flux-system/gotk-sync.yaml', gotkSync],
      ['policies/environment-policy.yaml', stringifyYaml(policyDoc)],
    ]),
  };
}
