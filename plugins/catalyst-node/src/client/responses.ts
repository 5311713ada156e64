import { z } from 'zod';

/**
 * Shape checks for the responses callers act on (a commit sha they log and link, the plan they
 * describe). Loose on purpose: new fields from a newer backend pass through, a missing or mistyped
 * field the caller needs fails here with its path instead of deep inside an action.
 */

const commit = z.looseObject({
  sha: z.string().regex(/^[0-9a-f]{40}$/),
  subject: z.string(),
  author: z.looseObject({ name: z.string(), email: z.string(), time: z.string() }),
});

const plannedApplication = z.looseObject({
  name: z.string(),
  blueprint: z.string(),
  version: z.string(),
  isNew: z.boolean(),
  dependencies: z.array(
    z.looseObject({
      alias: z.string(),
      blueprint: z.string(),
      application: z.string(),
      mode: z.enum(['embedded', 'existing']),
    }),
  ),
});

const plan = z.looseObject({
  environment: z.string(),
  organization: z.string(),
  root: z.string(),
  applications: z.array(plannedApplication),
  edges: z.array(z.looseObject({ from: z.string(), to: z.string() })),
  order: z.array(z.string()),
  skipped: z.array(z.looseObject({ path: z.string(), blueprint: z.string(), application: z.string() })),
});

export const planResponseShape = z.looseObject({
  plan,
  files: z.record(z.string(), z.string()),
  changes: z.array(z.looseObject({ path: z.string(), change: z.enum(['added', 'modified', 'removed']) })),
});

export const changeResponseShape = z.looseObject({
  action: z.string(),
  environment: z.string(),
  commit,
  applications: z.array(z.string()),
  replayed: z.boolean(),
  changed: z.boolean(),
  plan: plan.optional(),
});

export const environmentShape = z.looseObject({
  name: z.string(),
  organization: z.string(),
  envType: z.string(),
  governed: z.boolean(),
  repository: z.string(),
});

export const organizationShape = z.looseObject({
  name: z.string(),
  displayName: z.string(),
  teams: z.array(z.string()),
});

const blueprintSummary = z.looseObject({
  name: z.string(),
  namespace: z.string(),
  visibility: z.enum(['listed', 'unlisted', 'private']),
  latestVersion: z.string(),
  versions: z.array(z.string()),
});

export const blueprintSummaryShape = blueprintSummary;

export const blueprintDetailShape = blueprintSummary.extend({
  versionDetails: z.array(
    z.looseObject({
      version: z.string(),
      configSchema: z.record(z.string(), z.unknown()),
      depends: z.array(z.looseObject({ blueprint: z.string(), version: z.string() })),
      overlays: z.array(z.string()),
    }),
  ),
});

export const applicationShape = z.looseObject({
  name: z.string(),
  environment: z.string(),
  blueprint: z.string(),
  version: z.string(),
});

export const itemsOf = <T extends z.ZodType>(item: T) => z.looseObject({ items: z.array(item) });
