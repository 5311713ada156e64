import {
  CATALYST_ERROR_CODES,
  CATALYST_ROLES,
  CatalystActionName,
  catalystErrorDetails,
  CatalystRoleName,
  catalystPermissions,
  decideAccess,
} from '@internal/plugin-catalyst-common';

/**
 * What the UI says about an action the signed-in person may not take: the roles that would allow
 * it, where, and the permission the server checks. The roles come from catalyst-common's role table
 * (`decideAccess`), the same rule the server's policy applies, so the sentence cannot drift from
 * what the server decides. The decision itself is always the server's (`usePermission`, or fields
 * the API answers with); this only explains it.
 */

/** What the person tried, in words that read before "in <Environment>". */
export type CatalystDoing =
  | 'install'
  | 'uninstall'
  | 'configure'
  | 'rollback'
  | 'create-environment'
  | 'create-organization'
  | 'promote'
  | 'approve'
  | 'reject'
  | 'merge'
  | 'break-glass'
  | 'rebase'
  | 'freeze';

/** What is done to a change request (its own refusals: closed, conflicting, rules failing). */
const ON_CHANGE_REQUEST: ReadonlySet<CatalystDoing> = new Set(['approve', 'reject', 'merge', 'break-glass', 'rebase']);

const DOING: Record<CatalystDoing, { action: CatalystActionName; words: string; preposition: string }> = {
  install: { action: 'install', words: 'Installing', preposition: 'in' },
  uninstall: { action: 'install', words: 'Uninstalling', preposition: 'from' },
  configure: { action: 'configure', words: 'Changing settings', preposition: 'in' },
  rollback: { action: 'configure', words: 'Rolling back a change', preposition: 'in' },
  'create-environment': { action: 'manage-environment', words: 'Creating an Environment', preposition: 'in' },
  'create-organization': { action: 'manage-environment', words: 'Creating an Organization', preposition: 'in' },
  promote: { action: 'promote', words: 'Copying an Application', preposition: 'to' },
  approve: { action: 'approve', words: 'Approving change requests', preposition: 'in' },
  reject: { action: 'approve', words: 'Rejecting change requests', preposition: 'in' },
  merge: { action: 'merge', words: 'Merging change requests', preposition: 'in' },
  'break-glass': { action: 'merge', words: 'Breaking glass', preposition: 'in' },
  rebase: { action: 'promote', words: 'Rebasing change requests', preposition: 'in' },
  // "Freezing acme-prod": the Environment is the object, no preposition
  freeze: { action: 'freeze', words: 'Freezing', preposition: '' },
};

/** The permission (catalyst-common's name) the server checks for it. */
export function permissionFor(doing: CatalystDoing): string {
  return catalystPermissions[DOING[doing].action].name;
}

/**
 * The Organization roles that allow an action, most privileged first. A sovereign-admin may do
 * everything everywhere and is named separately.
 */
export function organizationRolesAllowing(action: CatalystActionName): CatalystRoleName[] {
  const scope = { organization: 'an-organization', environment: 'an-organization-dev' };
  return CATALYST_ROLES.filter(
    role =>
      role !== 'sovereign-admin' && decideAccess([{ role, organization: scope.organization }], action, scope).allowed,
  );
}

function either(words: string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

/**
 * Why the signed-in person may not do this here, e.g. "Installing in acme-prod needs org-admin or
 * org-developer on acme (catalyst.install)". Without the Organization (not known yet), the sentence
 * says "in its Organization".
 */
export function refusalReason(
  doing: CatalystDoing,
  scope: { environment?: string; organization?: string } = {},
): string {
  const { action, words, preposition } = DOING[doing];
  const permission = catalystPermissions[action].name;
  // Organizations are the Sovereign's: no Organization role reaches that far
  if (doing === 'create-organization') return `${words} needs sovereign-admin (of the whole Sovereign)`;
  const where = scope.environment ?? scope.organization;
  const on = scope.organization ? `on ${scope.organization}` : 'in its Organization';
  const roles = either(organizationRolesAllowing(action));
  const place = where ? ` ${preposition ? `${preposition} ` : ''}${where}` : '';
  return `${words}${place} needs ${roles} ${on} (${permission})`;
}

/** Why a governed Environment takes no direct change from this page. */
export function governedReason(environment: string): string {
  return `${environment} is governed by its EnvironmentPolicy: changes arrive as change requests, not directly`;
}

/**
 * What to tell the person when the server refused a change they tried, read from the answer's
 * catalyst error code (`catalystErrorDetails`), never from its words: `not-allowed` says who may
 * ({@link refusalReason}), `governed-environment` that changes go through change requests. On a
 * change request, `governed-environment` means rules still fail (each named by the answer's
 * issues), `conflict` that the request moved on meanwhile, `not-found` that it is gone. Undefined
 * for every other failure, which the caller shows with the server's own message.
 */
export function refusalOf(
  error: unknown,
  doing: CatalystDoing,
  scope: { environment?: string; organization?: string } = {},
): string | undefined {
  const details = catalystErrorDetails(error);
  const environment = details?.environment ?? scope.environment;
  switch (details?.code) {
    case CATALYST_ERROR_CODES.notAllowed:
      return refusalReason(doing, { ...scope, ...(environment ? { environment } : {}) });
    case CATALYST_ERROR_CODES.governedEnvironment:
      if (doing === 'merge' || doing === 'break-glass') {
        const rules = (details.issues ?? []).map(i => i.message);
        const failing = rules.length ? `: ${rules.join('; ')}` : '';
        // breaking glass bypasses soak and windows: what is left are approvals and a freeze
        return doing === 'break-glass'
          ? `Breaking glass bypasses neither approvals nor a freeze, and these rules still fail${failing}`
          : `Not every rule passes yet${failing}`;
      }
      return governedReason(environment ?? 'This Environment');
    case CATALYST_ERROR_CODES.conflict:
      if (!ON_CHANGE_REQUEST.has(doing)) return undefined;
      return `The change request moved on meanwhile (it was closed, it conflicts with ${
        environment ? `${environment}'s` : "its Environment's"
      } main, or every rule passes now); the page shows it as it is now`;
    case CATALYST_ERROR_CODES.notFound:
      return ON_CHANGE_REQUEST.has(doing) ? 'This change request does not exist, or you may not read it' : undefined;
    default:
      return undefined;
  }
}
