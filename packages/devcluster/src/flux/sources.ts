import { KubeObject } from '../types';
import { ObjectStore } from '../store/ObjectStore';
import { getRecord, getString } from '../util/json';
import { Condition, readConditions, setCondition } from '../util/conditions';
import { rfc3339 } from '../util/time';
import { parseManifests } from './kustomize/parse';
import { VirtualFs } from './kustomize/VirtualFs';

export const FLUX_NAMESPACE = 'flux-system';
export const DEFAULT_SOURCE = 'environment';
export const ROOT_KUSTOMIZATION = 'applications';
export const GOTK_SYNC_PATH = 'flux-system/gotk-sync.yaml';

export const GIT_REPOSITORY_API = 'source.toolkit.fluxcd.io/v1';
export const KUSTOMIZATION_API = 'kustomize.toolkit.fluxcd.io/v1';

/** What the Environment repo's `main` currently is, or why it cannot be read. */
export type SourceState =
  | { kind: 'ready'; sha: string; revision: string; fs: VirtualFs; fetchedAt: number }
  | { kind: 'failed'; message: string };

/**
 * The bootstrap objects: the GitRepository and root Kustomization from
 * `flux-system/gotk-sync.yaml` when the repo has them (as `flux bootstrap`
 * applies them), otherwise the contract's defaults. Returns the objects and
 * a note when gotk-sync.yaml was unusable.
 */
export function bootstrapObjects(
  fs: VirtualFs | undefined,
  gitUrl: string,
): { objects: KubeObject[]; problem?: string } {
  const defaults: KubeObject[] = [
    {
      apiVersion: GIT_REPOSITORY_API,
      kind: 'GitRepository',
      metadata: { name: DEFAULT_SOURCE, namespace: FLUX_NAMESPACE },
      spec: { interval: '1m', ref: { branch: 'main' }, url: gitUrl },
    },
    {
      apiVersion: KUSTOMIZATION_API,
      kind: 'Kustomization',
      metadata: { name: ROOT_KUSTOMIZATION, namespace: FLUX_NAMESPACE },
      spec: {
        interval: '10m',
        path: './flux-system/applications',
        prune: true,
        sourceRef: { kind: 'GitRepository', name: DEFAULT_SOURCE },
      },
    },
  ];
  const text = fs?.readText(GOTK_SYNC_PATH);
  if (text === undefined) return { objects: defaults };
  try {
    const found = parseManifests(text, GOTK_SYNC_PATH).filter(
      o => o.kind === 'GitRepository' || o.kind === 'Kustomization',
    );
    const objects: KubeObject[] = found.map(o => ({
      ...o,
      metadata: { ...o.metadata, namespace: o.metadata.namespace ?? FLUX_NAMESPACE },
    }));
    if (!objects.some(o => o.kind === 'GitRepository')) objects.unshift(defaults[0]);
    if (!objects.some(o => o.kind === 'Kustomization')) objects.push(defaults[1]);
    return { objects };
  } catch (error) {
    return { objects: defaults, problem: `${(error as Error).message}; using the default bootstrap objects` };
  }
}

function writeConditions(
  store: ObjectStore,
  object: KubeObject,
  conditions: Condition[],
  extra: Record<string, unknown> = {},
) {
  store.write({
    ...object,
    status: {
      ...(getRecord(object, ['status']) ?? {}),
      ...extra,
      observedGeneration: object.metadata.generation,
      conditions,
    },
  });
}

/** Status of the GitRepository backed by the Environment repo, like source-controller's. */
export function writeGitRepositoryStatus(store: ObjectStore, repo: KubeObject, source: SourceState, now: number) {
  const nowIso = rfc3339(now);
  let conditions = readConditions(repo.status);
  if (source.kind === 'ready') {
    const message = `stored artifact for revision '${source.revision}'`;
    conditions = setCondition(
      conditions,
      { type: 'Ready', status: 'True', reason: 'Succeeded', message, observedGeneration: repo.metadata.generation },
      nowIso,
    );
    conditions = setCondition(
      conditions,
      {
        type: 'ArtifactInStorage',
        status: 'True',
        reason: 'Succeeded',
        message,
        observedGeneration: repo.metadata.generation,
      },
      nowIso,
    );
    const previous = getRecord(repo, ['status', 'artifact']);
    const artifact =
      previous?.revision === source.revision
        ? previous
        : {
            path: `gitrepository/${repo.metadata.namespace}/${repo.metadata.name}/${source.sha}.tar.gz`,
            revision: source.revision,
            lastUpdateTime: rfc3339(source.fetchedAt),
          };
    writeConditions(store, repo, conditions, { artifact });
  } else {
    conditions = setCondition(
      conditions,
      {
        type: 'Ready',
        status: 'False',
        reason: 'GitOperationFailed',
        message: source.message,
        observedGeneration: repo.metadata.generation,
      },
      nowIso,
    );
    writeConditions(store, repo, conditions);
  }
}

function markUnsupported(store: ObjectStore, object: KubeObject, reason: string, message: string, now: number) {
  const nowIso = rfc3339(now);
  let conditions = readConditions(object.status);
  const generation = object.metadata.generation;
  conditions = setCondition(
    conditions,
    { type: 'Ready', status: 'False', reason, message, observedGeneration: generation },
    nowIso,
  );
  // Stalled: retrying cannot help, so health checks fail at once instead of timing out.
  conditions = setCondition(
    conditions,
    { type: 'Stalled', status: 'True', reason, message, observedGeneration: generation },
    nowIso,
  );
  writeConditions(store, object, conditions);
}

function chartDescription(release: KubeObject, store: ObjectStore): string {
  const chartRef = getRecord(release, ['spec', 'chartRef']);
  if (chartRef) {
    const ns = getString(chartRef, ['namespace']) ?? release.metadata.namespace;
    const source = store.get({
      group: 'source.toolkit.fluxcd.io',
      kind: String(chartRef.kind),
      namespace: ns,
      name: String(chartRef.name),
    });
    const url = getString(source, ['spec', 'url']);
    const tag = getString(source, ['spec', 'ref', 'tag']) ?? getString(source, ['spec', 'ref', 'semver']);
    return url ? `${url}${tag ? `:${tag}` : ''}` : `${String(chartRef.kind)}/${ns}/${String(chartRef.name)}`;
  }
  const chart = getRecord(release, ['spec', 'chart', 'spec']);
  if (chart) {
    const version = getString(chart, ['version']);
    return `${String(chart.chart)}${version ? `@${version}` : ''}`;
  }
  return 'no chart specified';
}

/**
 * HelmReleases and the chart sources they use: the devcluster cannot fetch
 * charts, so it says so in their status instead of pretending to install a
 * workload.
 */
export function markHelmObjects(store: ObjectStore, primarySource: string, now: number) {
  for (const release of store.list('helm.toolkit.fluxcd.io', 'HelmRelease')) {
    markUnsupported(
      store,
      release,
      'ChartPullFailed',
      `devcluster cannot pull Helm charts: chart ${chartDescription(
        release,
        store,
      )} was not fetched and no workload was created (development stand-in, not a real cluster)`,
      now,
    );
  }
  for (const source of store.list('source.toolkit.fluxcd.io', 'OCIRepository')) {
    markUnsupported(
      store,
      source,
      'OCIArtifactPullFailed',
      `devcluster cannot fetch OCI artifacts: ${
        getString(source, ['spec', 'url']) ?? ''
      } was not pulled (development stand-in, not a real cluster)`,
      now,
    );
  }
  for (const source of store.list('source.toolkit.fluxcd.io', 'HelmRepository')) {
    markUnsupported(
      store,
      source,
      'IndexationFailed',
      `devcluster cannot fetch Helm repositories: ${
        getString(source, ['spec', 'url']) ?? ''
      } was not indexed (development stand-in, not a real cluster)`,
      now,
    );
  }
  for (const repo of store.list('source.toolkit.fluxcd.io', 'GitRepository')) {
    if (repo.metadata.namespace === FLUX_NAMESPACE && repo.metadata.name === primarySource) continue;
    markUnsupported(
      store,
      repo,
      'GitOperationFailed',
      `devcluster serves only the Environment repo as a source; GitRepository '${repo.metadata.namespace}/${repo.metadata.name}' was not fetched`,
      now,
    );
  }
}
