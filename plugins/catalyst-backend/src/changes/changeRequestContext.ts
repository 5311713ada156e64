import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError, NotFoundError } from '@backstage/errors';
import {
  BlueprintCatalog,
  CATALYST_ERROR_CODES,
  CATALYST_EVENT_TYPES,
  createCatalystEvent,
  PolicyRuleRef,
  PolicyVerdict,
  SoakObservation,
} from '@internal/plugin-catalyst-common';
import type { CatalystEventPublisher } from '@internal/plugin-catalyst-node';
import type { Authorization } from '../access/Authorization';
import type { DatabaseOrganizationStore, EnvironmentRecord } from '../database/DatabaseOrganizationStore';
import type { EnvironmentRepositories } from '../environments/EnvironmentRepositories';
import type { GitIdentity } from '../git/GitRepository';
import { openEnvironmentRepo } from '../provisioning/repoReads';
import type { ChangeRequestNotifier } from './ChangeRequestNotifier';
import type { ChangeRequestRecord, ChangeRequestStore, StoredState } from './ChangeRequestStore';

/**
 * What the change-request service is built from (`ChangeRequestService.create`): every part of it
 * (opening, decisions, evaluation and merging) shares these, so they are declared once.
 */
export interface ChangeRequestDeps {
  store: ChangeRequestStore;
  registry: Pick<DatabaseOrganizationStore, 'getEnvironment'>;
  repos: EnvironmentRepositories;
  authorization: Authorization;
  catalog: () => BlueprintCatalog;
  publisher: CatalystEventPublisher;
  /** The soak observation of an Application in a source Environment (the read model). */
  soak: (environment: string, application: string) => Promise<SoakObservation | null>;
  notifier: ChangeRequestNotifier;
  /**
   * Who holds org-admin in an Organization (bindings, the newest sign-ins): a change to
   * `policies/` waits for one of them rather than failing for want of any. Their approval counts
   * when it was given as org-admin.
   */
  orgAdmins?: (organization: string) => Promise<string[]>;
  committer: GitIdentity;
  now: () => Date;
  logger: LoggerService;
}

/** The states in which a request still waits (a conflicted one for a rebase). */
export const WAITING: readonly StoredState[] = ['open', 'conflicted'];
/**
 * Rules an org-admin may bypass by breaking glass (issue 13): soak and change windows. Never
 * approvals, and never a freeze: it blocks every merge until lifted (DESIGN §7), and whoever may
 * break glass may also lift it, on the record.
 */
export const BYPASSABLE = new Set<PolicyRuleRef['kind']>(['soak', 'change-window']);

/** Why breaking glass cannot merge past these verdicts (none of them bypassable), for the API and the UI. */
export function breakGlassRefusal(environment: string, blocking: readonly PolicyVerdict[]): string {
  const parts = blocking.map(v => {
    if (v.rule.kind === 'pr-required' || v.rule.kind === 'org-admin-approval') {
      return `approvals cannot be bypassed: ${v.reason}`;
    }
    if (v.rule.kind !== 'freeze') return `${v.reason} (not bypassable)`;
    // an operational freeze (`index: null`) is lifted in Catalyst; a freeze rule by editing the policy
    return v.rule.index === null
      ? `${v.reason}; a freeze blocks every merge, breaking glass too, until a security officer or an org-admin lifts it`
      : `${environment}'s EnvironmentPolicy says ${v.reason}; that blocks every merge, breaking glass too, until a change to policies/ approved by an org-admin removes the rule`;
  });
  return parts.join('; ');
}

export const crId = (n: number) => `cr-${n}`;

export function notFound(id: string) {
  return Object.assign(new NotFoundError(`Change request ${id} does not exist`), {
    code: CATALYST_ERROR_CODES.notFound,
  });
}

export function closed(cr: ChangeRequestRecord) {
  return Object.assign(new ConflictError(`Change request ${crId(cr.number)} is ${cr.state}`), {
    code: CATALYST_ERROR_CODES.conflict,
    environment: cr.environment,
  });
}

export function refused(reason: string, environment: string) {
  return Object.assign(new NotAllowedError(reason), { code: CATALYST_ERROR_CODES.notAllowed, environment });
}

/** The Environment a request is for (gone from the registry: the request is as good as gone). */
export async function environmentOf(deps: ChangeRequestDeps, cr: ChangeRequestRecord): Promise<EnvironmentRecord> {
  const env = await deps.registry.getEnvironment(cr.environment);
  if (!env) throw notFound(crId(cr.number));
  return env;
}

export async function dropBranch(deps: ChangeRequestDeps, cr: ChangeRequestRecord) {
  try {
    const { repo } = await openEnvironmentRepo(deps.repos, cr.environment);
    await repo.deleteBranch(cr.branch, cr.headCommit);
  } catch (error) {
    // a branch left behind is harmless (the record says what it was); a moved one is somebody's push
    deps.logger.warn(`Could not delete ${cr.branch} of ${cr.environment}`, { error: String(error) });
  }
}

/** One `change-request.*` event of a request, its id naming the request and the step. */
export async function publishEvent(
  deps: ChangeRequestDeps,
  cr: ChangeRequestRecord,
  type: (typeof CATALYST_EVENT_TYPES)[
    | 'changeRequestOpened'
    | 'changeRequestApproved'
    | 'changeRequestMerged'
    | 'changeRequestClosed'
    | 'changeRequestUpdated'],
  discriminator: string,
  data: Record<string, unknown>,
) {
  try {
    await deps.publisher.publish([
      createCatalystEvent({
        id: `${cr.environment}.${crId(cr.number)}.${type}.${discriminator}`,
        source: 'catalyst/change-requests',
        type,
        subject: `changerequest/${crId(cr.number)}`,
        time: deps.now().toISOString(),
        organization: cr.organization,
        environment: cr.environment,
        data,
      } as Parameters<typeof createCatalystEvent>[0]),
    ]);
  } catch (error) {
    // the record is the truth; the read model catches up on the next event of the request
    deps.logger.error(`Could not publish ${type} of ${crId(cr.number)}`, { error: String(error) });
  }
}
