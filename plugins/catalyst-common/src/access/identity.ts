import { CATALYST_ROLES, CatalystRoleName, grantsFor, RoleBinding, RoleGrant } from './roles';

/**
 * Who a signed-in person is to Catalyst, from their identity provider's token alone (Keycloak's or
 * Entra ID's claims): a User entity ref, the Organization, the team Groups, and one Catalyst role.
 * The sign-in resolver turns this into the Backstage token's ownership refs
 * ({@link identityOwnershipRefs}); the permission policy reads the role back from them
 * ({@link grantsFromOwnershipRefs}). People missing from the catalog get a correct identity too.
 */

/** @public */
export interface CatalystIdentity {
  /** `user:<org>/<name>`, or `user:default/<name>` for someone of no Organization (a sovereign-admin). */
  userRef: string;
  /** The entity name part of userRef. */
  username: string;
  organization?: string;
  /** Team names in the Organization (`team-platform`), Groups `group:<org>/<team>` in the catalog. */
  teams: string[];
  role?: CatalystRoleName;
  displayName?: string;
  email?: string;
}

/** How token claims map to a {@link CatalystIdentity} (`catalyst.identity`). @public */
export interface IdentityMapping {
  /**
   * Claim with the username (default `preferred_username`), or several: the first one present
   * counts (Entra: `email`, then `upn`, then `preferred_username`, the order Microsoft Graph
   * ingestion names users by).
   */
  usernameClaim: string | readonly string[];
  /** Claim with group paths or ids (default `groups`). */
  groupsClaim: string;
  /** Dotted path of the claim with role names (Keycloak: `realm_access.roles`; Entra: `roles`). */
  rolesClaim: string;
  /** Claim with the Organization slug (default `org`); unused when the issuer decides it. */
  organizationClaim: string;
  /** Role names in tokens → Catalyst roles; the Catalyst role names themselves always map to themselves. */
  roles: Record<string, CatalystRoleName>;
  /** Groups whose members are sovereign-admins (default `/catalyst-admins`). */
  sovereignAdminGroups: string[];
  /**
   * Groups by id or path → what membership means: a team of an Organization, and/or a role.
   * Entra sends group object ids, which say nothing by themselves.
   */
  groups: Record<string, { organization?: string; team?: string; role?: CatalystRoleName }>;
  /** Entra tenant id (`tid`) → Organization. */
  tenants: Record<string, string>;
  /**
   * How the username becomes the User entity's name: `local-part` (default; an e-mail-like value
   * keeps its local part, as Keycloak's ingestion names users by username) or `msgraph` (the whole
   * value through {@link msgraphEntityName}, as Microsoft Graph ingestion names users — the
   * domain stays, so two tenants' `ada@…` are two people).
   */
  userEntityName?: 'local-part' | 'msgraph';
  /** The role of an Organization member the token names no role for; absent = no role (no access). */
  defaultRole?: CatalystRoleName;
  /**
   * The namespace of User refs: the person's Organization (default; names of different
   * Organizations never collide) or `default` (where catalog ingestion from Keycloak or Microsoft
   * Graph puts users).
   */
  userNamespace?: 'organization' | 'default';
}

/** The documented defaults: Keycloak's claim shapes. @public */
export const DEFAULT_IDENTITY_MAPPING: IdentityMapping = {
  usernameClaim: 'preferred_username',
  groupsClaim: 'groups',
  rolesClaim: 'realm_access.roles',
  organizationClaim: 'org',
  roles: {},
  sovereignAdminGroups: ['/catalyst-admins'],
  groups: {},
  tenants: {},
};

/** Entra ID's claim shapes (app roles in `roles`, group object ids in `groups`, tenant in `tid`). @public */
export const ENTRA_IDENTITY_MAPPING: IdentityMapping = {
  ...DEFAULT_IDENTITY_MAPPING,
  // The User ref that Backstage's Microsoft Graph ingestion gives the same person (its default user
  // transformer: `mail`, else `userPrincipalName`, normalized whole, in namespace default), so the
  // signed-in user owns what the catalog says they own. `email` is Entra's optional claim for `mail`.
  usernameClaim: ['email', 'upn', 'preferred_username'],
  userEntityName: 'msgraph',
  userNamespace: 'default',
  rolesClaim: 'roles',
  sovereignAdminGroups: [],
};

/** When one token names several roles, the one kept: the most privileged. @public */
export const ROLE_PRECEDENCE: readonly CatalystRoleName[] = [
  'sovereign-admin',
  'org-admin',
  'security-officer',
  'org-developer',
  'org-viewer',
];

const SLUG = /^[a-z][a-z0-9-]{2,31}$/;
const TEAM = /^[a-z][a-z0-9-]{1,62}$/;

/** @public */
export type IdentityResult = { ok: true; identity: CatalystIdentity } | { ok: false; reason: string };

function claimAt(claims: Record<string, unknown>, path: string): unknown {
  let value: unknown = claims;
  for (const key of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.prototype.hasOwnProperty.call(value, key)) {
      return undefined;
    }
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

function strings(v: unknown): string[] {
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  return typeof v === 'string' ? [v] : [];
}

/** An entity name from a username: lower case, `[a-z0-9._-]`, an e-mail's local part. */
function entityName(username: string): string | undefined {
  const local = username.includes('@') ? username.slice(0, username.indexOf('@')) : username;
  const name = local
    .toLocaleLowerCase('en-US')
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-._]+|[-._]+$/g, '');
  return name.length > 0 && name.length <= 63 ? name : undefined;
}

/**
 * The entity name Backstage's Microsoft Graph ingestion gives a user (`normalizeEntityName` of
 * `@backstage/plugin-catalog-backend-module-msgraph`, restated here because common code may not
 * import a backend module): lower case, every character outside `[a-zA-Z0-9_.-]` → `_`, no trailing
 * `_`, no `__`. `Ada.Lovelace@acme.example` → `ada.lovelace_acme.example`.
 *
 * @public
 */
export function msgraphEntityName(value: string): string {
  let cleaned = value
    .trim()
    .toLocaleLowerCase('en-US')
    .replace(/[^a-zA-Z0-9_.-]/g, '_');
  while (cleaned.endsWith('_')) cleaned = cleaned.slice(0, -1);
  while (cleaned.includes('__')) cleaned = cleaned.replace('__', '_');
  return cleaned;
}

/**
 * Whether the `email` claim may name a person: only when the identity provider vouches for it.
 * Entra's `email` is the user's `mail` attribute, which a tenant's own admins may set to anything
 * (another tenant's people included) unless Entra marks its domain as verified by the tenant
 * (`xms_edov`); Keycloak and most OIDC providers say so with `email_verified`.
 */
function emailVouchedFor(claims: Record<string, unknown>): boolean {
  return claims.email_verified === true || claims.xms_edov === true || claims.xms_edov === '1';
}

function usernameOf(claims: Record<string, unknown>, mapping: IdentityMapping): string | undefined {
  const names = typeof mapping.usernameClaim === 'string' ? [mapping.usernameClaim] : mapping.usernameClaim;
  for (const claim of names) {
    const raw = claimAt(claims, claim);
    if (typeof raw !== 'string' || !raw.trim()) continue;
    if (claim === 'email' && !emailVouchedFor(claims)) continue;
    const name = mapping.userEntityName === 'msgraph' ? msgraphEntityName(raw) : entityName(raw);
    // what the catalog would refuse as an entity name is no identity either: try the next claim
    if (name && /^[a-z0-9]([a-z0-9._-]{0,61}[a-z0-9])?$/.test(name)) return name;
  }
  return undefined;
}

/**
 * The identity a token's claims give, under a mapping. `issuerOrganization` is set when the issuer
 * itself belongs to one Organization (the per-organization Keycloak topology: a realm per
 * Organization), which then decides the Organization and qualifies group paths without a prefix.
 * Refuses (with the reason) a token without a username, with an Organization that is not a slug,
 * or naming a role but no Organization.
 *
 * @public
 */
export function identityFromClaims(
  claims: Record<string, unknown>,
  mapping: IdentityMapping,
  issuerOrganization?: string,
): IdentityResult {
  const username = usernameOf(claims, mapping);
  if (!username) {
    const names = typeof mapping.usernameClaim === 'string' ? [mapping.usernameClaim] : mapping.usernameClaim;
    return { ok: false, reason: `the token has no usable ${names.join(' or ')} claim` };
  }

  const groups = strings(claimAt(claims, mapping.groupsClaim));
  const roles = new Set<CatalystRoleName>();
  const mapRole = (name: string) => {
    const role = mapping.roles[name] ?? ((CATALYST_ROLES as readonly string[]).includes(name) ? name : undefined);
    if (role) roles.add(role as CatalystRoleName);
  };
  strings(claimAt(claims, mapping.rolesClaim)).forEach(mapRole);
  if (groups.some(g => mapping.sovereignAdminGroups.includes(g))) roles.add('sovereign-admin');
  // A tenant mapped to an Organization is that Organization's directory: its admins assign app
  // roles to their own people, so no role claim of it makes anyone a sovereign-admin. (A group the
  // Sovereign's own configuration maps to a role, by Entra's object id, still counts below.)
  const tid = claimAt(claims, 'tid');
  if (typeof tid === 'string' && mapping.tenants[tid]) roles.delete('sovereign-admin');

  // The Organization: the issuer's, else a claim, the tenant, the mapped groups, the group paths.
  const fromClaim = claimAt(claims, mapping.organizationClaim);
  const mappedGroups = groups.map(g => mapping.groups[g]).filter(Boolean);
  const pathOrgs = groups.map(g => /^\/([^/]+)\/[^/]+$/.exec(g)?.[1]).filter((o): o is string => !!o);
  const organization =
    issuerOrganization ??
    (typeof fromClaim === 'string' && fromClaim ? fromClaim : undefined) ??
    (typeof tid === 'string' ? mapping.tenants[tid] : undefined) ??
    mappedGroups.find(g => g.organization)?.organization ??
    pathOrgs.find(o => SLUG.test(o));
  if (organization !== undefined && !SLUG.test(organization)) {
    return { ok: false, reason: `"${organization}" is not an Organization name` };
  }

  const teams = new Set<string>();
  for (const g of groups) {
    const mapped = mapping.groups[g];
    if (mapped) {
      if (mapped.team && (mapped.organization ?? organization) === organization) teams.add(mapped.team);
      if (mapped.role) roles.add(mapped.role);
      continue;
    }
    const path = issuerOrganization ? /^\/([^/]+)$/.exec(g) : /^\/([^/]+)\/([^/]+)$/.exec(g);
    const [org, team] = issuerOrganization ? [issuerOrganization, path?.[1]] : [path?.[1], path?.[2]];
    if (team && org === organization && TEAM.test(team)) teams.add(team);
  }

  let role = ROLE_PRECEDENCE.find(r => roles.has(r));
  if (!role && organization && mapping.defaultRole) role = mapping.defaultRole;
  if (role && role !== 'sovereign-admin' && !organization) {
    return { ok: false, reason: `the token names the role ${role} but no Organization` };
  }
  const displayName = claimAt(claims, 'name');
  const email = claimAt(claims, 'email');
  return {
    ok: true,
    identity: {
      userRef: `user:${mapping.userNamespace === 'default' ? 'default' : organization ?? 'default'}/${username}`,
      username,
      ...(organization ? { organization } : {}),
      teams: [...teams].sort(),
      ...(role ? { role } : {}),
      ...(typeof displayName === 'string' && displayName ? { displayName } : {}),
      ...(typeof email === 'string' && email.includes('@') ? { email } : {}),
    },
  };
}

/** The Group ref that carries a role: `group:<org>/catalyst-<role>`, `group:default/catalyst-sovereign-admin`. @public */
export function roleGroupRef(role: CatalystRoleName, organization?: string): string {
  return role === 'sovereign-admin'
    ? 'group:default/catalyst-sovereign-admin'
    : `group:${organization}/catalyst-${role}`;
}

/**
 * What the Backstage token claims ownership through (its `ent`): the User, the Organization's Group,
 * the team Groups and the role's Group.
 *
 * @public
 */
export function identityOwnershipRefs(identity: CatalystIdentity): string[] {
  const refs = [identity.userRef];
  if (identity.organization) {
    refs.push(`group:default/${identity.organization}`);
    for (const team of identity.teams) refs.push(`group:${identity.organization}/${team}`);
  }
  if (identity.role) refs.push(roleGroupRef(identity.role, identity.organization));
  return refs;
}

const ROLE_REF = /^group:([a-z0-9-]+)\/catalyst-([a-z-]+)$/;

/**
 * The role grants a set of ownership refs carries through role Groups ({@link roleGroupRef}). Only
 * Catalyst's sign-in resolver issues these refs; the catalog refuses Groups of these names from
 * anywhere else, so holding one means the identity provider said so.
 *
 * @public
 */
export function grantsFromOwnershipRefs(refs: readonly string[]): RoleGrant[] {
  const out: RoleGrant[] = [];
  for (const ref of refs) {
    const m = ROLE_REF.exec(ref.toLocaleLowerCase('en-US'));
    if (!m || !(CATALYST_ROLES as readonly string[]).includes(m[2])) continue;
    const role = m[2] as CatalystRoleName;
    if (role === 'sovereign-admin') {
      if (m[1] === 'default') out.push({ role, organization: '*' });
    } else if (SLUG.test(m[1])) {
      out.push({ role, organization: m[1] });
    }
  }
  return out;
}

/** Is this the name of a Group only Catalyst may issue (a role Group)? @public */
export function isRoleGroupName(name: string): boolean {
  return /^catalyst-/.test(name.toLocaleLowerCase('en-US'));
}

/**
 * Every role grant a person holds: the role their identity provider gave them (role Groups in their
 * ownership refs) and what `catalyst.access.bindings` grants their User or Groups.
 *
 * @public
 */
export function grantsOf(ownershipRefs: readonly string[], bindings: readonly RoleBinding[]): RoleGrant[] {
  return [...grantsFromOwnershipRefs(ownershipRefs), ...grantsFor(ownershipRefs, bindings)];
}
