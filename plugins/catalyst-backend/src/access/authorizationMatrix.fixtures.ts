import type { RoleBinding } from '@internal/plugin-catalyst-common';

/**
 * The people of issue 12's authorization matrix, shared by its test files: one per role of acme, an
 * outsider (org-admin of the other Organization, globex), a grant narrowed to one Environment, and a
 * sovereign-admin. The seeded Sovereign: acme (acme-dev, acme-stg, acme-prod governed by its
 * EnvironmentPolicy) and globex (globex-dev).
 */
export const users = {
  root: { ref: 'user:default/root', displayName: 'Root Sovereign', email: 'root@sovereign.example' },
  admin: { ref: 'user:default/ada', displayName: 'Ada Admin', email: 'ada@acme.example' },
  dev: { ref: 'user:default/layla', displayName: 'Layla Dev', email: 'layla@acme.example' },
  viewer: { ref: 'user:default/vic', displayName: 'Vic Viewer', email: 'vic@acme.example' },
  security: { ref: 'user:default/sam', displayName: 'Sam Security', email: 'sam@acme.example' },
  outsider: { ref: 'user:default/olga', displayName: 'Olga Globex', email: 'olga@globex.example' },
  narrowed: { ref: 'user:default/nina', displayName: 'Nina Narrow', email: 'nina@acme.example' },
  // not a matrix row: authors the fixtures (an author may not approve their own change request)
  author: { ref: 'user:default/pat', displayName: 'Pat Author', email: 'pat@acme.example' },
};

/** A row of the matrix. */
export type Who = Exclude<keyof typeof users, 'author'>;
/** Every row, in the order the tables list them. */
export const WHO: Who[] = ['root', 'admin', 'dev', 'viewer', 'security', 'outsider', 'narrowed'];

export const bindings: RoleBinding[] = [
  { subject: users.root.ref, role: 'sovereign-admin', organization: '*' },
  { subject: users.admin.ref, role: 'org-admin', organization: 'acme' },
  { subject: users.dev.ref, role: 'org-developer', organization: 'acme' },
  { subject: users.viewer.ref, role: 'org-viewer', organization: 'acme' },
  { subject: users.security.ref, role: 'security-officer', organization: 'acme' },
  { subject: users.outsider.ref, role: 'org-admin', organization: 'globex' },
  { subject: users.narrowed.ref, role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
  { subject: users.author.ref, role: 'org-admin', organization: 'acme' },
];
