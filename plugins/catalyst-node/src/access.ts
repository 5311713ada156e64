import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { CatalystActionName, CatalystRoleName } from '@internal/plugin-catalyst-common';

/**
 * The Catalyst roles of DESIGN §8 (catalyst-common's list). A role is held in an Organization (or,
 * for sovereign-admin, across all of them), optionally narrowed to some of its Environments.
 *
 * @public
 */
export type CatalystRole = CatalystRoleName;

/** @public */
export interface CatalystRoleGrant {
  role: CatalystRole;
  /** `*` for sovereign-admin. */
  organization: string;
  /** Environments the grant is limited to; absent = every Environment of the Organization. */
  environments?: string[];
}

/** Who is asking, as Catalyst sees it. @public */
export interface CatalystPrincipal {
  /** `user:default/guest`, or a service principal's subject for service-to-service calls. */
  userRef: string;
  displayName: string;
  email?: string;
  /** The user's ownership refs (the User and its Groups). */
  ownershipRefs: string[];
  grants: CatalystRoleGrant[];
  /** The request's credentials, for decisions that go through Backstage's permission framework. */
  credentials: BackstageCredentials;
  /** A backend plugin calling on its own behalf (not for a user): it may read, never write. */
  service?: boolean;
  /**
   * No user's Backstage credentials stand behind the call — a personal Git token, or a service token
   * bound to a role in `catalyst.bindings` — so decisions come from `grants` alone, through the
   * same `decideAccess` that Catalyst's permission policy applies.
   */
  decidedByGrants?: 'git-token' | 'service-binding';
}

/** What can be done in an Organization or Environment (catalyst-common's list). @public */
export type CatalystAction = CatalystActionName;

/** @public */
export interface CatalystScope {
  organization: string;
  environment?: string;
}

/** @public */
export type CatalystDecision = { allowed: true } | { allowed: false; reason: string };

/**
 * Server-side authorization for every Catalyst surface (REST, SSE, GraphQL, scaffolder actions).
 *
 * @public
 */
export interface CatalystAccess {
  principal(credentials: BackstageCredentials): Promise<CatalystPrincipal>;
  /**
   * The decision of Backstage's permission framework (the installed permission policy) for an
   * action in an Organization or Environment. Every surface uses this before acting.
   */
  authorize(principal: CatalystPrincipal, action: CatalystAction, scope: CatalystScope): Promise<CatalystDecision>;
  /** The decision from the principal's role grants alone (no policy round trip). */
  decide(principal: CatalystPrincipal, action: CatalystAction, scope: CatalystScope): CatalystDecision;
  /** Environment names the principal may read (live status, applications, history). */
  readableEnvironments(principal: CatalystPrincipal): Promise<string[]>;
}
