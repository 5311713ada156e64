import { ConflictError } from '@backstage/errors';
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
  created_at: string | Date;
  request_key: string | null;
}

interface EnvRow {
  name: string;
  organization: string;
  env_type: string;
  placement: string;
  initial_policy: string | null;
  created_by: string;
  created_at: string | Date;
  request_key: string | null;
}

const iso = (v: string | Date) => new Date(v).toISOString();

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
    const rows = await this.db<OrgRow>('catalyst_organizations').orderBy('name');
    return rows.map(r => ({
      name: r.name,
      displayName: r.display_name,
      sovereign: r.sovereign,
      teams: JSON.parse(r.teams),
      createdBy: r.created_by,
      createdAt: iso(r.created_at),
      ...(r.request_key ? { requestKey: r.request_key } : {}),
    }));
  }

  async getOrganization(name: string): Promise<OrganizationRecord | undefined> {
    return (await this.listOrganizations()).find(o => o.name === name);
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
    const query = this.db<EnvRow>('catalyst_environments').orderBy('name');
    if (organization) query.where({ organization });
    const rows = await query;
    return rows.map(envFromRow);
  }

  async getEnvironment(name: string): Promise<EnvironmentRecord | undefined> {
    const row = await this.db<EnvRow>('catalyst_environments').where({ name }).first();
    return row ? envFromRow(row) : undefined;
  }

  /** Inserts the Environment; ConflictError when the name or the Organization's env_type is taken. */
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
      throw e;
    }
  }
}

/** SQLite, PostgreSQL and MySQL spell a unique-constraint violation differently. */
function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    err.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    err.code === '23505' ||
    err.code === 'ER_DUP_ENTRY' ||
    /UNIQUE constraint failed/.test(err.message ?? '')
  );
}
