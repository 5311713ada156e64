/**
 * ID tokens shaped as Entra ID (v2 endpoint) issues them: tenant `tid`, object id `oid`, the UPN in
 * `preferred_username` (and `upn`, `email` when the app registration asks for those optional
 * claims), security groups as object ids, app roles in `roles`. The signature is not checked by the
 * resolver (the Microsoft authenticator took the token from Entra's token endpoint over TLS), so a
 * placeholder stands in for it.
 */
export const ACME_TENANT = '00000000-0000-0000-0000-0000000000a1';
export const GLOBEX_TENANT = '00000000-0000-0000-0000-0000000000b2';
export const ACME_PLATFORM_GROUP = '00000000-0000-0000-0000-00000000a1f1';
export const ACME_SECURITY_GROUP = '00000000-0000-0000-0000-00000000a1f2';
export const GLOBEX_OPS_GROUP = '00000000-0000-0000-0000-00000000b2f1';

/** `catalyst.identity.microsoft` as app-config.production.yaml writes it, with a second tenant. */
export const ENTRA_CONFIG = {
  tenants: { [ACME_TENANT]: 'acme', [GLOBEX_TENANT]: 'globex' },
  roles: {
    'Catalyst.OrgAdmin': 'org-admin',
    'Catalyst.Developer': 'org-developer',
    'Catalyst.Viewer': 'org-viewer',
    'Catalyst.SecurityOfficer': 'security-officer',
  },
  groups: {
    [ACME_PLATFORM_GROUP]: { organization: 'acme', team: 'team-platform' },
    [ACME_SECURITY_GROUP]: { organization: 'acme', team: 'team-security' },
    [GLOBEX_OPS_GROUP]: { organization: 'globex', team: 'team-ops' },
  },
};

export function entraClaims(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    aud: '11111111-2222-3333-4444-555555555555',
    iss: `https://login.microsoftonline.com/${ACME_TENANT}/v2.0`,
    iat: 1_780_000_000,
    nbf: 1_780_000_000,
    exp: 1_780_003_600,
    ver: '2.0',
    tid: ACME_TENANT,
    oid: '3f1f0a5e-0000-0000-0000-0000000000aa',
    sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ',
    name: 'Ada Okafor',
    preferred_username: 'ada@acme.example',
    groups: [ACME_PLATFORM_GROUP],
    roles: ['Catalyst.OrgAdmin'],
    ...over,
  };
}

/** A compact JWT with these claims (an RS256 header, a placeholder signature). */
export function entraIdToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ typ: 'JWT', alg: 'RS256', kid: 'entra-test-key' })}.${part(claims)}.c2lnbmF0dXJl`;
}
