import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import {
  changeRequestPagePath,
  catalystRefs,
  ChangeRequestRef,
  ChangeResponse,
  FileChange,
  InstallPlan,
  OVERLAY_SIZES,
  parseEnvironmentName,
  PLACEMENT_MODES,
  validateApplicationName,
} from '@internal/plugin-catalyst-common';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { JsonObject } from '@backstage/types';
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import { dirname } from 'node:path';
import type { z as Zod3 } from 'zod/v3';
import type { z as Zod4 } from 'zod';

/** The zod the scaffolder hands to schema functions (it converts them to JSON Schema for the UI). */
export type Z = typeof Zod3;

/** What the helpers use of an action's context (the parts that do not depend on its input or output). */
export type StepContext = Pick<
  ActionContext<JsonObject, JsonObject>,
  | 'logger'
  | 'workspacePath'
  | 'task'
  | 'step'
  | 'each'
  | 'checkpoint'
  | 'getInitiatorCredentials'
  | 'isDryRun'
  | 'signal'
>;

// Input fields shared by the application actions. Loose on purpose (plain strings): the scaffolder
// checks input against the JSON Schema made from these before the handler runs, and a loose schema
// lets the handler answer with the catalyst API's own, more precise messages (field paths included).

export const applicationTargetInput = {
  environment: (z: Z) => z.string().describe('The Environment, `{org}-{env_type}` (e.g. acme-dev)'),
  application: (z: Z) =>
    z
      .string()
      .describe(
        'Name of the Application (a DNS label); for a composite Blueprint, the prefix of the Applications it creates',
      ),
};

const dependencyChoice = (z: Z) =>
  z
    .object({
      use: z.enum(['new', 'existing']),
      name: z
        .string()
        .optional()
        .describe("use: new — the new Application's name (default `{application}-{short name}`)"),
      application: z.string().optional().describe('use: existing — the Application to use'),
      overlay: z.enum(OVERLAY_SIZES).optional(),
      values: z.record(z.unknown()).optional(),
    })
    .passthrough();

export const installInput = {
  ...applicationTargetInput,
  blueprint: (z: Z) => z.string().describe('The Blueprint, bp-<name>'),
  version: (z: Z) =>
    z.string().optional().describe('A version or semver range; default: the highest installable version'),
  overlay: (z: Z) =>
    z
      .string()
      .optional()
      .describe(`Size overlay: ${OVERLAY_SIZES.join(' | ')}; default: the version's default`),
  values: (z: Z) =>
    z
      .record(z.unknown())
      .optional()
      .describe("Configuration, valid against the version's configSchema (defaults are applied)"),
  dependencies: (z: Z) =>
    z
      .record(dependencyChoice(z))
      .optional()
      .describe('Per dependency alias path (`db`, `cms.db`): { use: new, name? } or { use: existing, application }'),
  placement: (z: Z) =>
    z
      .object({ mode: z.enum(PLACEMENT_MODES), regions: z.array(z.string()).optional() })
      .optional()
      .describe('Placement; default single-region'),
};

export const planOutput = (z: Z) =>
  z
    .object({
      environment: z.string(),
      root: z.string(),
      applications: z.array(
        z.object({
          name: z.string(),
          blueprint: z.string(),
          version: z.string(),
          overlay: z.string().optional(),
          isNew: z.boolean(),
        }),
      ),
      edges: z.array(z.object({ from: z.string(), to: z.string() })),
      skipped: z.array(z.object({ path: z.string(), blueprint: z.string(), application: z.string() })),
      files: z.object({ added: z.number(), modified: z.number(), removed: z.number() }),
    })
    .describe(
      'What the change resolves to: the Applications, their dependsOn edges, skipped dependencies, file counts',
    );

export const changeRequestOutput = {
  changeRequest: (z: Z) =>
    z
      .string()
      .optional()
      .describe(
        'The change request (cr-N) the write opened: set when the Environment is governed by its EnvironmentPolicy; the change reaches main when it merges',
      ),
  changeRequestUrl: (z: Z) => z.string().optional().describe("The change request's page"),
};

export const linksOutput = (z: Z) =>
  z
    .array(z.object({ title: z.string(), url: z.string(), icon: z.string().optional() }))
    .describe("The Applications' entity pages, then the commit or the change request");

/** A plan as the task keeps it (checkpoints must be JSON, and the files would be too big to keep). */
export type PlanSummary = {
  environment: string;
  root: string;
  applications: Array<{ name: string; blueprint: string; version: string; overlay?: string; isNew: boolean }>;
  edges: Array<{ from: string; to: string }>;
  skipped: Array<{ path: string; blueprint: string; application: string }>;
  files: { added: number; modified: number; removed: number };
};

export function summarizePlan(plan: InstallPlan, changes: FileChange[]): PlanSummary {
  const byName = new Map(plan.applications.map(a => [a.name, a]));
  const count = (c: FileChange['change']) => changes.filter(f => f.change === c).length;
  return {
    environment: plan.environment,
    root: plan.root,
    applications: plan.order
      .map(n => byName.get(n))
      .filter((a): a is NonNullable<typeof a> => a !== undefined)
      .map(a => ({
        name: a.name,
        blueprint: a.blueprint,
        version: a.version,
        ...(a.overlay ? { overlay: a.overlay } : {}),
        isNew: a.isNew,
      })),
    edges: plan.edges.map(e => ({ from: e.from, to: e.to })),
    skipped: plan.skipped.map(s => ({ path: s.path, blueprint: s.blueprint, application: s.application })),
    files: { added: count('added'), modified: count('modified'), removed: count('removed') },
  };
}

/** Checkpoint values are JSON; our summaries are plain JSON objects. */
export const asJson = <T extends object>(value: T): JsonObject => value as unknown as JsonObject;

/** The task log's "resolve dependencies" and "compose" lines for a plan. */
export function logPlan(ctx: StepContext, summary: PlanSummary): void {
  const apps = summary.applications;
  ctx.logger.info(
    `Resolve dependencies: ${apps.length} Application${apps.length === 1 ? '' : 's'} in ${summary.environment}`,
  );
  for (const a of apps) {
    ctx.logger.info(
      `  ${a.name}: ${a.blueprint}@${a.version}${a.overlay ? ` (${a.overlay})` : ''} — ${a.isNew ? 'new' : 'changed'}`,
    );
  }
  for (const e of summary.edges) ctx.logger.info(`  ${e.from} dependsOn ${e.to}`);
  for (const s of summary.skipped) {
    ctx.logger.info(`  skipped ${s.path} (${s.blueprint}) of ${s.application}: its \`when\` condition is false`);
  }
  const f = summary.files;
  ctx.logger.info(
    `Compose: ${f.added + f.modified + f.removed} files (${f.added} added, ${f.modified} modified, ${
      f.removed
    } removed)`,
  );
}

const MAX_LOGGED_FILE = 4000;

/**
 * Dry runs (the template editor) show the rendered files twice: in the task log and as files in the
 * workspace, which the editor lists. Paths come from the server; they are still resolved inside the
 * workspace so a bad path cannot write elsewhere.
 */
export async function showRenderedFiles(
  ctx: StepContext,
  files: Record<string, string>,
  changes: FileChange[],
): Promise<void> {
  for (const c of changes) {
    const content = c.change === 'removed' ? undefined : files[c.path] ?? c.after;
    ctx.logger.info(`${c.change} ${c.path}`);
    if (content !== undefined) {
      const shown =
        content.length > MAX_LOGGED_FILE
          ? `${content.slice(0, MAX_LOGGED_FILE)}\n… (${content.length} characters)`
          : content;
      ctx.logger.info(shown);
      const target = resolveSafeChildPath(ctx.workspacePath, c.path);
      await fs.mkdir(dirname(target), { recursive: true });
      await fs.writeFile(target, content, 'utf8');
    }
  }
}

/** The entity page of an Application (the catalog's `/catalog/:namespace/:kind/:name` route). */
export function applicationPage(environment: string, application: string): string {
  return `/catalog/${environment}/application/${application}`;
}

/** Where one commit of an Environment is shown: the History tab of an Application it changed. */
export function commitPage(environment: string, application: string, sha: string): string {
  return `${applicationPage(environment, application)}/history?commit=${sha}`;
}

export type Link = { title: string; url: string; icon?: string };

/**
 * Links a change ends with: each Application's entity page, then the commit (the Application's
 * History tab, which shows one commit's diff).
 */
export function changeLinks(environment: string, applications: string[], commit?: string): Link[] {
  const links: Link[] = applications.map(a => ({
    title: `Application ${a}`,
    url: applicationPage(environment, a),
    icon: 'catalog',
  }));
  if (commit && applications.length > 0) {
    links.push({
      title: `Commit ${commit.slice(0, 7)} in ${environment}`,
      url: commitPage(environment, applications[0], commit),
    });
  }
  return links;
}

/**
 * The portal's page of one change request (catalyst-frontend's route). Task logs and template
 * outputs link it, since a write to a governed Environment lands there rather than on main.
 */
export function changeRequestPage(id: string): string {
  return changeRequestPagePath(id);
}

export function changeRequestLink(environment: string, id: string): Link {
  return { title: `Change request ${id} in ${environment}`, url: changeRequestPage(id) };
}

/**
 * A write's answer as the task keeps it in its checkpoint (JSON). `sha` is a commit on main, or —
 * when `changeRequest` is set — the commit on the change request's branch, which is not on main
 * until the request merges.
 */
export type ChangeOutcome = {
  sha: string;
  subject: string;
  author: string;
  applications: string[];
  changed: boolean;
  replayed: boolean;
  changeRequest?: ChangeRequestRef;
};

export function changeOutcome(res: ChangeResponse): ChangeOutcome {
  return {
    sha: res.commit.sha,
    subject: res.commit.subject,
    author: `${res.commit.author.name} <${res.commit.author.email}>`,
    applications: res.applications,
    changed: res.changed,
    replayed: res.replayed,
    ...(res.changeRequest
      ? {
          changeRequest: {
            id: res.changeRequest.id,
            number: res.changeRequest.number,
            state: res.changeRequest.state,
            merged: res.changeRequest.merged,
          },
        }
      : {}),
  };
}

/** The task log's line for a write that opened (or, replayed, had opened) a change request. */
export function changeRequestLine(environment: string, cr: ChangeRequestRef, replayed: boolean): string {
  let what: string;
  if (cr.merged) what = `opened in ${environment} and merged at once (its EnvironmentPolicy's rules all passed)`;
  else if (cr.state === 'open') what = `opened in ${environment} (waits for its EnvironmentPolicy)`;
  else what = `in ${environment} is ${cr.state}`;
  const again = replayed ? ' — an earlier attempt of this task opened it; nothing new was written' : '';
  return `Change request ${cr.id} ${what}: ${changeRequestPage(cr.id)}${again}`;
}

/** The task log's line for a commit on main. */
export function commitLine(outcome: ChangeOutcome): string {
  return `Commit: ${outcome.sha.slice(0, 7)} "${outcome.subject}" by ${outcome.author}${
    outcome.replayed ? ' (an earlier attempt of this task made it; nothing new was written)' : ''
  }`;
}

export function applicationRef(environment: string, application: string): string {
  return catalystRefs.application(application, environment);
}

/**
 * The idempotency key of one write of one task step: a retried task (same id, same step) replays
 * the first commit instead of committing twice. Hashing the step and target keeps two writes of one
 * task (two steps, or `each`) apart, within the API's 8–128 characters of `[A-Za-z0-9._:-]`.
 */
export function idempotencyKey(ctx: StepContext, verb: string, ...target: string[]): string {
  const task = ctx.task.id.replace(/[^A-Za-z0-9._:-]/g, '_').slice(0, 80);
  const scope = createHash('sha256')
    .update(JSON.stringify([ctx.step?.id ?? '', ...target, ctx.each ?? null]))
    .digest('hex')
    .slice(0, 16);
  return `${task}:${verb}:${scope}`;
}

/** Empty strings from unset template parameters mean "not given". */
export function blankToUndefined<T>(value: T): T | undefined {
  return typeof value === 'string' && value.trim() === '' ? undefined : value;
}

/** Validates with one of catalyst-common's request schemas; problems become one InputError naming the fields. */
export function parseInput<S extends Zod4.ZodType>(schema: S, value: unknown, action: string): Zod4.infer<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 5)
      .map(i => `${i.path.length ? i.path.join('.') : 'input'}: ${i.message}`);
    throw new InputError(`${action}: invalid input: ${problems.join('; ')}`);
  }
  return parsed.data;
}

export function checkEnvironmentName(name: string, field = 'environment'): void {
  const parsed = parseEnvironmentName(name, field);
  if (!parsed.ok) throw new InputError(`${field}: ${parsed.errors[0].message}`);
}

export function checkApplicationName(name: string, field = 'application'): void {
  const checked = validateApplicationName(name, field);
  if (!checked.ok) throw new InputError(`${field}: ${checked.errors[0].message}`);
}
