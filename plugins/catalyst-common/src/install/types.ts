import { z } from 'zod';
import { CatalystIssue } from '../issues';
import {
  BLUEPRINT_SOURCES,
  BlueprintSource,
  OVERLAY_SIZES,
  OverlaySize,
  Placement,
  applicationPlacementSchema,
} from '../kinds/application';

const valuesSchema = z.record(z.string(), z.unknown());

/**
 * What to do for one dependency, keyed by its alias path from the requested Application
 * (`db`, or `cms.db` for the database of a bundle's CMS).
 *
 * @public
 */
export const dependencyChoiceSchema = z.discriminatedUnion('use', [
  z.strictObject({ use: z.literal('existing'), application: z.string() }),
  z.strictObject({
    use: z.literal('new'),
    /** Defaults to `{app}-{blueprint short name}`. */
    name: z.string().optional(),
    overlay: z.enum(OVERLAY_SIZES).optional(),
    values: valuesSchema.optional(),
  }),
]);

/** @public */
export type DependencyChoice = z.infer<typeof dependencyChoiceSchema>;

/** An Application already in the Environment, as far as resolution needs to know it. @public */
export const existingApplicationSchema = z.strictObject({
  blueprint: z.string(),
  version: z.string(),
  source: z.enum(BLUEPRINT_SOURCES).optional(),
  /** Its resolved dependencies (from its application.yaml), reused when it is re-resolved. */
  dependencies: z
    .array(
      z.strictObject({
        alias: z.string(),
        application: z.string(),
        mode: z.enum(['embedded', 'existing']).default('existing'),
      }),
    )
    .optional(),
});

/** @public */
export type ExistingApplication = z.infer<typeof existingApplicationSchema>;

/** @public */
export const installRequestSchema = z.strictObject({
  /** `{org}-{env_type}`; the Organization decides which private Blueprints are visible. */
  environment: z.string(),
  /** Name of the requested Application (for a composite Blueprint: the prefix of its Applications). */
  application: z.string(),
  blueprint: z.string(),
  /** A semver range or exact version; default: the highest installable version. */
  version: z.string().optional(),
  overlay: z.enum(OVERLAY_SIZES).optional(),
  values: valuesSchema.default({}),
  placement: applicationPlacementSchema.optional(),
  dependencies: z.record(z.string(), dependencyChoiceSchema).default({}),
  /** Every Application in the Environment now, by name. */
  existingApplications: z.record(z.string(), existingApplicationSchema).default({}),
  /**
   * Re-resolve an Application that already exists (configure, upgrade): its name must exist and its
   * recorded direct dependencies are kept unless a choice says otherwise.
   */
  update: z.boolean().default(false),
});

/** @public */
export type InstallRequest = z.input<typeof installRequestSchema>;

/** @public */
export interface PlannedDependency {
  alias: string;
  blueprint: string;
  application: string;
  /** `embedded`: created (or kept) by this plan; `existing`: an Application already in the Environment. */
  mode: 'embedded' | 'existing';
}

/** @public */
export interface PlannedApplication {
  name: string;
  blueprint: string;
  version: string;
  source: BlueprintSource;
  /** Owning Organization of a shared-blueprints version. */
  organization?: string;
  overlay?: OverlaySize;
  /** Final configuration: schema defaults, then overlay values, then dependency values, then the user's. */
  values: Record<string, unknown>;
  placement: Placement;
  /** Sorted by alias. */
  dependencies: PlannedDependency[];
  /** False only for the requested Application in an update. */
  isNew: boolean;
  /** Scaled to zero on purpose (set by the writer from the request or the current application.yaml). */
  paused?: boolean;
  /** Alias paths that asked for this Application (the empty path for the requested one), sorted. */
  requestedBy: string[];
}

/** @public */
export interface SkippedDependency {
  /** Alias path of the skipped entry. */
  path: string;
  blueprint: string;
  /** The Application whose Blueprint declared it. */
  application: string;
}

/**
 * The result of resolving an install: the Applications to write, and the edges between them
 * (`from` depends on `to`; `to` may be an existing Application outside the plan).
 *
 * @public
 */
export interface InstallPlan {
  environment: string;
  organization: string;
  /** The requested name (for a composite Blueprint no Application carries it). */
  root: string;
  /** In `order`. */
  applications: PlannedApplication[];
  /** Sorted by from, then to. */
  edges: Array<{ from: string; to: string }>;
  /** Topological: every Application after the Applications it depends on; ties by name. */
  order: string[];
  /** Dependencies whose `when` was false and that resolved to nothing. */
  skipped: SkippedDependency[];
}

/**
 * An install problem. `chain` is the Blueprint path that led to it (`['bp-a', 'bp-b', 'bp-a']`).
 *
 * @public
 */
export interface InstallIssue extends CatalystIssue {
  chain?: string[];
}

/** @public */
export type InstallResult = { ok: true; plan: InstallPlan } | { ok: false; errors: InstallIssue[] };
