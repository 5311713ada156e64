import type { LoggerService } from '@backstage/backend-plugin-api';
import {
  BlueprintCatalog,
  CATALYST_TRAILERS,
  changeRequestPagePath,
  CatalystIssue,
  checkBlueprintVersion,
  parseBlueprintTag,
  parseTrailers,
  withTrailers,
} from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { FileChanges, GitIdentity } from '../git/GitRepository';
import { authorIdentity } from '../provisioning/commits';
import { EnvironmentState, isGoverned, readEnvironmentState } from '../provisioning/environmentState';
import { applicationOfIntent, ChangeIntent } from '../provisioning/intents';
import { prepareUpdate } from '../provisioning/prepareChanges';
import { publishChangeEvents } from '../provisioning/publishChange';
import { currentValues } from '../provisioning/repoReads';
import type { ChangeResponse } from '@internal/plugin-catalyst-common';
import { PushedObjects } from './pushedObjects';
import { readPush } from './pushIntents';

/** Who pushes where: settled by the HTTP surface before git runs (authenticated, authorized). */
export interface PushContext {
  principal: CatalystPrincipal;
  organization: string;
  gitdir: string;
  /** The Environment pushed to; absent for the Organization's shared-blueprints. */
  env?: EnvironmentRecord;
}

/** One line of receive-pack's hook input; `null` for git's all-zero id (created, deleted). */
export interface RefUpdate {
  old: string | null;
  next: string | null;
  ref: string;
}

export interface Verdict {
  ok: boolean;
  /** Shown to the pusher (`remote: …`), one line per point. */
  message: string;
}

export interface PushPolicyDeps {
  repos: EnvironmentRepositories;
  catalog: () => BlueprintCatalog;
  /** Opens a change request for an intent, as every other surface does. */
  openChangeRequest: (
    env: EnvironmentRecord,
    principal: CatalystPrincipal,
    intent: ChangeIntent,
    requestKey: string,
  ) => Promise<ChangeResponse>;
  refreshBlueprints: () => Promise<void>;
  publisher: CatalystEventPublisher;
  committer: GitIdentity;
  /** The portal's address, for links in messages. */
  portalUrl: () => Promise<string>;
  now: () => Date;
  logger: LoggerService;
}

const ZERO = /^0{40}$/;
const MAIN = 'refs/heads/main';

/** receive-pack's hook input: `<old> <new> <ref>` per line. */
export function parseRefUpdates(text: string): RefUpdate[] {
  return text
    .split('\n')
    .map(l => l.trim().split(' '))
    .filter(p => p.length === 3)
    .map(([old, next, ref]) => ({ old: ZERO.test(old) ? null : old, next: ZERO.test(next) ? null : next, ref }));
}

const refused = (lines: string[]): Verdict => ({ ok: false, message: lines.join('\n') });
const issueLines = (issues: CatalystIssue[]) => issues.map(i => `  ${i.path ? `${i.path}: ` : ''}${i.message}`);

/** A change request's idempotency key for a push: the branch and the commit pushed. */
export function pushRequestKey(branch: string, sha: string): string {
  return `git.${branch.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 80)}.${sha.slice(0, 12)}`;
}

/**
 * What Catalyst's rules say about a push (the pre-receive check) and what follows it (after
 * receive-pack updated the refs): the EnvironmentPolicy, the repo layout and each Blueprint's
 * configSchema, exactly as on every other surface.
 *
 * - an Environment's `main`: refused where governed (with the rules and the way through); where
 *   not, accepted when every change it carries prepares cleanly, then composed by Catalyst (the
 *   manifests follow values.yaml and application.yaml) and announced with the same events as a
 *   portal write;
 * - another branch of a governed Environment: checked the same way against main, then a change
 *   request carries it (one change per branch);
 * - shared-blueprints: release tags `bp-<name>/v<semver>` are checked with the registration code
 *   and registered as the Organization's private versions; release tags never move.
 */
export class PushPolicy {
  constructor(private readonly deps: PushPolicyDeps) {}

  async check(ctx: PushContext, updates: RefUpdate[], objects: PushedObjects): Promise<Verdict> {
    const lines: string[] = [];
    for (const update of updates) {
      const verdict = ctx.env
        ? await this.checkEnvironmentRef(ctx.env, update, objects)
        : await this.checkBlueprintRef(ctx, update, objects);
      if (!verdict.ok) return verdict;
      if (verdict.message) lines.push(verdict.message);
    }
    return { ok: true, message: lines.join('\n') };
  }

  private async checkEnvironmentRef(
    env: EnvironmentRecord,
    update: RefUpdate,
    objects: PushedObjects,
  ): Promise<Verdict> {
    const { ref, next } = update;
    if (!ref.startsWith('refs/heads/')) return refused([`${ref}: an Environment repo takes branches only`]);
    if (ref.startsWith('refs/heads/change-requests/')) {
      return refused([`${ref}: change-request branches are Catalyst's; push your own branch and it opens one`]);
    }
    const repo = await this.deps.repos.open(env.name);
    const main = (await repo.resolve(MAIN)) ?? null;
    const state = await readEnvironmentState(repo, main);
    if (ref === MAIN) {
      if (!next) return refused([`${env.name}: main cannot be deleted`]);
      if (isGoverned(state)) return refused(governedLines(env, state));
    }
    if (!next) return { ok: true, message: '' }; // deleting one's own branch
    // main: what this push adds to main; a branch: what it adds since it left main
    let base: string | null | undefined = null;
    if (main) base = ref === MAIN ? update.old : await objects.mergeBase(main, next);
    const forged = await catalystTrailersIn(objects, base ?? null, next);
    if (forged) return refused([`${env.name}: ${ref} was refused:`, forged]);
    const reading = await readPush({
      objects,
      changed: await objects.diff(base ?? null, next),
      head: next,
      state,
      env,
      repo,
      catalog: this.deps.catalog(),
    });
    if (reading.issues.length) return refused([`${env.name}: ${ref} was refused:`, ...issueLines(reading.issues)]);
    if (ref !== MAIN && isGoverned(state) && reading.intents.length > 1) {
      return refused([
        `${env.name}: a change request carries one change, and ${ref} changes ${reading.intents.length}:`,
        ...reading.intents.map(i => `  ${i.kind} ${applicationOfIntent(i) ?? 'policies/'}`),
        'Push each to its own branch.',
      ]);
    }
    return { ok: true, message: '' };
  }

  private async checkBlueprintRef(ctx: PushContext, update: RefUpdate, objects: PushedObjects): Promise<Verdict> {
    if (!update.ref.startsWith('refs/tags/')) return { ok: true, message: '' };
    const tag = update.ref.slice('refs/tags/'.length);
    const parsed = parseBlueprintTag(tag);
    if (!parsed.ok) return { ok: true, message: '' }; // not a release tag: an ordinary tag
    if (update.old) return refused([`${tag}: release tags are immutable; release a new version instead`]);
    if (!update.next) return refused([`${tag}: release tags cannot be deleted`]);
    const checked = checkBlueprintVersion({
      source: 'shared-blueprints',
      organization: ctx.organization,
      files: await objects.readDir(update.next, parsed.blueprint),
      tag,
      commit: update.next,
    });
    if (!checked.ok) return refused([`${tag} is not a valid Blueprint release:`, ...issueLines(checked.errors)]);
    return { ok: true, message: '' };
  }

  /** After the refs moved: compose and announce, open change requests, register releases. */
  async apply(ctx: PushContext, updates: RefUpdate[]): Promise<Verdict> {
    const lines: string[] = [];
    for (const update of updates) {
      try {
        if (!update.next) continue;
        if (!ctx.env) {
          if (update.ref.startsWith('refs/tags/') && parseBlueprintTag(update.ref.slice(10)).ok) {
            await this.deps.refreshBlueprints();
            lines.push(`Registered ${update.ref.slice(10)} as a private Blueprint version of ${ctx.organization}.`);
          }
          continue;
        }
        if (update.ref === MAIN) lines.push(...(await this.composeMain(ctx, ctx.env, update)));
        else lines.push(...(await this.openRequest(ctx, ctx.env, update)));
      } catch (error) {
        // The push stands (its refs moved); what follows it is retried by pushing again.
        this.deps.logger.error(`After a push to ${update.ref}: ${String(error)}`, { ref: update.ref });
        lines.push(`${update.ref} was pushed, but Catalyst could not follow it up: ${(error as Error).message}`);
      }
    }
    return { ok: true, message: lines.join('\n') };
  }

  private async readAgainstMain(env: EnvironmentRecord, update: RefUpdate, base: string | null) {
    const repo = await this.deps.repos.open(env.name);
    const objects = new PushedObjects(repo.gitdir);
    const main = (await repo.resolve(MAIN)) ?? null;
    const state = await readEnvironmentState(repo, base ?? main);
    const reading = await readPush({
      objects,
      changed: await objects.diff(
        base ?? (main ? await objects.mergeBase(main, update.next!) : null) ?? null,
        update.next!,
      ),
      head: update.next!,
      state,
      env,
      repo,
      catalog: this.deps.catalog(),
    });
    return { repo, state, reading };
  }

  private async composeMain(ctx: PushContext, env: EnvironmentRecord, update: RefUpdate): Promise<string[]> {
    const { repo, reading } = await this.readAgainstMain(env, update, update.old);
    if (reading.issues.length) return [`main moved on before Catalyst composed it: ${reading.issues[0].message}`];
    const apps = reading.intents.map(applicationOfIntent).filter((a): a is string => !!a);
    const catalog = this.deps.catalog();
    const outcome = await this.deps.repos.writer.write(repo, 'main', async head => {
      const state = await readEnvironmentState(repo, head);
      const changes: FileChanges = {};
      for (const name of apps) {
        if (!state.applications.has(name)) {
          changes[`applications/${name}/`] = null;
          changes[`flux-system/applications/${name}.yaml`] = null;
          continue;
        }
        const values = await currentValues(repo, state, name);
        Object.assign(changes, prepareUpdate(env, state, name, { values }, values, catalog).changes);
      }
      return {
        changes,
        message: withTrailers(
          `Compose ${apps.join(', ') || 'the policy'} after ${ctx.principal.displayName}'s push`,
          `Pushed as ${update.next!.slice(0, 12)}.`,
          { [CATALYST_TRAILERS.action]: 'compose', [CATALYST_TRAILERS.actor]: ctx.principal.userRef },
        ),
        author: { ...authorIdentity(ctx.principal), timestamp: Math.floor(this.deps.now().getTime() / 1000) },
        committer: { ...this.deps.committer, timestamp: Math.floor(this.deps.now().getTime() / 1000) },
        result: undefined,
      };
    });
    const sha = outcome.commit?.changed ? outcome.commit.sha : update.next!;
    for (const prepared of reading.prepared) {
      await publishChangeEvents(this.deps, env, sha, ctx.principal.userRef, prepared);
    }
    return outcome.commit?.changed
      ? [`Catalyst composed the manifests as ${sha.slice(0, 12)} on main; pull to get it.`]
      : [];
  }

  private async openRequest(ctx: PushContext, env: EnvironmentRecord, update: RefUpdate): Promise<string[]> {
    const { state, reading } = await this.readAgainstMain(env, update, null);
    if (!isGoverned(state) || reading.intents.length !== 1) return [];
    const branch = update.ref.slice('refs/heads/'.length);
    const answer = await this.deps.openChangeRequest(
      env,
      ctx.principal,
      reading.intents[0],
      pushRequestKey(branch, update.next!),
    );
    const cr = answer.changeRequest;
    if (!cr) return [];
    const url = `${await this.deps.portalUrl()}${changeRequestPagePath(cr.id)}`;
    return [`Change request ${cr.id} ${answer.replayed ? 'is' : 'opened'} for ${branch} (${cr.state}): ${url}`];
  }
}

/** Why main of a governed Environment takes no push, and the way through. */
function governedLines(env: EnvironmentRecord, state: EnvironmentState): string[] {
  const rules = state.policyRules?.map(r => r.kind).join(', ') ?? 'an unreadable policy file';
  return [
    `${env.name} is governed by its EnvironmentPolicy (${rules}): main takes no direct push.`,
    'Push your change to another branch, e.g. `git push origin HEAD:my-change`; Catalyst opens a change request',
    'that merges once the rules pass.',
  ];
}

const CATALYST_TRAILER_NAMES = new Set(Object.values(CATALYST_TRAILERS).map(t => t.toLowerCase()));

/**
 * Catalyst's trailers say who acted and why (the actor the history shows, the change request a merge
 * commit closes, the reason glass was broken): Catalyst writes them, so a pushed commit that carries
 * one is refused rather than believed. Returns the refusal line, or undefined.
 */
async function catalystTrailersIn(objects: PushedObjects, base: string | null, head: string) {
  for (const commit of await objects.commitMessages(base, head)) {
    const names = Object.keys(parseTrailers(commit.message)).filter(k => CATALYST_TRAILER_NAMES.has(k.toLowerCase()));
    if (names.length > 0) {
      return `  commit ${commit.sha.slice(0, 7)} carries ${names.join(
        ', ',
      )}: only Catalyst writes these trailers (they name who acted and why); remove them and push again`;
    }
  }
  return undefined;
}
