import { z } from 'zod';
import { PLACEMENT_MODES } from './application';
import { CATALYST_API_VERSION, stringMapSchema } from './common';

/** @public */
export const BLUEPRINT_VISIBILITIES = ['listed', 'unlisted', 'private'] as const;
/** @public */
export type BlueprintVisibility = (typeof BLUEPRINT_VISIBILITIES)[number];

/** @public */
export const MANIFEST_SOURCE_KINDS = ['Kustomize', 'HelmChart', 'OAM'] as const;

/** A JSON object whose content is checked elsewhere (JSON Schema by ajv, values by templates). */
const jsonObjectSchema = z.record(z.string(), z.unknown());

/** @public */
export const blueprintDependencySchema = z.strictObject({
  blueprint: z.string(),
  version: z.string(),
  alias: z.string(),
  /** `"{{ expr }}"` or a literal boolean; false skips the dependency. */
  when: z.union([z.string(), z.boolean()]).optional(),
  /** Values passed to the dependency; strings may hold `{{ expr }}` templates. */
  values: jsonObjectSchema.optional(),
});

/** @public */
export type BlueprintDependency = z.infer<typeof blueprintDependencySchema>;

/** @public */
export const blueprintSpecSchema = z.strictObject({
  card: z.strictObject({
    title: z.string().min(1).max(100),
    tagline: z.string().max(200).optional(),
    category: z.string().min(1).max(50),
    tags: z.array(z.string().min(1).max(50)).default([]),
    icon: z.string().min(1).optional(),
    screenshots: z.array(z.string().min(1)).optional(),
    license: z.string().min(1).optional(),
    documentation: z.url().optional(),
  }),
  visibility: z.enum(BLUEPRINT_VISIBILITIES).default('listed'),
  owner: z.strictObject({ team: z.string().min(1), contact: z.email().optional() }).optional(),
  configSchema: jsonObjectSchema.default({ type: 'object' }),
  placementSchema: z
    .strictObject({
      modes: z.array(z.enum(PLACEMENT_MODES)).min(1),
      minRegions: z.number().int().min(1).optional(),
      maxRegions: z.number().int().min(1).optional(),
    })
    .default({ modes: ['single-region'] }),
  depends: z.array(blueprintDependencySchema).default([]),
  manifests: z
    .strictObject({
      source: z.strictObject({
        kind: z.enum(MANIFEST_SOURCE_KINDS),
        ref: z.string().min(1).optional(),
      }),
      overlays: z
        .strictObject({
          small: jsonObjectSchema.optional(),
          medium: jsonObjectSchema.optional(),
          large: jsonObjectSchema.optional(),
        })
        .optional(),
    })
    .optional(),
  upgrades: z
    .strictObject({
      from: z.array(z.string()).default([]),
      blocks: z.array(z.string()).default([]),
    })
    .optional(),
  rotation: z
    .array(
      z.strictObject({
        kind: z.string().min(1),
        name: z.string().min(1),
        ttl: z.string().min(1),
      }),
    )
    .default([]),
  observability: z
    .strictObject({
      metrics: z.string().min(1).optional(),
      logs: z.string().min(1).optional(),
      traces: z.string().min(1).optional(),
    })
    .optional(),
  dynamicSecrets: z.boolean().optional(),
});

/**
 * `bp-<name>/blueprint.yaml` (reference §3.5). The version sits in `metadata.version`, as in the
 * authoring guide. Our name for the type is CatalystBlueprint because Backstage's frontend system
 * already uses "Blueprint" for extension factories.
 *
 * @public
 */
export const catalystBlueprintSchema = z.strictObject({
  apiVersion: z.literal(CATALYST_API_VERSION),
  kind: z.literal('Blueprint'),
  metadata: z.object({
    name: z.string(),
    version: z.string(),
    namespace: z.string().min(1).optional(),
    labels: stringMapSchema.optional(),
    annotations: stringMapSchema.optional(),
  }),
  spec: blueprintSpecSchema,
  status: z.unknown().optional(),
});

/** @public */
export type CatalystBlueprint = z.infer<typeof catalystBlueprintSchema>;
