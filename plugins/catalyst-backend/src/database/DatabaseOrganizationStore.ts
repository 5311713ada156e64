import { ConflictError, NotFoundError } from '@backstage/errors';
import { EnvironmentPolicyRule } from '@internal/plugin-catalyst-common';
import { Knex } from 'knex';

export interface OrganizationRecord {
  name: string;
  displayName: string;
  sovereign: string;
  teams: string[];
  createdBy: string;
  createdAt: string;
  /** The idempotency key of the request that created it, if it sent one. */
  requestKey?: string;
}

export interface EnvironmentRecord {
  name: string;
  organization: string;
  envType: string;
  placement: { preset: string; regions: string[] };
  /** Rules for the first policies/environment-policy.yaml; later edits live in Git only. */
  initialPolicyRules?: EnvironmentPolicyRule[];
  createdBy: string;
  createdAt: string;
  /** The idempotency key of the request that created it, if it sent one. */
  requestKey?: string;
}

interface OrgRow {
  name: string;
  display_name: string;
  sovereign: string;
  teams: string;
  created_by: string;
  created_at: string | number | Date;
  request_key: string | null;
}

interface EnvRow {
  name: string;
  organization: string;
  env_type: string;
  placement: string;
  initial_policy: string | null;
  created_by: string;
  created_at: string | number | Date;
  request_key: string | null;
}

// SQLite (better-sqlite3) hands dates back as epoch milliseconds, PostgreSQL as Date objects.
const iso = (v: string | number | Date) => new Date(v).toISOString();

/**
 * Names in code point order. Not the database's ORDER BY: its collation is the database's choice
 * (a PostgreSQL created with en_US.UTF-8 ignores the hyphen and puts `acmecorp` before `acme-zeta`,
 * SQLite compares bytes), and lists must not change order when the engine does.
 */
function byName<T extends { name: string }>(rows: T[]): T[] {
  return rows.sort((a, b) => (a.name < b.name ? -1 : Number(a.name > b.name)));
}

function orgFromRow(r: OrgRow): OrganizationRecord {
  return {
    name: r.name,
    displayName: r.display_name,
    sovereign: r.sovereign,
    teams: JSON.parse(r.teams),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    ...(r.request_key ? { requestKey: r.request_key } : {}),
  };
}

function envFromRow(r: EnvRow): EnvironmentRecord {
  return {
    name: r.name,
    organization: r.organization,
    envType: r.env_type,
    placement: JSON.parse(r.placement),
    ...(r.initial_policy ? { initialPolicyRules: JSON.parse(r.initial_policy) } : {}),
    createdBy: r.created_by,
    createdAt: iso(r.created_at),
    ...(r.request_key ? { requestKey: r.request_key } : {}),
  };
}

/** Organizations and Environments as rows (the registry); repositories are the environment-controller's job. */
export class DatabaseOrganizationStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): DatabaseOrganizationStore {
    return new DatabaseOrganizationStore(db);
  }

  async listOrganizations(): Promise<OrganizationRecord[]> {
    return byName((await this.db<OrgRow>('catalyst_organizations')).map(orgFromRow));
  }

  async getOrganization(name: string): Promise<OrganizationRecord | undefined> {
    const row = await this.db<OrgRow>('catalyst_organizations').where({ name }).first();
    return row ? orgFromRow(row) : undefined;
  }

  /** Inserts the Organization; ConflictError when the name is taken. */
  async createOrganization(org: OrganizationRecord): Promise<void> {
    try {
      await this.db<OrgRow>('catalyst_organizations').insert({
        name: org.name,
        display_name: org.displayName,
        sovereign: org.sovereign,
        teams: JSON.stringify(org.teams),
        created_by: org.createdBy,
        created_at: new Date(org.createdAt),
        request_key: org.requestKey ?? null,
      });
    } catch (e) {
      if (isUniqueViolation(e)) throw new ConflictError(`Organization ${org.name} already exists`);
      throw e;
    }
  }

  async listEnvironments(organization?: string): Promise<EnvironmentRecord[]> {
    const query = this.db<EnvRow>('catalyst_environments');
    if (organization) query.where({ organization });
    return byName((await query).map(envFromRow));
  }

  async getEnvironment(name: string): Promise<EnvironmentRecord | undefined> {
    const row = await this.db<EnvRow>('catalyst_environments').where({ name }).first();
    return row ? envFromRow(row) : undefined;
  }

  /**
   * Inserts the Environment; ConflictError when the name or the Organization's env_type is taken,
   * NotFoundError when the Organization does not exist.
   */
  async createEnvironment(env: EnvironmentRecord): Promise<void> {
    try {
      await this.db<EnvRow>('catalyst_environments').insert({
        name: env.name,
        organization: env.organization,
        env_type: env.envType,
        placement: JSON.stringify(env.placement),
        initial_policy: env.initialPolicyRules ? JSON.stringify(env.initialPolicyRules) : null,
        created_by: env.createdBy,
        created_at: new Date(env.createdAt),
        request_key: env.requestKey ?? null,
      });
    } catch (e) {
      if (isUniqueViolation(e)) {
        throw new ConflictError(
          `Organization ${env.organization} already has a ${env.envType} Environment (${env.name})`,
        );
      }
      if (isForeignKeyViolation(e)) throw new NotFoundError(`Organization ${env.organization} does not exist`);
      throw e;
    }
  }
}

/**
 * Constraint violations as each driver reports them: better-sqlite3 (extended result codes), pg
 * (SQLSTATE), mysql2, and the sqlite3 driver (one code for every constraint; SQLite's own,
 * untranslated message says which). Never PostgreSQL's message: the server translates it.
 */
function isViolation(e: unknown, codes: string[], sqliteMessage: RegExp): boolean {
  const { code = '', message = '' } = e as { code?: string; message?: string };
  return codes.includes(code) || (code === 'SQLITE_CONSTRAINT' && sqliteMessage.test(message));
}

export function isUniqueViolation(e: unknown): boolean {
  return isViolation(
    e,
    ['SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE', '23505', 'ER_DUP_ENTRY'],
    /UNIQUE constraint failed/,
  );
}

function isForeignKeyViolation(e: unknown): boolean {
  return isViolation(
    e,
    ['SQLITE_CONSTRAINT_FOREIGNKEY', '23503', 'ER_NO_REFERENCED_ROW_2'],
    /FOREIGN KEY constraint failed/,
  );
}
