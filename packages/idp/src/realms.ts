import { IdpUser } from './users/types';

/** The shared-sovereign realm: every user of every Organization, and the Sovereign's own admins. */
export const SHARED_REALM = 'catalyst';

/**
 * A Keycloak-style realm. `catalyst` serves the shared-sovereign topology; one realm per
 * Organization serves the per-organization topology and knows only that Organization's users.
 */
export interface Realm {
  name: string;
  /** Set for a per-Organization realm. */
  organization?: string;
  /** The Backstage auth provider id whose callback this realm's client redirects to. */
  providerId: string;
}

/** `catalyst`, then one realm per Organization any user belongs to, by name. */
export function realmsFor(users: readonly IdpUser[]): Realm[] {
  const organizations = [...new Set(users.flatMap(u => (u.organization ? [u.organization] : [])))].sort();
  return [
    { name: SHARED_REALM, providerId: 'oidc' },
    ...organizations.map(organization => ({ name: organization, organization, providerId: `oidc-${organization}` })),
  ];
}

export function isMember(user: IdpUser, realm: Realm): boolean {
  return realm.organization === undefined || user.organization === realm.organization;
}

/**
 * The user's claims as Keycloak's default mappers shape them. Groups are full paths in the shared
 * realm; an Organization's realm holds only that Organization's groups, so there the
 * `/<org>` prefix is gone (`/acme/team-platform` → `/team-platform`) and other groups are absent.
 */
export function claimsFor(user: IdpUser, realm: Realm): Record<string, unknown> {
  const prefix = realm.organization === undefined ? undefined : `/${realm.organization}/`;
  const groups =
    prefix === undefined
      ? [...user.groups]
      : user.groups.filter(g => g.startsWith(prefix)).map(g => g.slice(prefix.length - 1));
  const [givenName, ...rest] = user.name.split(' ');
  return {
    sub: user.id,
    preferred_username: user.username,
    name: user.name,
    given_name: givenName,
    ...(rest.length > 0 ? { family_name: rest.join(' ') } : {}),
    email: user.email,
    email_verified: true,
    groups,
    realm_access: { roles: [user.role] },
    ...(user.organization ? { org: user.organization } : {}),
  };
}
