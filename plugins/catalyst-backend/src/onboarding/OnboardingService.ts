import { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotAllowedError } from '@backstage/errors';
import {
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  createCatalystEvent,
  CreateEnvironmentBody,
  createEnvironmentBodySchema,
  CreateOrganizationBody,
  EnvironmentOverview,
  isSovereignAdmin,
  OrganizationSummary,
  parseEnvironmentName,
  validateOrganizationName,
} from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher, CatalystPrincipal } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import { noteForAudit } from '../audit/CatalystAudit';
import type {
  DatabaseOrganizationStore,
  EnvironmentRecord,
  OrganizationRecord,
} from '../database/DatabaseOrganizationStore';
import type { EnvironmentController } from '../environments/EnvironmentController';
import type { EnvironmentQueries } from '../provisioning/EnvironmentQueries';

/** What a create answers, and whether it created anything (false: a retry of an earlier request). */
export interface Created<T> {
  created: boolean;
  value: T;
}

/**
 * Onboarding (reference §4.5, §8.5 Day-1): Organizations and Environments. The rules live here
 * for every surface: only a sovereign-admin onboards an Organization; an Environment is named
 * `{org}-{env_type}`, one per env type, and needs manage-environment in its Organization; a
 * repeated request with the same idempotency key from the same user answers with what the first one
 * created instead of a conflict; an Environment's repo exists when creation answers.
 */
export class OnboardingService {
  private constructor(
    private readonly deps: {
      store: DatabaseOrganizationStore;
      authorization: Authorization;
      controller: Pick<EnvironmentController, 'reconcile' | 'reconcileAll'>;
      queries: Pick<EnvironmentQueries, 'overviewOf'>;
      publisher: CatalystEventPublisher;
      sovereign: string;
      now: () => Date;
      logger: LoggerService;
    },
  ) {}

  static create(deps: OnboardingService['deps']): OnboardingService {
    return new OnboardingService(deps);
  }

  async listOrganizations(principal: CatalystPrincipal): Promise<OrganizationSummary[]> {
    const readable = new Set(await this.deps.authorization.readableOrganizations(principal));
    const envs = await this.deps.store.listEnvironments();
    return (await this.deps.store.listOrganizations())
      .filter(org => readable.has(org.name))
      .map(org => summary(org, envs));
  }

  async createOrganization(
    principal: CatalystPrincipal,
    body: CreateOrganizationBody,
  ): Promise<Created<OrganizationSummary>> {
    const name = validateOrganizationName(body.name, 'name');
    if (!name.ok) {
      throw Object.assign(new InputError(`name: ${name.errors[0].message}`), {
        code: CATALYST_ERROR_CODES.invalidRequest,
        issues: name.errors,
      });
    }
    // Onboarding an Organization is the sovereign-admin's (reference §7.3).
    if (!isSovereignAdmin(principal.grants)) {
      throw Object.assign(new NotAllowedError('only a sovereign-admin may create Organizations'), {
        code: CATALYST_ERROR_CODES.notAllowed,
      });
    }
    let created = true;
    try {
      await this.deps.store.createOrganization({
        name: body.name,
        displayName: body.displayName,
        sovereign: this.deps.sovereign,
        teams: body.teams ?? [],
        createdBy: principal.userRef,
        createdAt: this.deps.now().toISOString(),
        ...(body.idempotencyKey ? { requestKey: body.idempotencyKey } : {}),
      });
    } catch (e) {
      await createdByThisRequest(e, principal, body.idempotencyKey, () => this.deps.store.getOrganization(body.name));
      created = false;
    }
    // Its shared-blueprints repo, now rather than at the controller's next run.
    await this.deps.controller.reconcileAll();
    const org = (await this.deps.store.getOrganization(body.name))!;
    if (created)
      this.deps.logger.info(`Organization ${org.name} created`, { organization: org.name, actor: principal.userRef });
    noteForAudit({ result: { created } });
    return { created, value: summary(org, await this.deps.store.listEnvironments(org.name)) };
  }

  async createEnvironment(
    principal: CatalystPrincipal,
    body: CreateEnvironmentBody,
  ): Promise<Created<EnvironmentOverview>> {
    // Validated here too: other surfaces than REST (GraphQL, the scaffolder's own checks) call in.
    const result = createEnvironmentBodySchema.safeParse(body);
    if (!result.success) {
      const issues = result.error.issues.map(i => ({
        code: 'invalid-request',
        path: i.path.join('.') || 'body',
        message: i.message,
      }));
      throw Object.assign(new InputError(issues.map(i => `${i.path}: ${i.message}`).join('; ')), {
        code: CATALYST_ERROR_CODES.invalidRequest,
        issues,
      });
    }
    const parsed = result.data;
    const org = await this.deps.authorization.organization(principal, parsed.organization, 'manage-environment');
    const name = `${org.name}-${parsed.envType}`;
    const checked = parseEnvironmentName(name, 'name');
    if (!checked.ok) {
      throw Object.assign(new InputError(`name: ${checked.errors[0].message}`), {
        code: CATALYST_ERROR_CODES.invalidRequest,
        issues: checked.errors,
      });
    }
    let created = true;
    try {
      await this.deps.store.createEnvironment({
        name,
        organization: org.name,
        envType: parsed.envType,
        placement: parsed.placement,
        ...(parsed.policyRules.length ? { initialPolicyRules: parsed.policyRules } : {}),
        createdBy: principal.userRef,
        createdAt: this.deps.now().toISOString(),
        ...(parsed.idempotencyKey ? { requestKey: parsed.idempotencyKey } : {}),
      });
    } catch (e) {
      await createdByThisRequest(e, principal, parsed.idempotencyKey, () => this.deps.store.getEnvironment(name));
      created = false;
    }
    // Realize it now rather than at the controller's next run: the repo exists when we answer
    // (also for a repeated request, whose first attempt may have stopped before this point).
    const env = (await this.deps.store.getEnvironment(name))!;
    await this.deps.controller.reconcile(env);
    if (created) await this.announce(env);
    noteForAudit({ result: { created } });
    return { created, value: await this.deps.queries.overviewOf(env) };
  }

  /**
   * `environment.created` on the Environment's own subject, so its read model knows when and by
   * whom it was created. De-duplicated by id: announcing again (a retry) stores nothing new.
   */
  async announce(env: EnvironmentRecord): Promise<void> {
    try {
      await this.deps.publisher.publish(
        createCatalystEvent({
          id: `${env.name}.environment-created`,
          source: 'catalyst/onboarding',
          type: CATALYST_EVENT_TYPES.environmentCreated,
          subject: `environment/${env.name}`,
          time: env.createdAt,
          organization: env.organization,
          environment: env.name,
          data: { environment: env.name, organization: env.organization, envType: env.envType },
        }),
      );
    } catch (e) {
      // The Environment stands; its read model derives Organization and env type from its name.
      this.deps.logger.warn(`Could not announce Environment ${env.name}`, { environment: env.name, error: String(e) });
    }
  }
}

function summary(org: OrganizationRecord, envs: EnvironmentRecord[]): OrganizationSummary {
  return {
    name: org.name,
    displayName: org.displayName,
    sovereign: org.sovereign,
    teams: org.teams,
    environments: envs.filter(e => e.organization === org.name).map(e => e.name),
  };
}

/**
 * For a create that hit an existing row: that row when the same user created it with the same
 * idempotency key (the request is a retry, answered with what the first attempt created);
 * otherwise the conflict stands.
 */
async function createdByThisRequest<T extends { createdBy: string; requestKey?: string }>(
  error: unknown,
  principal: CatalystPrincipal,
  key: string | undefined,
  load: () => Promise<T | undefined>,
): Promise<T> {
  if (!(error instanceof ConflictError)) throw error;
  const existing = key ? await load() : undefined;
  if (!existing || existing.requestKey !== key || existing.createdBy !== principal.userRef) {
    throw Object.assign(error, { code: CATALYST_ERROR_CODES.conflict });
  }
  return existing;
}
