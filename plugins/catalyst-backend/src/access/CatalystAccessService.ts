import {
  AuthService,
  BackstageCredentials,
  LoggerService,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthenticationError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { createConditionAuthorizer } from '@backstage/plugin-permission-node';
import {
  CATALYST_ERROR_CODES,
  catalystPermissions,
  decideAccess,
  grantsOf,
  RoleBinding,
} from '@internal/plugin-catalyst-common';
import {
  CatalystAccess,
  CatalystAction,
  CatalystDecision,
  CatalystPrincipal,
  CatalystScope,
} from '@internal/plugin-catalyst-node';
import { EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { IdentityRecords } from '../identity/IdentityRecords';
import { allowedByGrantsRule } from '@internal/plugin-catalyst-node';

interface Profile {
  displayName: string;
  email?: string;
}

const PROFILE_TTL_MS = 60_000;

/**
 * Catalyst's server-side authorization: who the caller is (User ref, Groups, profile for commit
 * authorship) and whether Backstage's permission framework — Catalyst's policy by default — allows an
 * action in an Organization or Environment.
 */
export class CatalystAccessService implements CatalystAccess {
  private readonly profiles = new Map<string, { at: number; profile: Profile }>();
  private readonly applyConditions = createConditionAuthorizer([allowedByGrantsRule]);

  private constructor(
    private readonly deps: {
      userInfo: UserInfoService;
      permissions: PermissionsService;
      catalog: CatalogService;
      auth: AuthService;
      logger: LoggerService;
      bindings: RoleBinding[];
      environments: () => Promise<EnvironmentRecord[]>;
      /** The newest identity each user signed in with (tokens claiming more are stale). */
      identities?: Pick<IdentityRecords, 'get' | 'staleRefs'>;
      now?: () => number;
    },
  ) {}

  static create(deps: CatalystAccessService['deps']): CatalystAccessService {
    return new CatalystAccessService(deps);
  }

  async principal(credentials: BackstageCredentials): Promise<CatalystPrincipal> {
    if (!this.deps.auth.isPrincipal(credentials, 'user')) {
      const subject = this.deps.auth.isPrincipal(credentials, 'service') ? credentials.principal.subject : 'unknown';
      // A service token bound to a role (an integration: a change-management tool, a compliance
      // export) acts as that role; any other service caller acts for nobody and may only read.
      // Bound as `service:<subject>` (a static token's configured subject, a JWKS token's `external:…`).
      const bound = `service:${subject}`;
      const grants = subject.startsWith('plugin:') ? [] : grantsOf([bound], this.deps.bindings);
      if (grants.length > 0) {
        return {
          userRef: bound,
          displayName: subject.replace(/^external:/, ''),
          ownershipRefs: [bound],
          grants,
          credentials,
          decidedByGrants: 'service-binding',
        };
      }
      return { userRef: subject, displayName: subject, ownershipRefs: [], grants: [], credentials, service: true };
    }
    const info = await this.deps.userInfo.getUserInfo(credentials);
    const ownershipRefs = [...new Set([info.userEntityRef, ...info.ownershipEntityRefs])];
    // A token from before the user lost a team or role still claims it: refuse it, so the client
    // refreshes and gets what the identity provider says now.
    const stale = this.deps.identities?.staleRefs(info.userEntityRef, ownershipRefs) ?? [];
    if (stale.length > 0) {
      throw Object.assign(
        new AuthenticationError(
          `Your token claims memberships you no longer have (${stale.join(', ')}); sign in again or refresh`,
        ),
        { code: CATALYST_ERROR_CODES.unauthenticated },
      );
    }
    const profile = await this.profile(info.userEntityRef);
    return {
      userRef: info.userEntityRef,
      ...profile,
      ownershipRefs,
      grants: grantsOf(ownershipRefs, this.deps.bindings),
      credentials,
    };
  }

  /**
   * Who a personal Git token acts for: its owner with the memberships of their newest sign-in (the
   * identity record), narrowed to the token's Organization. A user never recorded (signed in since
   * identities were recorded) gets nothing: the token was made in the portal, so there is a record.
   */
  async principalOfGitToken(
    token: { userRef: string; organization: string },
    credentials: BackstageCredentials,
  ): Promise<CatalystPrincipal> {
    const record = this.deps.identities?.get(token.userRef);
    const ownershipRefs = record ? [...new Set([token.userRef, ...record.ownershipRefs])] : [token.userRef];
    const grants = grantsOf(ownershipRefs, this.deps.bindings)
      .filter(g => g.organization === token.organization || g.organization === '*')
      .map(g => ({ ...g, organization: token.organization }));
    return {
      userRef: token.userRef,
      ...(await this.profile(token.userRef)),
      ownershipRefs,
      grants,
      credentials,
      decidedByGrants: 'git-token',
    };
  }

  decide(principal: CatalystPrincipal, action: CatalystAction, scope: CatalystScope): CatalystDecision {
    return decideAccess(principal.grants, action, scope);
  }

  async authorize(
    principal: CatalystPrincipal,
    action: CatalystAction,
    scope: CatalystScope,
  ): Promise<CatalystDecision> {
    if (principal.decidedByGrants) {
      const decision = decideAccess(principal.grants, action, scope);
      return decision.allowed
        ? decision
        : {
            allowed: false,
            reason: `${principal.displayName} may not ${action} in ${
              scope.environment ?? `Organization ${scope.organization}`
            }`,
          };
    }
    if (principal.service) {
      return action === 'read' && isBackstagePlugin(principal)
        ? { allowed: true }
        : { allowed: false, reason: `${principal.userRef} calls for no user, and may only read` };
    }
    const [decision] = await this.deps.permissions.authorizeConditional([{ permission: catalystPermissions[action] }], {
      credentials: principal.credentials,
    });
    if (decision.result === AuthorizeResult.ALLOW) return { allowed: true };
    if (decision.result === AuthorizeResult.CONDITIONAL) {
      const resource = {
        name: scope.environment ?? `${scope.organization}-*`,
        organization: scope.organization,
      };
      // Catalyst's condition carries the grants; an Organization-wide action (creating an
      // Environment) has no Environment to apply it to, so the grants decide it directly.
      const allowed = scope.environment
        ? this.applyConditions(decision, resource)
        : decideAccess(principal.grants, action, scope).allowed;
      if (allowed) return { allowed: true };
    }
    return {
      allowed: false,
      reason: `you may not ${action} in ${scope.environment ?? `Organization ${scope.organization}`}`,
    };
  }

  async readableEnvironments(principal: CatalystPrincipal): Promise<string[]> {
    const envs = await this.deps.environments();
    if (principal.decidedByGrants) {
      return envs
        .filter(
          e => decideAccess(principal.grants, 'read', { organization: e.organization, environment: e.name }).allowed,
        )
        .map(e => e.name);
    }
    if (principal.service) return isBackstagePlugin(principal) ? envs.map(e => e.name) : [];
    const [decision] = await this.deps.permissions.authorizeConditional([{ permission: catalystPermissions.read }], {
      credentials: principal.credentials,
    });
    if (decision.result === AuthorizeResult.ALLOW) return envs.map(e => e.name);
    if (decision.result === AuthorizeResult.DENY) return [];
    return envs
      .filter(e => this.applyConditions(decision, { name: e.name, organization: e.organization }))
      .map(e => e.name);
  }

  private async profile(userRef: string): Promise<Profile> {
    // What the identity provider said at the last sign-in: right for people missing from the catalog.
    const recorded = this.deps.identities?.get(userRef);
    if (recorded?.displayName) {
      return { displayName: recorded.displayName, ...(recorded.email ? { email: recorded.email } : {}) };
    }
    const now = (this.deps.now ?? Date.now)();
    const cached = this.profiles.get(userRef);
    if (cached && now - cached.at < PROFILE_TTL_MS) return cached.profile;
    let profile: Profile = { displayName: userRef.replace(/^user:(default\/)?/, '') };
    try {
      const entity = await this.deps.catalog.getEntityByRef(userRef, {
        credentials: await this.deps.auth.getOwnServiceCredentials(),
      });
      const p = (entity?.spec as { profile?: { displayName?: string; email?: string } } | undefined)?.profile;
      profile = {
        displayName: p?.displayName ?? entity?.metadata.title ?? profile.displayName,
        ...(p?.email ? { email: p.email } : {}),
      };
    } catch (e) {
      this.deps.logger.warn(`Could not read the catalog profile of ${userRef}`, { error: String(e) });
    }
    this.profiles.set(userRef, { at: now, profile });
    return profile;
  }
}

/**
 * Backstage's own plugins calling as themselves — the catalog's entity and Template providers, the
 * kubernetes module's cluster supplier — read everything Catalyst publishes (the catalog then
 * applies its own permissions to users); they never write. Other service callers (external
 * tokens) get nothing without a user.
 */
function isBackstagePlugin(principal: CatalystPrincipal): boolean {
  return principal.userRef.startsWith('plugin:');
}
