import { parseDuration } from '../duration';
import { validateTemplateValues, validateWhen } from '../expressions/templates';
import { CatalystIssue } from '../issues';
import { CatalystBlueprint, catalystBlueprintSchema } from '../kinds/blueprint';
import { CatalystValidation, combine, notAnObject, ownValue, parseWith } from '../kinds/common';
import { SECRET_CLASSES } from '../kinds/secretPolicy';
import {
  validateAlias,
  validateBlueprintName,
  validateRelativePath,
  validateVersion,
  validateVersionRange,
} from '../naming';
import { compileConfigSchema } from './configSchema';

/** `card.category` that marks a Blueprint composed only of other Blueprints. @public */
export const COMPOSITE_CATEGORY = 'composite';

/** @public */
export function isCompositeBlueprint(blueprint: CatalystBlueprint): boolean {
  return blueprint.spec.card.category === COMPOSITE_CATEGORY;
}

function push(into: CatalystIssue[], r: { ok: boolean; errors?: CatalystIssue[] }): void {
  if (!r.ok && r.errors) into.push(...r.errors);
}

/** Checks that need the raw document, so they still run when the schema fails elsewhere. */
function rawIssues(doc: unknown): CatalystIssue[] {
  const out: CatalystIssue[] = [];
  const metadata = ownValue(doc, 'metadata');
  const name = ownValue(metadata, 'name');
  if (typeof name === 'string') push(out, validateBlueprintName(name));
  const version = ownValue(metadata, 'version');
  if (typeof version === 'string') push(out, validateVersion(version, 'metadata.version'));
  return out;
}

function semanticIssues(bp: CatalystBlueprint): CatalystIssue[] {
  const out: CatalystIssue[] = [];
  const { spec } = bp;
  const composite = isCompositeBlueprint(bp);

  const schema = compileConfigSchema(spec.configSchema);
  if (!schema.ok) out.push(...schema.errors);

  const p = spec.placementSchema;
  if (new Set(p.modes).size !== p.modes.length) {
    out.push({
      code: 'invalid-placement-schema',
      path: 'spec.placementSchema.modes',
      message: 'placement modes are listed twice',
    });
  }
  if (p.minRegions !== undefined && p.maxRegions !== undefined && p.minRegions > p.maxRegions) {
    out.push({
      code: 'invalid-placement-schema',
      path: 'spec.placementSchema.minRegions',
      message: `minRegions (${p.minRegions}) is greater than maxRegions (${p.maxRegions})`,
    });
  }
  if (p.maxRegions === 1 && p.modes.some(m => m !== 'single-region')) {
    out.push({
      code: 'invalid-placement-schema',
      path: 'spec.placementSchema.maxRegions',
      message: 'multi-region modes need maxRegions of at least 2',
    });
  }

  const aliases = new Map<string, number>();
  spec.depends.forEach((dep, i) => {
    const base = `spec.depends[${i}]`;
    push(out, validateBlueprintName(dep.blueprint, `${base}.blueprint`));
    if (dep.blueprint === bp.metadata.name) {
      out.push({
        code: 'cycle',
        path: `${base}.blueprint`,
        message: `${bp.metadata.name} depends on itself`,
      });
    }
    push(out, validateVersionRange(dep.version, `${base}.version`));
    push(out, validateAlias(dep.alias, `${base}.alias`));
    const first = aliases.get(dep.alias);
    if (first !== undefined) {
      out.push({
        code: 'duplicate-alias',
        path: `${base}.alias`,
        message: `alias "${dep.alias}" is already used by spec.depends[${first}]`,
      });
    } else {
      aliases.set(dep.alias, i);
    }
    out.push(...validateWhen(dep.when, `${base}.when`));
    if (dep.values) out.push(...validateTemplateValues(dep.values, ['spec', 'depends', i, 'values']));
  });

  if (composite) {
    if (spec.depends.length === 0) {
      out.push({
        code: 'composite-without-depends',
        path: 'spec.depends',
        message: 'a composite Blueprint must depend on at least one Blueprint',
      });
    }
    if (spec.manifests) {
      out.push({
        code: 'composite-with-manifests',
        path: 'spec.manifests',
        message: 'a composite Blueprint has no manifests of its own',
      });
    }
  } else if (!spec.manifests) {
    out.push({
      code: 'required',
      path: 'spec.manifests',
      message: 'manifests is required (only composite Blueprints have none)',
    });
  } else {
    const { source } = spec.manifests;
    if (source.kind === 'OAM') {
      out.push({
        code: 'unsupported-source',
        path: 'spec.manifests.source.kind',
        message: 'OAM sources are not supported yet; use Kustomize or HelmChart',
      });
    } else if (source.kind === 'HelmChart') {
      if (source.ref === undefined) {
        out.push({
          code: 'required',
          path: 'spec.manifests.source.ref',
          message: 'a HelmChart Blueprint needs source.ref (oci://…)',
        });
      } else if (
        !/^oci:\/\/[a-z0-9.-]+(:\d+)?\/[a-z0-9._/-]+(:[A-Za-z0-9._+-]+)?$/.test(source.ref) ||
        source.ref.includes('..')
      ) {
        out.push({
          code: 'invalid-ref',
          path: 'spec.manifests.source.ref',
          message: `"${source.ref}" is not an OCI chart reference like oci://registry.example/org/bp-name`,
        });
      }
    } else if (
      source.ref !== undefined &&
      !['manifests', './manifests', './manifests/', 'manifests/'].includes(source.ref)
    ) {
      // Flux applies only what the Environment repo holds, so the manifests are always the
      // Blueprint's own manifests/ folder; a ref may only say so.
      out.push({
        code: 'invalid-ref',
        path: 'spec.manifests.source.ref',
        message: 'Kustomize Blueprints are built from their own manifests/ folder; source.ref may only be ./manifests',
      });
    }
  }

  const upgrades = spec.upgrades;
  if (upgrades) {
    upgrades.from.forEach((pattern, i) => push(out, validateVersionRange(pattern, `spec.upgrades.from[${i}]`)));
    upgrades.blocks.forEach((pattern, i) => push(out, validateVersionRange(pattern, `spec.upgrades.blocks[${i}]`)));
  }

  const rotationNames = new Set<string>();
  spec.rotation.forEach((r, i) => {
    if (!(SECRET_CLASSES as readonly string[]).includes(r.kind)) {
      out.push({
        code: 'invalid-value',
        path: `spec.rotation[${i}].kind`,
        message: `kind must be one of ${SECRET_CLASSES.join(', ')}`,
      });
    }
    const ttl = parseDuration(r.ttl, `spec.rotation[${i}].ttl`);
    if (!ttl.ok) out.push(ttl.issue);
    if (rotationNames.has(r.name)) {
      out.push({
        code: 'duplicate',
        path: `spec.rotation[${i}].name`,
        message: `secret "${r.name}" is listed twice`,
      });
    }
    rotationNames.add(r.name);
  });

  const files = [
    ...(spec.card.icon ? [{ file: spec.card.icon, path: 'spec.card.icon' }] : []),
    ...(spec.card.screenshots ?? []).map((file, i) => ({
      file,
      path: `spec.card.screenshots[${i}]`,
    })),
  ];
  for (const f of files) push(out, validateRelativePath(f.file.replace(/^\.\//, ''), f.path));

  return out;
}

/**
 * Validates a `blueprint.yaml` document: schema, then what a schema cannot say — name `bp-<name>`,
 * semver `metadata.version`, a strict-mode-valid `configSchema`, well-formed `depends` (names, ranges,
 * unique identifier aliases, parseable `when`/values templates), composite and HelmChart rules,
 * upgrade patterns, rotation TTLs and card file paths.
 *
 * @public
 */
export function validateBlueprint(doc: unknown): CatalystValidation<CatalystBlueprint> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const raw = rawIssues(doc);
  const parsed = parseWith(catalystBlueprintSchema, doc);
  if (!parsed.ok) return combine(parsed, raw);
  return combine(parsed, [...raw, ...semanticIssues(parsed.value)]);
}
