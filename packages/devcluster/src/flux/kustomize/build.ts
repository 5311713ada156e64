import { JsonObject, KubeObject } from '../../types';
import { cloneJson, isRecord } from '../../util/json';
import { groupOf } from '../../store/resources';
import { KustomizeError } from './errors';
import { hashedName, runGenerators } from './generators';
import { applyJsonPatch, JsonPatchOperation } from './jsonPatch';
import { parseManifests, parseYamlDocuments } from './parse';
import { strategicMerge } from './strategicMerge';
import {
  addAnnotations,
  addLabels,
  addNameAffixes,
  fixNameReferences,
  resourceId,
  selectTargets,
  setImages,
  setNamespace,
  setReplicas,
} from './transformers';
import { BuildResource, ImageEntry, KustomizationFile, PatchEntry } from './types';
import { resolvePath, VirtualFs } from './VirtualFs';

const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const SUPPORTED_FIELDS = new Set([
  'apiVersion',
  'kind',
  'metadata',
  'resources',
  'bases',
  'components',
  'namespace',
  'namePrefix',
  'nameSuffix',
  'commonLabels',
  'labels',
  'commonAnnotations',
  'images',
  'patches',
  'patchesStrategicMerge',
  'patchesJson6902',
  'configMapGenerator',
  'secretGenerator',
  'generatorOptions',
  'replicas',
  'buildMetadata',
  'sortOptions',
]);
// Real kustomize fields the devcluster does not implement: reported as such,
// not as unknown, so the author knows the manifest is fine for Flux.
const UNSUPPORTED_FIELDS = new Set([
  'helmCharts',
  'helmGlobals',
  'replacements',
  'vars',
  'crds',
  'openapi',
  'transformers',
  'generators',
  'validators',
  'configurations',
  'helmChartInflationGenerator',
  'imageTags',
  'labelSelector',
  'patchesJson6902Inline',
]);

// Built-in API groups, whose list fields merge by key in strategic-merge patches.
const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'autoscaling',
  'networking.k8s.io',
  'policy',
  'rbac.authorization.k8s.io',
  'storage.k8s.io',
]);

/** Fields a Flux Kustomization adds on top of the build at `spec.path`. */
export interface BuildOverlay {
  targetNamespace?: string;
  namePrefix?: string;
  nameSuffix?: string;
  commonMetadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
  patches?: PatchEntry[];
  images?: ImageEntry[];
}

export type BuildResult = { ok: true; objects: KubeObject[] } | { ok: false; file: string; message: string };

function findKustomizationFile(fs: VirtualFs, dir: string): string | undefined {
  return KUSTOMIZATION_FILES.map(name => (dir ? `${dir}/${name}` : name)).find(p => fs.isFile(p));
}

function stringList(value: unknown, field: string, file: string): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(v => typeof v === 'string')) {
    throw new KustomizeError(file, `invalid Kustomization: '${field}' must be a list of strings`);
  }
  return value;
}

function loadKustomization(fs: VirtualFs, file: string): KustomizationFile {
  const [value, ...more] = parseYamlDocuments(fs.readText(file) ?? '', file);
  if (more.length > 0) throw new KustomizeError(file, 'invalid Kustomization: more than one YAML document');
  if (!isRecord(value)) throw new KustomizeError(file, 'invalid Kustomization: not a YAML mapping');
  for (const key of Object.keys(value)) {
    if (UNSUPPORTED_FIELDS.has(key)) {
      throw new KustomizeError(
        file,
        `kustomize field '${key}' is not supported by the devcluster (it only implements a subset of kustomize; see its README)`,
      );
    }
    if (!SUPPORTED_FIELDS.has(key)) {
      throw new KustomizeError(file, `invalid Kustomization: json: unknown field "${key}"`);
    }
  }
  for (const field of ['resources', 'bases', 'components', 'patchesStrategicMerge']) {
    stringList(value[field], field, file);
  }
  for (const field of [
    'labels',
    'images',
    'patches',
    'patchesJson6902',
    'configMapGenerator',
    'secretGenerator',
    'replicas',
  ]) {
    if (value[field] !== undefined && value[field] !== null && !Array.isArray(value[field])) {
      throw new KustomizeError(file, `invalid Kustomization: '${field}' must be a list`);
    }
  }
  for (const field of ['commonLabels', 'commonAnnotations', 'generatorOptions']) {
    if (value[field] !== undefined && value[field] !== null && !isRecord(value[field])) {
      throw new KustomizeError(file, `invalid Kustomization: '${field}' must be a mapping`);
    }
  }
  return value as KustomizationFile;
}

class Builder {
  constructor(private readonly fs: VirtualFs) {}

  /** Builds a directory that must hold a kustomization (or, at the root of a Flux path, may not). */
  buildDir(dir: string, referencedFrom: string, allowGenerated: boolean): BuildResource[] {
    const file = findKustomizationFile(this.fs, dir);
    if (!file) {
      if (allowGenerated) return this.generated(dir);
      throw new KustomizeError(referencedFrom, `'${dir}' has no kustomization.yaml`);
    }
    const k = loadKustomization(this.fs, file);
    if (k.kind === 'Component') {
      throw new KustomizeError(
        file,
        `a Component can only be listed under 'components' (referenced from ${referencedFrom})`,
      );
    }
    let resources = this.accumulate(k, dir, file, []);
    for (const component of stringList(k.components, 'components', file)) {
      resources = this.applyComponent(this.resolve(dir, component, file, 'component'), file, resources);
    }
    return this.transform(k, dir, file, resources);
  }

  private applyComponent(dir: string, referencedFrom: string, resources: BuildResource[]): BuildResource[] {
    const file = findKustomizationFile(this.fs, dir);
    if (!file) throw new KustomizeError(referencedFrom, `component '${dir}' has no kustomization.yaml`);
    const k = loadKustomization(this.fs, file);
    if (k.kind !== 'Component') {
      throw new KustomizeError(
        file,
        `expected kind 'Component' for a path listed under 'components' (in ${referencedFrom}), got '${
          k.kind ?? 'Kustomization'
        }'`,
      );
    }
    let result = this.accumulate(k, dir, file, resources);
    for (const component of stringList(k.components, 'components', file)) {
      result = this.applyComponent(this.resolve(dir, component, file, 'component'), file, result);
    }
    return this.transform(k, dir, file, result);
  }

  /** Flux's generated kustomization: every manifest under the path, nested kustomizations as units. */
  private generated(dir: string): BuildResource[] {
    const resources: BuildResource[] = [];
    const { files, dirs } = this.fs.list(dir);
    for (const path of files.filter(f => /\.(ya?ml|json)$/.test(f))) {
      this.add(resources, this.loadFile(path, true), path);
    }
    for (const sub of dirs) {
      this.add(
        resources,
        findKustomizationFile(this.fs, sub) ? this.buildDir(sub, dir, false) : this.generated(sub),
        sub,
      );
    }
    return resources;
  }

  private resolve(dir: string, relative: string, file: string, what: string): string {
    if (/^[a-z]+:\/\//.test(relative) || relative.startsWith('github.com/')) {
      throw new KustomizeError(
        file,
        `${what} '${relative}': remote ${what}s are not supported (Flux applies only what its source holds)`,
      );
    }
    const path = resolvePath(dir, relative);
    if (path === undefined) {
      throw new KustomizeError(file, `${what} '${relative}': security; file is not in or below the repository root`);
    }
    return path;
  }

  private loadFile(path: string, skipNonObjects: boolean): BuildResource[] {
    return parseManifests(this.fs.readText(path) ?? '', path, { skipNonObjects }).map(object => ({
      object,
      originName: object.metadata.name,
    }));
  }

  private add(into: BuildResource[], more: BuildResource[], file: string) {
    for (const resource of more) {
      const id = resourceId(resource.object);
      if (into.some(r => resourceId(r.object) === id)) {
        throw new KustomizeError(file, `may not add resource with an already registered id: ${id}`);
      }
      into.push(resource);
    }
  }

  private accumulate(k: KustomizationFile, dir: string, file: string, start: BuildResource[]): BuildResource[] {
    const resources = [...start];
    const entries = [...stringList(k.bases, 'bases', file), ...stringList(k.resources, 'resources', file)];
    for (const entry of entries) {
      const path = this.resolve(dir, entry, file, 'resource');
      if (this.fs.isFile(path)) {
        this.add(resources, this.loadFile(path, false), path);
      } else if (this.fs.isDir(path)) {
        this.add(resources, this.buildDir(path, file, false), path);
      } else {
        throw new KustomizeError(file, `resource '${entry}': no such file or directory (${path})`);
      }
    }
    return resources;
  }

  private transform(k: KustomizationFile, dir: string, file: string, input: BuildResource[]): BuildResource[] {
    let resources = runGenerators(
      'ConfigMap',
      k.configMapGenerator ?? [],
      k.generatorOptions,
      input,
      dir,
      this.fs,
      file,
    );
    resources = runGenerators('Secret', k.secretGenerator ?? [], k.generatorOptions, resources, dir, this.fs, file);
    // kustomize's transformer order: strategic-merge patches, patches,
    // namespace, prefix/suffix, labels, annotations, JSON 6902 patches,
    // replicas, images.
    for (const entry of stringList(k.patchesStrategicMerge, 'patchesStrategicMerge', file)) {
      const isInline = entry.includes('\n') || entry.trimStart().startsWith('apiVersion');
      resources = this.applyPatch(resources, isInline ? { patch: entry } : { path: entry }, dir, file);
    }
    for (const entry of k.patches ?? []) resources = this.applyPatch(resources, entry, dir, file);
    if (k.namespace) setNamespace(resources, k.namespace);
    addNameAffixes(resources, k.namePrefix, k.nameSuffix);
    if (k.commonLabels) addLabels(resources, k.commonLabels, { selectors: true, templates: true });
    for (const entry of k.labels ?? []) {
      if (!isRecord(entry) || !isRecord(entry.pairs)) {
        throw new KustomizeError(file, "invalid Kustomization: every 'labels' entry needs 'pairs'");
      }
      addLabels(resources, entry.pairs as Record<string, string>, {
        selectors: entry.includeSelectors === true,
        templates: entry.includeTemplates === true,
      });
    }
    if (k.commonAnnotations) addAnnotations(resources, k.commonAnnotations);
    for (const entry of k.patchesJson6902 ?? []) {
      if (!isRecord(entry) || !isRecord(entry.target)) {
        throw new KustomizeError(file, "invalid Kustomization: every 'patchesJson6902' entry needs a target");
      }
      resources = this.applyPatch(resources, entry, dir, file);
    }
    if (k.replicas) setReplicas(resources, k.replicas);
    if (k.images) setImages(resources, k.images);
    return resources;
  }

  /** Applies one `patches` entry (strategic merge or JSON 6902, inline or from a file). */
  applyPatch(resources: BuildResource[], entry: PatchEntry, dir: string, file: string): BuildResource[] {
    if (!isRecord(entry)) throw new KustomizeError(file, 'invalid Kustomization: a patch must be a mapping');
    let text = entry.patch;
    let source = file;
    if (text === undefined) {
      if (typeof entry.path !== 'string')
        throw new KustomizeError(file, "invalid Kustomization: a patch needs 'path' or 'patch'");
      source = this.resolve(dir, entry.path, file, 'patch');
      text = this.fs.readText(source);
      if (text === undefined) throw new KustomizeError(file, `patch '${entry.path}': no such file (${source})`);
    }
    const documents = parseYamlDocuments(String(text), source).filter(d => d !== null && d !== undefined);
    if (documents.length === 1 && Array.isArray(documents[0])) {
      if (!entry.target) throw new KustomizeError(source, 'a JSON 6902 patch must have a target');
      for (const target of selectTargets(resources, entry.target)) {
        try {
          target.object = applyJsonPatch(target.object, documents[0] as JsonPatchOperation[]);
        } catch (error) {
          throw new KustomizeError(
            source,
            `JSON patch on ${resourceId(target.object)} failed: ${(error as Error).message}`,
          );
        }
      }
      return resources;
    }
    let result = resources;
    for (const doc of documents) {
      if (!isRecord(doc)) throw new KustomizeError(source, 'a strategic-merge patch must be a mapping');
      const patch = cloneJson(doc) as JsonObject;
      const meta = isRecord(patch.metadata) ? patch.metadata : {};
      let targets: BuildResource[];
      if (entry.target) {
        targets = selectTargets(result, entry.target);
      } else {
        targets = result.filter(
          r =>
            r.object.kind === patch.kind &&
            (r.object.metadata.name === meta.name || r.originName === meta.name) &&
            (meta.namespace === undefined || r.object.metadata.namespace === meta.namespace) &&
            (typeof patch.apiVersion !== 'string' || groupOf(r.object.apiVersion) === groupOf(patch.apiVersion)),
        );
        if (targets.length !== 1) {
          throw new KustomizeError(
            source,
            `failed to find unique target for patch ${String(patch.kind)}/${String(meta.name)}`,
          );
        }
      }
      // The patch's identity fields only select; they never rename the target.
      delete patch.apiVersion;
      delete patch.kind;
      if (isRecord(patch.metadata)) {
        delete patch.metadata.name;
        delete patch.metadata.namespace;
      }
      const doomed = new Set<BuildResource>();
      for (const target of targets) {
        const merged = strategicMerge(target.object, patch, BUILTIN_GROUPS.has(groupOf(target.object.apiVersion)));
        if (merged === undefined) doomed.add(target);
        else target.object = merged;
      }
      result = result.filter(r => !doomed.has(r));
    }
    return result;
  }

  applyOverlay(resources: BuildResource[], overlay: BuildOverlay, file: string): BuildResource[] {
    let result = resources;
    for (const entry of overlay.patches ?? []) result = this.applyPatch(result, entry, '', file);
    if (overlay.targetNamespace) setNamespace(result, overlay.targetNamespace);
    addNameAffixes(result, overlay.namePrefix, overlay.nameSuffix);
    if (overlay.commonMetadata?.labels) {
      addLabels(result, overlay.commonMetadata.labels, { selectors: false, templates: false });
    }
    if (overlay.commonMetadata?.annotations) addAnnotations(result, overlay.commonMetadata.annotations);
    if (overlay.images) setImages(result, overlay.images);
    return result;
  }
}

/**
 * Builds `path` of a commit the way kustomize-controller does: the path's
 * kustomization.yaml (or, without one, every manifest under it), then the
 * Flux Kustomization's own `overlay` fields (targetNamespace, patches,
 * images, commonMetadata, name prefix/suffix). Only the subset of kustomize
 * described in the README is implemented; errors name the file.
 */
export function kustomizeBuild(
  fs: VirtualFs,
  path: string,
  overlay: BuildOverlay = {},
  sourceName = 'spec.path',
): BuildResult {
  const builder = new Builder(fs);
  try {
    let resources = builder.buildDir(path, sourceName, true);
    resources = builder.applyOverlay(resources, overlay, sourceName);
    for (const resource of resources) {
      if (resource.needsHash) resource.object.metadata.name = hashedName(resource.object);
    }
    fixNameReferences(resources);
    return { ok: true, objects: resources.map(r => r.object) };
  } catch (error) {
    if (error instanceof KustomizeError) {
      return { ok: false, file: error.file, message: error.message };
    }
    throw error;
  }
}
