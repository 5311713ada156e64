import { createHash } from 'node:crypto';
import { CATALYST_ROLES, CatalystRole, IdpUser } from './types';
import { isPasswordHash } from './passwords';

/** The file's shape on disk; `note` tells whoever opens it what it is. */
export interface UsersFile {
  note: string;
  users: IdpUser[];
}

export const USERS_FILE_NOTE =
  'Users of the Catalyst development identity provider, a stand-in for Keycloak (not a real identity provider). ' +
  'Edits take effect at the next sign-in or token refresh. Passwords are scrypt hashes: ' +
  '`node packages/idp/bin/catalyst-idp.js hash-password <password>` makes one. See packages/idp/README.md.';

const USERNAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;
// The Organization slug rule of catalyst-common (DESIGN §4); `catalyst` is reserved there, and is
// the shared realm's name here.
const ORGANIZATION = /^[a-z][a-z0-9-]{2,31}$/;
const GROUP = /^(\/[A-Za-z0-9._-]+)+$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** A UUID derived from the username, so re-seeding a deleted file gives every user the same `sub`. */
export function userIdFor(username: string): string {
  const h = createHash('sha256').update(`catalyst-idp:user:${username}`).digest('hex');
  // Shaped as a version 4, variant 1 UUID, as Keycloak's ids are.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(
    16,
  )}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export function emailFor(username: string, organization: string | undefined): string {
  return `${username}@${organization ?? 'catalyst'}.example`;
}

export type ParsedUsers = { ok: true; users: IdpUser[] } | { ok: false; message: string };

/** Checks a users.json text; the message names the first bad field by its JSON path. */
export function parseUsersFile(text: string): ParsedUsers {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    return { ok: false, message: `not JSON (${(error as Error).message})` };
  }
  const list = (data as { users?: unknown } | null)?.users;
  if (!Array.isArray(list)) return { ok: false, message: '`users` must be an array' };
  const users: IdpUser[] = [];
  const usernames = new Set<string>();
  const ids = new Set<string>();
  for (const [i, entry] of list.entries()) {
    const at = `users[${i}]`;
    if (typeof entry !== 'object' || entry === null) return { ok: false, message: `${at} must be an object` };
    const u = entry as Record<string, unknown>;
    const str = (key: string) => (typeof u[key] === 'string' ? (u[key] as string) : undefined);
    const username = str('username');
    if (!username || !USERNAME.test(username)) {
      return { ok: false, message: `${at}.username must match ${USERNAME}` };
    }
    if (usernames.has(username)) return { ok: false, message: `${at}.username '${username}' appears twice` };
    const id = str('id');
    if (!id || !UUID.test(id)) return { ok: false, message: `${at}.id must be a lower-case UUID` };
    if (ids.has(id)) return { ok: false, message: `${at}.id '${id}' appears twice` };
    const organization = u.organization === undefined || u.organization === null ? undefined : str('organization');
    if (u.organization !== undefined && u.organization !== null) {
      if (!organization || !ORGANIZATION.test(organization) || organization === 'catalyst') {
        return {
          ok: false,
          message: `${at}.organization must be an Organization slug (${ORGANIZATION}, not 'catalyst')`,
        };
      }
    }
    const role = str('role');
    if (!role || !(CATALYST_ROLES as readonly string[]).includes(role)) {
      return { ok: false, message: `${at}.role must be one of ${CATALYST_ROLES.join(', ')}` };
    }
    if (role === 'sovereign-admin' ? organization !== undefined : organization === undefined) {
      return {
        ok: false,
        message: `${at}: a sovereign-admin has no organization, every other role has one`,
      };
    }
    const groups = u.groups ?? [];
    if (!Array.isArray(groups) || !groups.every(g => typeof g === 'string' && GROUP.test(g))) {
      return { ok: false, message: `${at}.groups must be a list of group paths like /acme/team-platform` };
    }
    if (!isPasswordHash(u.passwordHash)) {
      return { ok: false, message: `${at}.passwordHash must be a scrypt hash (catalyst-idp hash-password makes one)` };
    }
    const name = str('name') ?? username;
    const email = str('email') ?? emailFor(username, organization);
    usernames.add(username);
    ids.add(id);
    users.push({
      id,
      username,
      name,
      email,
      ...(organization ? { organization } : {}),
      role: role as CatalystRole,
      groups: groups as string[],
      passwordHash: u.passwordHash as string,
    });
  }
  return { ok: true, users };
}
