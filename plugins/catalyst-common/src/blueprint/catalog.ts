import { CatalystIssue, jsonPath } from '../issues';
import { BlueprintSource, OVERLAY_SIZES, OverlaySize } from '../kinds/application';
import { CatalystBlueprint } from '../kinds/blueprint';
import { compareVersions, parseBlueprintTag, validateOrganizationName, validateRelativePath } from '../naming';
import { parseYaml } from '../yaml/safeYaml';
import { isCompositeBlueprint, validateBlueprint } from './validateBlueprint';

/**
 * One registered, installable Blueprint version: its validated `blueprint.yaml`, where it came from,
 * and the files of its folder at the tagged commit (paths relative to `bp-<name>/`, e.g.
 * `manifests/base/deployment.yaml`, `manifests/overlays/small/kustomization.yaml`).
 *
 * @public
 */
export interface BlueprintVersion {
  blueprint: CatalystBlueprint;
  source: BlueprintSource;
  /** Owning Organization of a `shared-blueprints` version; absent for the public catalog. */
  organization?: string;
  files: Readonly<Record<string, string>>;
  /** Commit the release tag points at, when known. */
  commit?: string;
}

/**
 * The set of registered Blueprint versions the resolver reads. Implementations return every version
 * of a name from every source; visibility is applied by {@link installableVersions}.
 *
 * @public
 */
export interface BlueprintCatalog {
  versions(name: string): readonly BlueprintVersion[];
  names(): readonly string[];
}

/** Input to registration: a parsed document or the folder's `blueprint.yaml` among `files`. @public */
export interface BlueprintVersionInput {
  blueprint?: unknown;
  source: BlueprintSource;
  organization?: string;
  files?: Record<string, string>;
  /** Release tag `bp-<name>/v<semver>`; when given it must match the document. */
  tag?: string;
  commit?: string;
}

/** @public */
export type BlueprintVersionResult = { ok: true; version: BlueprintVersion } | { ok: false; errors: CatalystIssue[] };

const OVERLAY_DIR = /^manifests\/overlays\/([^/]+)\//;

const overlayCache = new WeakMap<BlueprintVersion, readonly OverlaySize[]>();

/** Overlays a version offers: values maps in `spec.manifests.overlays` and `manifests/overlays/<size>/` folders. @public */
export function availableOverlays(version: BlueprintVersion): readonly OverlaySize[] {
  const cached = overlayCache.get(version);
  if (cached) return cached;
  const declared = Object.keys(version.blueprint.spec.manifests?.overlays ?? {});
  const folders = Object.keys(version.files)
    .map(f => OVERLAY_DIR.exec(f)?.[1])
    .filter((s): s is string => s !== undefined);
  const all = new Set([...declared, ...folders]);
  const offered = OVERLAY_SIZES.filter(s => all.has(s));
  overlayCache.set(version, offered);
  return offered;
}

/** `medium` when offered, otherwise the smallest offered size, otherwise none. @public */
export function defaultOverlay(version: BlueprintVersion): OverlaySize | undefined {
  const offered = availableOverlays(version);
  return offered.includes('medium') ? 'medium' : offered[0];
}

/**
 * Checks a version before it may enter a catalog: the document, the tag (its version must equal
 * `metadata.version`), the owner, the file paths, and that the files fit the source kind.
 * Issue codes: those of validateBlueprint plus `tag-mismatch`, `invalid-tag`, `path-traversal`,
 * `missing-manifests`, `unexpected-manifests`, `unknown-overlay`, `required`.
 *
 * @public
 */
export function checkBlueprintVersion(input: BlueprintVersionInput): BlueprintVersionResult {
  const errors: CatalystIssue[] = [];
  const files = input.files ?? {};
  for (const file of Object.keys(files)) {
    const r = validateRelativePath(file, jsonPath('files', file));
    if (!r.ok) errors.push(...r.errors);
    else if (typeof files[file] !== 'string') {
      errors.push({
        code: 'invalid-type',
        path: jsonPath('files', file),
        message: 'file content must be text',
      });
    }
  }
  let doc = input.blueprint;
  if (doc === undefined) {
    const text = files['blueprint.yaml'];
    if (typeof text !== 'string') {
      return {
        ok: false,
        errors: [
          ...errors,
          {
            code: 'required',
            path: 'files["blueprint.yaml"]',
            message: 'blueprint.yaml is missing',
          },
        ],
      };
    }
    const parsed = parseYaml(text, { path: 'files["blueprint.yaml"]' });
    if (!parsed.ok) return { ok: false, errors: [...errors, ...parsed.errors] };
    doc = parsed.value;
  }
  const validated = validateBlueprint(doc);
  if (!validated.ok) return { ok: false, errors: [...errors, ...validated.errors] };
  const blueprint = validated.value;

  if (input.source === 'shared-blueprints') {
    if (input.organization === undefined) {
      errors.push({
        code: 'required',
        path: 'organization',
        message: 'a shared-blueprints version needs its owning Organization',
      });
    } else {
      const o = validateOrganizationName(input.organization, 'organization');
      if (!o.ok) errors.push(...o.errors);
    }
  } else if (input.organization !== undefined) {
    errors.push({
      code: 'invalid-value',
      path: 'organization',
      message: 'public catalog versions have no owning Organization',
    });
  }
  if (blueprint.spec.visibility === 'private' && input.source !== 'shared-blueprints') {
    errors.push({
      code: 'invalid-value',
      path: 'spec.visibility',
      message: "private Blueprints live in an Organization's shared-blueprints repo",
    });
  }

  if (input.tag !== undefined) {
    const tag = parseBlueprintTag(input.tag);
    if (!tag.ok) errors.push(...tag.errors);
    else if (tag.blueprint !== blueprint.metadata.name || tag.version !== blueprint.metadata.version) {
      errors.push({
        code: 'tag-mismatch',
        path: 'metadata.version',
        message: `tag ${input.tag} does not match ${blueprint.metadata.name}@${blueprint.metadata.version} in blueprint.yaml`,
      });
    }
  }

  const manifestFiles = Object.keys(files)
    .sort()
    .filter(f => f.startsWith('manifests/'));
  const kind = blueprint.spec.manifests?.source.kind;
  if (isCompositeBlueprint(blueprint) || kind === 'HelmChart') {
    if (manifestFiles.length > 0) {
      errors.push({
        code: 'unexpected-manifests',
        path: jsonPath('files', manifestFiles[0]),
        message: `${isCompositeBlueprint(blueprint) ? 'composite' : 'HelmChart'} Blueprints have no manifests/ folder`,
      });
    }
  } else if (kind === 'Kustomize' && typeof files['manifests/base/kustomization.yaml'] !== 'string') {
    errors.push({
      code: 'missing-manifests',
      path: 'files["manifests/base/kustomization.yaml"]',
      message: 'a Kustomize Blueprint needs manifests/base/kustomization.yaml',
    });
  }
  for (const f of manifestFiles) {
    const size = OVERLAY_DIR.exec(f)?.[1];
    if (size !== undefined && !(OVERLAY_SIZES as readonly string[]).includes(size)) {
      errors.push({
        code: 'unknown-overlay',
        path: jsonPath('files', f),
        message: `overlay "${size}" is not one of ${OVERLAY_SIZES.join(', ')}`,
      });
    } else if (!f.startsWith('manifests/base/') && size === undefined) {
      errors.push({
        code: 'unexpected-manifests',
        path: jsonPath('files', f),
        message: 'manifests/ holds only base/ and overlays/<size>/',
      });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    version: {
      blueprint,
      source: input.source,
      ...(input.organization !== undefined ? { organization: input.organization } : {}),
      files: { ...files },
      ...(input.commit !== undefined ? { commit: input.commit } : {}),
    },
  };
}

/**
 * Versions of `name` that `organization` may install, highest first. Private versions only for their
 * Organization; an Organization's own shared-blueprints versions shadow the public catalog's for the
 * same name (so an Org can fork a public Blueprint). Unlisted versions are installable by name.
 *
 * @public
 */
export function installableVersions(catalog: BlueprintCatalog, name: string, organization: string): BlueprintVersion[] {
  const all = catalog.versions(name);
  const own = all.filter(v => v.source === 'shared-blueprints' && v.organization === organization);
  const pool =
    own.length > 0 ? own : all.filter(v => v.source === 'catalog' && v.blueprint.spec.visibility !== 'private');
  return [...pool].sort((a, b) => compareVersions(b.blueprint.metadata.version, a.blueprint.metadata.version));
}

/**
 * The exact version a plan refers to, if still registered.
 *
 * @public
 */
export function findBlueprintVersion(
  catalog: BlueprintCatalog,
  ref: {
    name: string;
    version: string;
    source: BlueprintSource;
    organization?: string;
  },
): BlueprintVersion | undefined {
  return catalog
    .versions(ref.name)
    .find(
      v =>
        v.blueprint.metadata.version === ref.version &&
        v.source === ref.source &&
        (ref.source === 'catalog' || v.organization === ref.organization),
    );
}

/**
 * A catalog held in memory: for tests, the bench, and callers that load versions from Git and then
 * resolve against them. Registration validates; invalid versions are reported, never half-registered.
 *
 * @public
 */
export class InMemoryBlueprintCatalog implements BlueprintCatalog {
  private readonly byName = new Map<string, BlueprintVersion[]>();

  private constructor() {}

  static create(): InMemoryBlueprintCatalog {
    return new InMemoryBlueprintCatalog();
  }

  /** Registers every input; fails with all issues (paths prefixed by `versions[i]`) if any is invalid. */
  static fromVersions(
    inputs: readonly BlueprintVersionInput[],
  ): { ok: true; catalog: InMemoryBlueprintCatalog } | { ok: false; errors: CatalystIssue[] } {
    const catalog = InMemoryBlueprintCatalog.create();
    const errors: CatalystIssue[] = [];
    inputs.forEach((input, i) => {
      const r = catalog.register(input);
      if (!r.ok) {
        errors.push(
          ...r.errors.map(e => ({
            ...e,
            path: e.path ? `versions[${i}].${e.path}` : `versions[${i}]`,
          })),
        );
      }
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, catalog };
  }

  register(input: BlueprintVersionInput): BlueprintVersionResult {
    const checked = checkBlueprintVersion(input);
    if (!checked.ok) return checked;
    const v = checked.version;
    const name = v.blueprint.metadata.name;
    const list = this.byName.get(name) ?? [];
    const duplicate = list.some(
      o =>
        o.blueprint.metadata.version === v.blueprint.metadata.version &&
        o.source === v.source &&
        o.organization === v.organization,
    );
    if (duplicate) {
      return {
        ok: false,
        errors: [
          {
            code: 'duplicate-version',
            path: 'metadata.version',
            message: `${name}@${v.blueprint.metadata.version} is already registered from ${v.source}`,
          },
        ],
      };
    }
    list.push(v);
    this.byName.set(name, list);
    return checked;
  }

  versions(name: string): readonly BlueprintVersion[] {
    return this.byName.get(name) ?? [];
  }

  names(): readonly string[] {
    return [...this.byName.keys()].sort();
  }
}
