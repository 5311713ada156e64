import type { RoleBinding } from '@internal/plugin-catalyst-common';

/**
 * The people of issue 12's authorization matrix, shared by its test files in the catalyst backend
 * and the scaffolder module: one per role of acme, an outsider (org-admin of the other Organization,
 * globex), a grant narrowed to one Environment, and a sovereign-admin. The seeded Sovereign: acme
 * (acme-dev, acme-stg, acme-prod governed by its EnvironmentPolicy) and globex (globex-dev).
 */
export const MATRIX_USERS = {
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
export type MatrixRow = Exclude<keyof typeof MATRIX_USERS, 'author'>;
/** Every row, in the order the tables list them. */
export const MATRIX_ROWS: MatrixRow[] = ['root', 'admin', 'dev', 'viewer', 'security', 'outsider', 'narrowed'];

export const MATRIX_BINDINGS: RoleBinding[] = [
  { subject: MATRIX_USERS.root.ref, role: 'sovereign-admin', organization: '*' },
  { subject: MATRIX_USERS.admin.ref, role: 'org-admin', organization: 'acme' },
  { subject: MATRIX_USERS.dev.ref, role: 'org-developer', organization: 'acme' },
  { subject: MATRIX_USERS.viewer.ref, role: 'org-viewer', organization: 'acme' },
  { subject: MATRIX_USERS.security.ref, role: 'security-officer', organization: 'acme' },
  { subject: MATRIX_USERS.outsider.ref, role: 'org-admin', organization: 'globex' },
  { subject: MATRIX_USERS.narrowed.ref, role: 'org-developer', organization: 'acme', environments: ['acme-dev'] },
  { subject: MATRIX_USERS.author.ref, role: 'org-admin', organization: 'acme' },
];
