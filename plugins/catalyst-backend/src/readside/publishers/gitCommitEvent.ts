import {
  CATALYST_EVENT_TYPES,
  CATALYST_PAUSED_ANNOTATION,
  CATALYST_TRAILERS,
  CatalystEvent,
  CatalystEventDataMap,
  createCatalystEvent,
  parseTrailers,
  parseYaml,
  validateApplicationName,
  valuesDigest,
} from '@internal/plugin-catalyst-common';
import type { LogEntry } from '../../git/GitRepository';
import type { GitRepository } from '../../git/GitRepository';
import type { ReadSideEnvironment } from '../names';

/** Marks an Application scaled to zero on purpose (the projection's `paused`; docs/contracts.md §2). */
export const PAUSED_ANNOTATION = CATALYST_PAUSED_ANNOTATION;

const MAX_MESSAGE = 4096;

type CommitApplication = CatalystEventDataMap[typeof CATALYST_EVENT_TYPES.gitCommit]['applications'][number];

/** What the Git publisher needs of one tree: the blobs under the folders a commit event describes. */
export interface TreeListing {
  /** app → "path=blob;…" of everything under `applications/<app>/` and `flux-system/applications/<app>.yaml` */
  applications: Map<string, string>;
  /** "path=blob;…" of `policies/` */
  policies: string;
}

const EMPTY_LISTING: TreeListing = { applications: new Map(), policies: '' };

/** Reads the parts of a commit's tree that decide what it changed. */
export async function listTree(repo: GitRepository, sha: string | undefined): Promise<TreeListing> {
  if (!sha) return EMPTY_LISTING;
  const [apps, flux, policies] = await Promise.all([
    repo.listFiles(sha, 'applications'),
    repo.listFiles(sha, 'flux-system/applications'),
    repo.listFiles(sha, 'policies'),
  ]);
  const byApp = new Map<string, string[]>();
  const add = (app: string, entry: string) => {
    const list = byApp.get(app) ?? [];
    list.push(entry);
    byApp.set(app, list);
  };
  for (const [path, oid] of apps) {
    const app = path.split('/')[1];
    if (app) add(app, `${path}=${oid}`);
  }
  // Only Applications with a folder count; the Kustomization file changes with them.
  for (const [path, oid] of flux) {
    const m = /^flux-system\/applications\/([^/]+)\.yaml$/.exec(path);
    if (m && byApp.has(m[1])) add(m[1], `${path}=${oid}`);
  }
  const applications = new Map<string, string>();
  for (const [app, entries] of byApp) applications.set(app, entries.sort().join(';'));
  const policyList = [...policies]
    .map(([p, o]) => `${p}=${o}`)
    .sort()
    .join(';');
  return { applications, policies: policyList };
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

/** The pin an Application folder holds at a commit (whatever of it parses). */
async function applicationPin(
  repo: GitRepository,
  sha: string,
  app: string,
): Promise<Omit<CommitApplication, 'name' | 'change'>> {
  const [applicationYaml, valuesYaml] = await Promise.all([
    repo.readFile(sha, `applications/${app}/application.yaml`),
    repo.readFile(sha, `applications/${app}/values.yaml`),
  ]);
  return applicationPinOf(applicationYaml, valuesYaml);
}

/**
 * The pin of an Application folder from its two files (whatever of them parses): the Blueprint,
 * version, source, overlay, pause and the digest of its values — as the projector sees it, so a
 * change request's pin compares with the soak observation of the read model.
 */
export function applicationPinOf(
  applicationYaml: string | undefined,
  valuesYaml: string | undefined,
): Omit<CommitApplication, 'name' | 'change'> {
  const out: Omit<CommitApplication, 'name' | 'change'> = {};
  if (applicationYaml !== undefined) {
    const parsed = parseYaml(applicationYaml);
    const doc = parsed.ok ? asRecord(parsed.value) : undefined;
    const spec = asRecord(doc?.spec);
    const ref = asRecord(spec?.blueprintRef);
    if (typeof ref?.name === 'string') out.blueprint = ref.name;
    if (typeof ref?.version === 'string') out.version = ref.version;
    // Source and overlay feed the Blueprint usage view (catalyst-common projection/usage.ts).
    if (typeof ref?.source === 'string') out.source = ref.source;
    if (typeof spec?.overlay === 'string') out.overlay = spec.overlay;
    const annotations = asRecord(asRecord(doc?.metadata)?.annotations);
    if (annotations?.[PAUSED_ANNOTATION] === 'true') out.paused = true;
  }
  if (valuesYaml !== undefined) {
    // An empty values.yaml means "no values", as the write side renders defaults-only Applications.
    const parsed = valuesYaml.trim() === '' ? { ok: true as const, value: {} } : parseYaml(valuesYaml);
    if (parsed.ok) out.valuesDigest = valuesDigest(parsed.value);
  }
  return out;
}

/**
 * The `io.catalyst.git.commit` event of one commit: the Application folders it changed compared
 * with `before` (its first parent's tree, or nothing for a root commit or the first commit of a
 * truncated walk, so every Application is reported), with the pin each has after the commit.
 */
export async function gitCommitEvent(options: {
  repo: GitRepository;
  environment: ReadSideEnvironment;
  commit: LogEntry;
  after: TreeListing;
  before: TreeListing;
}): Promise<{ event: CatalystEvent; skipped: string[] }> {
  const { repo, environment, commit, after, before } = options;
  const names = new Set([...after.applications.keys(), ...before.applications.keys()]);
  const applications: CommitApplication[] = [];
  const skipped: string[] = [];
  for (const name of [...names].sort()) {
    const now = after.applications.get(name);
    const was = before.applications.get(name);
    if (now === was) continue;
    if (!validateApplicationName(name).ok) {
      skipped.push(name);
      continue;
    }
    if (now === undefined) {
      applications.push({ name, change: 'removed' });
      continue;
    }
    applications.push({
      name,
      change: was === undefined ? 'added' : 'modified',
      ...(await applicationPin(repo, commit.sha, name)),
    });
  }
  const trailers = parseTrailers(commit.message);
  const time = new Date(commit.committer.timestamp * 1000).toISOString();
  const message = commit.message.length > MAX_MESSAGE ? `${commit.message.slice(0, MAX_MESSAGE)}…` : commit.message;
  const event = createCatalystEvent({
    id: `git/${environment.name}/${commit.sha}`,
    source: 'catalyst/git-watcher',
    type: CATALYST_EVENT_TYPES.gitCommit,
    subject: `commit/${commit.sha}`,
    time,
    organization: environment.organization,
    environment: environment.name,
    data: {
      sha: commit.sha,
      parents: commit.parents,
      branch: 'main',
      author: {
        name: commit.author.name || 'unknown',
        ...(commit.author.email ? { email: commit.author.email } : {}),
        ...(trailers[CATALYST_TRAILERS.actor] ? { user: trailers[CATALYST_TRAILERS.actor] } : {}),
      },
      message,
      time,
      applications,
      touchesPolicies: after.policies !== before.policies,
    },
  });
  return { event, skipped };
}
