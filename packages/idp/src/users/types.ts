/** The Catalyst roles (DESIGN §8); each user carries exactly one, as a Keycloak realm role. */
export const CATALYST_ROLES = [
  'sovereign-admin',
  'org-admin',
  'org-developer',
  'org-viewer',
  'security-officer',
] as const;
export type CatalystRole = (typeof CATALYST_ROLES)[number];

/** One entry of `<dataDir>/idp/users.json`. */
export interface IdpUser {
  /** Stable subject (`sub`), a UUID as Keycloak uses; never reused for another user. */
  id: string;
  username: string;
  name: string;
  email: string;
  /** The Organization slug; absent for users of the Sovereign itself (sovereign-admin). */
  organization?: string;
  role: CatalystRole;
  /** Full group paths (`/acme/team-platform`), as realm `catalyst` shows them. */
  groups: string[];
  /** `scrypt:N:r:p:<salt>:<key>`; see passwords.ts. */
  passwordHash: string;
}
