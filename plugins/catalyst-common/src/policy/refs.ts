/**
 * Backstage entity refs compare case-insensitively and may omit kind and namespace
 * (`layla`, `user:layla`, `User:default/Layla` are one user). Policy files name teams bare
 * (`team-platform`) while sign-in resolvers report full refs (`group:acme/team-platform`).
 */
function splitRef(ref: string): { kind?: string; namespace?: string; name: string } {
  const trimmed = ref.trim().toLocaleLowerCase('en-US');
  const colon = trimmed.indexOf(':');
  const kind = colon > 0 ? trimmed.slice(0, colon) : undefined;
  const rest = colon > 0 ? trimmed.slice(colon + 1) : trimmed;
  const slash = rest.indexOf('/');
  return slash > 0 ? { kind, namespace: rest.slice(0, slash), name: rest.slice(slash + 1) } : { kind, name: rest };
}

/**
 * `layla` → `user:default/layla`. Used to compare authors, approvers and org-admins.
 *
 * @public
 */
export function normalizeUserRef(ref: string): string {
  const { kind, namespace, name } = splitRef(ref);
  return `${kind ?? 'user'}:${namespace ?? 'default'}/${name}`;
}

/**
 * Whether a team a user belongs to satisfies a team named in a policy. A bare policy entry
 * (`team-platform`) matches that group name in any namespace; a full ref must match exactly.
 *
 * @public
 */
export function teamMatches(policyTeam: string, memberTeam: string): boolean {
  const want = splitRef(policyTeam);
  const have = splitRef(memberTeam);
  if (want.name !== have.name) return false;
  if (want.kind && want.kind !== (have.kind ?? 'group')) return false;
  if (want.namespace && want.namespace !== (have.namespace ?? 'default')) return false;
  return true;
}
