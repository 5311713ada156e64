import { NotAllowedError, NotFoundError } from '@backstage/errors';
import { CATALYST_ERROR_CODES } from '@internal/plugin-catalyst-common';
import { noteForAudit } from '../audit/CatalystAudit';
import type { CatalystAccess, CatalystAction, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type {
  DatabaseOrganizationStore,
  EnvironmentRecord,
  OrganizationRecord,
} from '../database/DatabaseOrganizationStore';

/**
 * The authorization every Catalyst service applies before it acts, whichever surface called it
 * (REST, the scaffolder through REST, GraphQL, Git): decisions come from Backstage's permission
 * framework through {@link CatalystAccess}, in the caller's Organization and Environment.
 *
 * An Environment the caller may not read answers 404, like one that does not exist, so names of
 * other Organizations' Environments do not leak through status codes; one they may read but not
 * change answers 403 with the reason. The audit event of the attempt learns the truth either way
 * (the Organization, the permission, that the 404 hid an Environment).
 */
export class Authorization {
  private constructor(
    private readonly deps: {
      access: CatalystAccess;
      store: Pick<DatabaseOrganizationStore, 'getEnvironment' | 'getOrganization' | 'listOrganizations'>;
    },
  ) {}

  static create(deps: Authorization['deps']): Authorization {
    return new Authorization(deps);
  }

  /** The Environment, when the caller may do `action` in it. */
  async environment(principal: CatalystPrincipal, name: string, action: CatalystAction): Promise<EnvironmentRecord> {
    const env = await this.deps.store.getEnvironment(name);
    noteForAudit({ action, environment: name, ...(env ? { organization: env.organization } : {}) });
    const readable =
      env !== undefined &&
      (await this.deps.access.authorize(principal, 'read', { organization: env.organization, environment: name }))
        .allowed;
    if (!env || !readable) {
      if (env) noteForAudit({ refusal: `may not read Environment ${name}` });
      throw Object.assign(new NotFoundError(`Environment ${name} does not exist`), {
        code: CATALYST_ERROR_CODES.environmentNotFound,
        environment: name,
      });
    }
    if (action !== 'read') await this.require(principal, action, env.organization, name);
    return env;
  }

  /** The Organization, when the caller may do `action` in it (Organization-wide). */
  async organization(principal: CatalystPrincipal, name: string, action: CatalystAction): Promise<OrganizationRecord> {
    const org = await this.deps.store.getOrganization(name);
    noteForAudit({ action, organization: name });
    const readable =
      org !== undefined && (await this.deps.access.authorize(principal, 'read', { organization: name })).allowed;
    if (!org || !readable) {
      if (org) noteForAudit({ refusal: `may not read Organization ${name}` });
      throw Object.assign(new NotFoundError(`Organization ${name} does not exist`), {
        code: CATALYST_ERROR_CODES.notFound,
      });
    }
    if (action !== 'read') await this.require(principal, action, name);
    return org;
  }

  /** Refuses with 403 (code `not-allowed`) unless the caller may do `action` there. */
  async require(principal: CatalystPrincipal, action: CatalystAction, organization: string, environment?: string) {
    const decision = await this.deps.access.authorize(principal, action, {
      organization,
      ...(environment ? { environment } : {}),
    });
    noteForAudit({ action, organization, ...(environment ? { environment } : {}) });
    if (!decision.allowed) {
      noteForAudit({ refusal: decision.reason });
      throw Object.assign(new NotAllowedError(decision.reason), {
        code: CATALYST_ERROR_CODES.notAllowed,
        ...(environment ? { environment } : {}),
      });
    }
  }

  async allowed(
    principal: CatalystPrincipal,
    action: CatalystAction,
    scope: { organization: string; environment?: string },
  ): Promise<boolean> {
    return (await this.deps.access.authorize(principal, action, scope)).allowed;
  }

  /** Organizations whose Environments (and private Blueprints) the caller may read. */
  async readableOrganizations(principal: CatalystPrincipal): Promise<string[]> {
    const orgs = await this.deps.store.listOrganizations();
    const out: string[] = [];
    for (const org of orgs) {
      if ((await this.deps.access.authorize(principal, 'read', { organization: org.name })).allowed) out.push(org.name);
    }
    return out;
  }

  readableEnvironments(principal: CatalystPrincipal): Promise<string[]> {
    return this.deps.access.readableEnvironments(principal);
  }
}
