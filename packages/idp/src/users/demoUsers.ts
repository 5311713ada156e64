import { CatalystRole } from './types';

/**
 * The users seeded into `<dataDir>/idp/users.json` on first start: every Catalyst role across two
 * Organizations, plus a sovereign-admin who belongs to none. Passwords are demo values, listed in
 * packages/idp/README.md; only their scrypt hashes are written to the file.
 */
export interface DemoUser {
  username: string;
  password: string;
  name: string;
  organization?: string;
  role: CatalystRole;
  /** Full group paths, as realm `catalyst` shows them. */
  groups: string[];
}

export const DEMO_USERS: readonly DemoUser[] = [
  {
    username: 'sofia',
    password: 'sofia-demo',
    name: 'Sofia Reyes',
    role: 'sovereign-admin',
    groups: ['/catalyst-admins'],
  },
  {
    username: 'ada',
    password: 'ada-demo',
    name: 'Ada Okafor',
    organization: 'acme',
    role: 'org-admin',
    groups: ['/acme/team-platform'],
  },
  {
    username: 'pat',
    password: 'pat-demo',
    name: 'Pat Lindqvist',
    organization: 'acme',
    role: 'org-developer',
    groups: ['/acme/team-platform'],
  },
  {
    username: 'sam',
    password: 'sam-demo',
    name: 'Sam Haddad',
    organization: 'acme',
    role: 'security-officer',
    groups: ['/acme/team-security'],
  },
  {
    username: 'layla',
    password: 'layla-demo',
    name: 'Layla Nasser',
    organization: 'acme',
    role: 'org-developer',
    groups: ['/acme/team-apps'],
  },
  { username: 'vic', password: 'vic-demo', name: 'Vic Moreau', organization: 'acme', role: 'org-viewer', groups: [] },
  {
    username: 'gina',
    password: 'gina-demo',
    name: 'Gina Rossi',
    organization: 'globex',
    role: 'org-admin',
    groups: ['/globex/team-ops'],
  },
  {
    username: 'gus',
    password: 'gus-demo',
    name: 'Gus Fischer',
    organization: 'globex',
    role: 'org-developer',
    groups: ['/globex/team-ops'],
  },
  // globex has every role too: a viewer and a security officer (globex's only team is team-ops, so
  // the officer reviews from outside it, as sam does for the teams of acme he is not in)
  {
    username: 'gwen',
    password: 'gwen-demo',
    name: 'Gwen Adler',
    organization: 'globex',
    role: 'org-viewer',
    groups: [],
  },
  {
    username: 'greta',
    password: 'greta-demo',
    name: 'Greta Lindberg',
    organization: 'globex',
    role: 'security-officer',
    groups: [],
  },
];
