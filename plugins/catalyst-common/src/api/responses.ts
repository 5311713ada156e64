import type { CatalystIssue } from '../issues';
import type { InstallPlan, PlannedDependency } from '../install/types';
import type { Placement } from '../kinds/application';
import type { EnvironmentPolicyRule } from '../policy/rules';
import type { ApplicationStatusView } from '../status/deriveApplicationStatus';
import type { ChangeRequestRef } from './changeRequests';

/** Responses of the catalyst REST API. @public */

/** A Git identity with the time of the commit (ISO 8601). @public */
export interface CommitPerson {
  name: string;
  email: string;
  time: string;
}

/** @public */
export interface CommitRecord {
  sha: string;
  /** First line of the message. */
  subject: string;
  message: string;
  author: CommitPerson;
  committer: CommitPerson;
  /** The Backstage user who made it through Catalyst (`Catalyst-Actor` trailer), if any. */
  actor?: string;
  /** `install`, `configure`, … (`Catalyst-Action` trailer), if it came from Catalyst. */
  action?: string;
}

/** @public */
export interface BlueprintCard {
  title?: string;
  tagline?: string;
  category?: string;
  tags?: string[];
  icon?: string;
  license?: string;
  documentation?: string;
}

/** One Blueprint as the marketplace lists it (its latest installable version). @public */
export interface BlueprintSummary {
  name: string;
  /** `default` for the public catalog, the Organization for shared-blueprints. */
  namespace: string;
  source: 'catalog' | 'shared-blueprints';
  organization?: string;
  visibility: 'listed' | 'unlisted' | 'private';
  latestVersion: string;
  versions: string[];
  card: BlueprintCard;
  owner?: { team?: string; contact?: string };
  composite: boolean;
  /** Blueprint names it depends on (latest version). */
  depends: string[];
}

/** @public */
export interface BlueprintVersionDetail {
  version: string;
  commit?: string;
  configSchema: Record<string, unknown>;
  placementSchema?: Record<string, unknown>;
  depends: Array<{
    blueprint: string;
    version: string;
    alias?: string;
    when?: string;
    values?: Record<string, unknown>;
  }>;
  overlays: string[];
  /**
   * The values each size sets (`spec.manifests.overlays`), beneath the Application's own: what the
   * server merges before it validates values against the configSchema.
   */
  overlayValues?: Record<string, Record<string, unknown>>;
  defaultOverlay?: string;
  upgrades?: { from?: string[]; blocks?: string[] };
  sourceKind?: string;
  readme?: string;
}

/** @public */
export interface BlueprintDetail extends BlueprintSummary {
  versionDetails: BlueprintVersionDetail[];
}

/** @public */
export interface InvalidBlueprintRelease {
  repository: string;
  tag: string;
  commit: string;
  errors: CatalystIssue[];
}

/** @public */
export interface OrganizationSummary {
  name: string;
  displayName: string;
  sovereign: string;
  teams: string[];
  environments: string[];
}

/** @public */
export interface EnvironmentOverview {
  name: string;
  organization: string;
  envType: string;
  placement: { preset: string; regions: string[] };
  /** The rules of policies/environment-policy.yaml at the repo head, and how change requests merge. */
  policy: { rules: EnvironmentPolicyRule[]; merge?: 'automatic' | 'manual' } | null;
  /** Governed Environments take every change through a change request. */
  governed: boolean;
  head?: string;
  repository: string;
  applicationCount: number;
  /**
   * Whether the caller may install into it: directly, or — in a governed Environment — by opening a
   * change request.
   */
  canInstall?: boolean;
  /** An operational freeze (no change request merges while it holds). */
  freeze?: { reason: string; by?: string; since?: string };
  /** Open (and conflicted) change requests. */
  openChangeRequests?: number;
}

/** One installed Application as its application.yaml says (desired state; live status is separate). @public */
export interface ApplicationSummary {
  name: string;
  environment: string;
  organization: string;
  blueprint: string;
  version: string;
  source: 'catalog' | 'shared-blueprints';
  overlay?: string;
  placement: Placement;
  dependencies: PlannedDependency[];
  /** Applications of this Environment that depend on this one. */
  dependents: string[];
  /** Scaled to zero on purpose (docs/contracts.md §2.5). */
  paused: boolean;
  lastCommit?: CommitRecord;
}

/** @public */
export interface ApplicationDetail extends ApplicationSummary {
  values: Record<string, unknown>;
  /** Every file of the Application at the head: its folder and its Flux Kustomization. */
  files: Record<string, string>;
}

/** @public */
export interface FileChange {
  path: string;
  change: 'added' | 'modified' | 'removed';
  before?: string;
  after?: string;
}

/** A dry run: what an install or change would write, and nothing written. @public */
export interface PlanResponse {
  plan: InstallPlan;
  files: Record<string, string>;
  changes: FileChange[];
}

/**
 * The outcome of a write: one commit — on main, or, in a governed Environment, on the branch of the
 * change request it opened (`changeRequest`; answered 202). @public
 */
export interface ChangeResponse {
  action: 'install' | 'configure' | 'upgrade' | 'uninstall' | 'rollback' | 'promote' | 'policy';
  environment: string;
  commit: CommitRecord;
  /** The change request the write opened (governed Environments), or updated when replayed. */
  changeRequest?: ChangeRequestRef;
  /** Applications the commit added, changed or removed. */
  applications: string[];
  /** True when an idempotency key matched an earlier commit and nothing new was written. */
  replayed: boolean;
  /** False when the change left every file as it was: no commit was made and `commit` is the head. */
  changed: boolean;
  plan?: InstallPlan;
}

/** @public */
export interface HistoryEntry extends CommitRecord {
  changes?: FileChange[];
}

/**
 * One Application built from a Blueprint, with its live status when the read model has it. Kept
 * small on purpose: a popular Blueprint has thousands of these in one response.
 *
 * @public
 */
export interface BlueprintUsageEntry {
  application: Pick<ApplicationSummary, 'name' | 'environment' | 'organization' | 'version' | 'source'> & {
    overlay?: string;
  };
  live?: ApplicationStatusView;
}

/** "Applications using this Blueprint" across the caller's Environments (one request). @public */
export interface BlueprintUsageResponse {
  blueprint: string;
  items: BlueprintUsageEntry[];
}
