import { z } from 'zod';
import { CatalystIssue, jsonPath } from '../issues';
import {
  parseEnvironmentName,
  validateAlias,
  validateApplicationName,
  validateBlueprintName,
  validateVersion,
} from '../naming';
import { CatalystValidation, combine, kindSchema, metadataSchema, notAnObject, ownValue, parseWith } from './common';

/** Label carrying an Application's Environment on its application.yaml and Kubernetes objects. @public */
export const CATALYST_ENVIRONMENT_LABEL = 'catalyst.openova.io/environment';

/**
 * Annotation on application.yaml: `"true"` while the Application is paused (scaled to zero on
 * purpose). The same commit scales its workloads to zero (docs/contracts.md §2). @public
 */
export const CATALYST_PAUSED_ANNOTATION = 'catalyst.openova.io/paused';

/** @public */
export const PLACEMENT_MODES = ['single-region', 'active-active', 'active-hotstandby'] as const;
/** @public */
export type PlacementMode = (typeof PLACEMENT_MODES)[number];

/** @public */
export const OVERLAY_SIZES = ['small', 'medium', 'large'] as const;
/** @public */
export type OverlaySize = (typeof OVERLAY_SIZES)[number];

/** Where a Blueprint version came from: the Sovereign's public mirror or an Org's private repo. @public */
export const BLUEPRINT_SOURCES = ['catalog', 'shared-blueprints'] as const;
/** @public */
export type BlueprintSource = (typeof BLUEPRINT_SOURCES)[number];

/** Which regions realize an Application; bounded by the Blueprint's placementSchema. @public */
export const applicationPlacementSchema = z.strictObject({
  mode: z.enum(PLACEMENT_MODES),
  regions: z.array(z.string().min(1)).default([]),
});

/** @public */
export type Placement = z.infer<typeof applicationPlacementSchema>;

/** @public */
export const applicationDependencySchema = z.strictObject({
  alias: z.string(),
  blueprint: z.string(),
  application: z.string(),
  mode: z.enum(['embedded', 'existing']),
});

/** @public */
export type ApplicationDependency = z.infer<typeof applicationDependencySchema>;

/**
 * `applications/<app>/application.yaml` (docs/contracts.md §2.4). The values live beside it in
 * values.yaml, never in this object.
 *
 * @public
 */
export const applicationSchema = kindSchema(
  'Application',
  metadataSchema,
  z.strictObject({
    environmentRef: z.string(),
    blueprintRef: z.strictObject({
      name: z.string(),
      version: z.string(),
      source: z.enum(BLUEPRINT_SOURCES),
    }),
    overlay: z.enum(OVERLAY_SIZES).optional(),
    placement: applicationPlacementSchema.default({
      mode: 'single-region',
      regions: [],
    }),
    dependencies: z.array(applicationDependencySchema).default([]),
  }),
);

/** @public */
export type Application = z.infer<typeof applicationSchema>;

/** @public */
export function validateApplication(doc: unknown): CatalystValidation<Application> {
  const notObject = notAnObject(doc);
  if (notObject) return { ok: false, errors: notObject };
  const extra: CatalystIssue[] = [];
  const check = (r: { ok: boolean; errors?: CatalystIssue[] }) => {
    if (!r.ok && r.errors) extra.push(...r.errors);
  };
  const metadata = ownValue(doc, 'metadata');
  const spec = ownValue(doc, 'spec');
  const blueprintRef = ownValue(spec, 'blueprintRef');
  const name = ownValue(metadata, 'name');
  if (typeof name === 'string') check(validateApplicationName(name));
  const env = ownValue(spec, 'environmentRef');
  if (typeof env === 'string') check(parseEnvironmentName(env, 'spec.environmentRef'));
  const bp = ownValue(blueprintRef, 'name');
  if (typeof bp === 'string') check(validateBlueprintName(bp, 'spec.blueprintRef.name'));
  const version = ownValue(blueprintRef, 'version');
  if (typeof version === 'string') check(validateVersion(version, 'spec.blueprintRef.version'));
  const deps = ownValue(spec, 'dependencies');
  if (Array.isArray(deps)) {
    const aliases = new Set<string>();
    deps.forEach((d, i) => {
      const alias = ownValue(d, 'alias');
      if (typeof alias === 'string') {
        check(validateAlias(alias, `spec.dependencies[${i}].alias`));
        if (aliases.has(alias)) {
          extra.push({
            code: 'duplicate-alias',
            path: `spec.dependencies[${i}].alias`,
            message: `alias "${alias}" appears twice`,
          });
        }
        aliases.add(alias);
      }
      const depBp = ownValue(d, 'blueprint');
      if (typeof depBp === 'string') check(validateBlueprintName(depBp, `spec.dependencies[${i}].blueprint`));
      const app = ownValue(d, 'application');
      if (typeof app === 'string') check(validateApplicationName(app, `spec.dependencies[${i}].application`));
    });
  }
  const parsed = parseWith(applicationSchema, doc);
  if (parsed.ok) {
    const envLabel = parsed.value.metadata.labels?.[CATALYST_ENVIRONMENT_LABEL];
    if (envLabel !== undefined && envLabel !== parsed.value.spec.environmentRef) {
      extra.push({
        code: 'name-mismatch',
        path: jsonPath('metadata', 'labels', CATALYST_ENVIRONMENT_LABEL),
        message: `label says Environment "${envLabel}" but spec.environmentRef is "${parsed.value.spec.environmentRef}"`,
      });
    }
  }
  return combine(parsed, extra);
}
