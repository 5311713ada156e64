import type {
  ChangeRequestAction,
  ChangeRequestFile,
  ChangeRequestTimelineEntry,
  PolicyEvaluation,
} from '@internal/plugin-catalyst-common';
import { Knex } from 'knex';
import { isUniqueViolation } from '../database/DatabaseOrganizationStore';
import type { GitIdentity } from '../git/GitRepository';
import type { ChangeIntent } from '../provisioning/intents';

/** `pending` only between the record and its branch being written (a crash there is cleaned up). */
export type StoredState = 'pending' | 'open' | 'conflicted' | 'merged' | 'rejected' | 'superseded';

/** What the request would make the destination run (the soak rule compares it with the source). */
export interface ChangePin {
  blueprint?: string;
  version?: string;
  valuesDigest?: string;
}

/** How a request ended or stalled, whichever applies. */
export interface ChangeClosure {
  rejection?: { by: string; at: string; reason: string };
  merge?: { commit: string; at: string; by?: string };
  breakGlass?: { by: string; at: string; reason: string };
  supersededBy?: string;
  conflict?: { at: string; reason: string };
}

export interface ChangeRequestRecord {
  number: number;
  environment: string;
  organization: string;
  application?: string;
  action: ChangeRequestAction;
  title: string;
  author: string;
  authorIdentity: Omit<GitIdentity, 'timestamp'>;
  intent: ChangeIntent;
  source?: { environment: string; application: string; commit: string };
  pin: ChangePin;
  touchesPolicies: boolean;
  branch: string;
  baseCommit: string;
  headCommit?: string;
  files: ChangeRequestFile[];
  state: StoredState;
  mergeMode: 'automatic' | 'manual';
  evaluation: PolicyEvaluation | null;
  mergeable: boolean;
  closure: ChangeClosure;
  requestKey?: string;
  version: number;
  revisedAt: string;
  createdAt: string;
  updatedAt: string;
}

export interface ApprovalRecord {
  approver: string;
  displayName?: string;
  teams: string[];
  orgAdmin: boolean;
  comment?: string;
  at: string;
}

interface Row {
  number: number;
  environment: string;
  organization: string;
  application: string | null;
  action: string;
  title: string;
  author: string;
  author_identity: string;
  intent: string;
  source: string | null;
  pin: string | null;
  touches_policies: boolean | number;
  branch: string;
  base_commit: string;
  head_commit: string | null;
  files: string;
  state: string;
  merge_mode: string;
  evaluation: string | null;
  mergeable: boolean | number;
  closure: string | null;
  request_key: string | null;
  version: number;
  revised_at: string | number | Date;
  created_at: string | number | Date;
  updated_at: string | number | Date;
}

// SQLite (better-sqlite3) hands dates back as epoch milliseconds, PostgreSQL as Date objects.
const iso = (v: string | number | Date) => new Date(v).toISOString();

function fromRow(r: Row): ChangeRequestRecord {
  return {
    number: r.number,
    environment: r.environment,
    organization: r.organization,
    ...(r.application ? { application: r.application } : {}),
    action: r.action as ChangeRequestAction,
    title: r.title,
    author: r.author,
    authorIdentity: JSON.parse(r.author_identity),
    intent: JSON.parse(r.intent),
    ...(r.source ? { source: JSON.parse(r.source) } : {}),
    pin: r.pin ? JSON.parse(r.pin) : {},
    touchesPolicies: !!r.touches_policies,
    branch: r.branch,
    baseCommit: r.base_commit,
    ...(r.head_commit ? { headCommit: r.head_commit } : {}),
    files: JSON.parse(r.files),
    state: r.state as StoredState,
    mergeMode: r.merge_mode as 'automatic' | 'manual',
    evaluation: r.evaluation ? JSON.parse(r.evaluation) : null,
    mergeable: !!r.mergeable,
    closure: r.closure ? JSON.parse(r.closure) : {},
    ...(r.request_key ? { requestKey: r.request_key } : {}),
    version: r.version,
    revisedAt: iso(r.revised_at),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

/** The columns a state change may set. */
export type ChangeRequestPatch = Partial<
  Pick<
    ChangeRequestRecord,
    | 'state'
    | 'baseCommit'
    | 'headCommit'
    | 'files'
    | 'evaluation'
    | 'mergeable'
    | 'closure'
    | 'revisedAt'
    | 'pin'
    | 'mergeMode'
  >
>;

function patchColumns(patch: ChangeRequestPatch): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (patch.state !== undefined) out.state = patch.state;
  if (patch.baseCommit !== undefined) out.base_commit = patch.baseCommit;
  if (patch.headCommit !== undefined) out.head_commit = patch.headCommit;
  if (patch.files !== undefined) out.files = JSON.stringify(patch.files);
  if (patch.evaluation !== undefined) out.evaluation = patch.evaluation ? JSON.stringify(patch.evaluation) : null;
  if (patch.mergeable !== undefined) out.mergeable = patch.mergeable;
  if (patch.closure !== undefined) out.closure = JSON.stringify(patch.closure);
  if (patch.revisedAt !== undefined) out.revised_at = new Date(patch.revisedAt);
  if (patch.pin !== undefined) out.pin = JSON.stringify(patch.pin);
  if (patch.mergeMode !== undefined) out.merge_mode = patch.mergeMode;
  return out;
}

/**
 * Change requests, their approvals and timelines, and Environment freezes, in the plugin's
 * database (SQLite embedded, PostgreSQL in production). Every state change is a compare-and-set on
 * `version`: the caller re-reads and decides again when another replica got there first.
 */
export class ChangeRequestStore {
  private constructor(private readonly db: Knex) {}

  static create(db: Knex): ChangeRequestStore {
    return new ChangeRequestStore(db);
  }

  /**
   * Inserts a request in state `pending` (its branch is written next) with its first timeline
   * entry, and returns its number. With a request key already used by the author: that request.
   */
  async create(
    record: Omit<
      ChangeRequestRecord,
      'number' | 'version' | 'state' | 'headCommit' | 'evaluation' | 'mergeable' | 'closure'
    >,
    opened: Omit<ChangeRequestTimelineEntry, 'at'>,
  ): Promise<{ created: boolean; record: ChangeRequestRecord }> {
    try {
      const number = await this.db.transaction(async trx => {
        const [inserted] = await trx('catalyst_change_requests')
          .insert({
            environment: record.environment,
            organization: record.organization,
            application: record.application ?? null,
            action: record.action,
            title: record.title.slice(0, 300),
            author: record.author,
            author_identity: JSON.stringify(record.authorIdentity),
            intent: JSON.stringify(record.intent),
            source: record.source ? JSON.stringify(record.source) : null,
            pin: JSON.stringify(record.pin),
            touches_policies: record.touchesPolicies,
            // the branch is named after the number, which the insert gives
            branch: '',
            base_commit: record.baseCommit,
            head_commit: null,
            files: JSON.stringify(record.files),
            state: 'pending',
            merge_mode: record.mergeMode,
            evaluation: null,
            mergeable: false,
            closure: null,
            request_key: record.requestKey ?? null,
            version: 1,
            revised_at: new Date(record.revisedAt),
            created_at: new Date(record.createdAt),
            updated_at: new Date(record.updatedAt),
          })
          .returning('number');
        const n = typeof inserted === 'object' ? (inserted as { number: number }).number : (inserted as number);
        await trx('catalyst_change_requests')
          .where({ number: n })
          .update({ branch: `change-requests/cr-${n}` });
        await trx('catalyst_change_request_timeline').insert({
          number: n,
          at: new Date(record.createdAt),
          actor: opened.actor ?? null,
          type: opened.type,
          message: opened.message,
        });
        return n;
      });
      return { created: true, record: (await this.get(number))! };
    } catch (e) {
      if (record.requestKey && isUniqueViolation(e)) {
        const existing = await this.findByRequestKey(record.author, record.requestKey);
        if (existing) return { created: false, record: existing };
      }
      throw e;
    }
  }

  async findByRequestKey(author: string, requestKey: string): Promise<ChangeRequestRecord | undefined> {
    const row = await this.db<Row>('catalyst_change_requests').where({ author, request_key: requestKey }).first();
    return row ? fromRow(row) : undefined;
  }

  async get(number: number): Promise<ChangeRequestRecord | undefined> {
    const row = await this.db<Row>('catalyst_change_requests').where({ number }).first();
    return row ? fromRow(row) : undefined;
  }

  /** Newest first. */
  async list(filter: {
    environments: readonly string[];
    states?: readonly StoredState[];
    application?: string;
    limit?: number;
  }): Promise<ChangeRequestRecord[]> {
    if (filter.environments.length === 0) return [];
    const query = this.db<Row>('catalyst_change_requests')
      .whereIn('environment', [...filter.environments])
      .whereNot('state', 'pending')
      .orderBy('number', 'desc');
    if (filter.states) query.whereIn('state', [...filter.states]);
    if (filter.application) query.where({ application: filter.application });
    if (filter.limit) query.limit(filter.limit);
    return (await query).map(fromRow);
  }

  /** Requests still waiting (open or conflicted), oldest first: what the evaluator sweeps. */
  async listWaiting(environment?: string): Promise<ChangeRequestRecord[]> {
    const query = this.db<Row>('catalyst_change_requests').whereIn('state', ['open', 'conflicted']).orderBy('number');
    if (environment) query.where({ environment });
    return (await query).map(fromRow);
  }

  /** Requests left `pending` longer than `olderThanMs`: their opener died before writing the branch. */
  async listStalePending(now: Date, olderThanMs: number): Promise<ChangeRequestRecord[]> {
    return (
      await this.db<Row>('catalyst_change_requests')
        .where({ state: 'pending' })
        .where('created_at', '<', new Date(now.getTime() - olderThanMs))
    ).map(fromRow);
  }

  async countWaiting(environment: string): Promise<number> {
    const [row] = await this.db('catalyst_change_requests')
      .whereIn('state', ['open', 'conflicted'])
      .where({ environment })
      .count({ n: '*' });
    return Number((row as { n: number | string }).n);
  }

  /**
   * Applies `patch` when the request is still at `version`, with the timeline entries; false when
   * someone changed it first (nothing written).
   */
  async update(
    number: number,
    version: number,
    patch: ChangeRequestPatch,
    timeline: ChangeRequestTimelineEntry[] = [],
    now: Date = new Date(),
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const changed = await trx('catalyst_change_requests')
        .where({ number, version })
        .update({ ...patchColumns(patch), version: version + 1, updated_at: now });
      if (changed !== 1) return false;
      if (timeline.length) {
        await trx('catalyst_change_request_timeline').insert(
          timeline.map(t => ({
            number,
            at: new Date(t.at),
            actor: t.actor ?? null,
            type: t.type,
            message: t.message,
          })),
        );
      }
      return true;
    });
  }

  /** Deletes a request that never got its branch. */
  async deletePending(number: number): Promise<void> {
    await this.db('catalyst_change_requests').where({ number, state: 'pending' }).delete();
  }

  async timeline(number: number): Promise<ChangeRequestTimelineEntry[]> {
    const rows = await this.db('catalyst_change_request_timeline').where({ number }).orderBy('id');
    return rows.map((r: { at: string | number | Date; actor: string | null; type: string; message: string }) => ({
      at: iso(r.at),
      ...(r.actor ? { actor: r.actor } : {}),
      type: r.type as ChangeRequestTimelineEntry['type'],
      message: r.message,
    }));
  }

  async approvals(number: number): Promise<ApprovalRecord[]> {
    const rows = await this.db('catalyst_change_request_approvals').where({ number }).orderBy('at');
    return rows.map(
      (r: {
        approver: string;
        display_name: string | null;
        teams: string;
        org_admin: boolean | number;
        comment: string | null;
        at: string | number | Date;
      }) => ({
        approver: r.approver,
        ...(r.display_name ? { displayName: r.display_name } : {}),
        teams: JSON.parse(r.teams),
        orgAdmin: !!r.org_admin,
        ...(r.comment ? { comment: r.comment } : {}),
        at: iso(r.at),
      }),
    );
  }

  /**
   * Records (or renews) one person's approval with a timeline entry, when the request is still at
   * `version`; bumps the version so evaluations made before it are not taken for current.
   */
  async approve(
    number: number,
    version: number,
    approval: ApprovalRecord,
    entry: ChangeRequestTimelineEntry,
  ): Promise<boolean> {
    return this.db.transaction(async trx => {
      const changed = await trx('catalyst_change_requests')
        .where({ number, version })
        .whereIn('state', ['open', 'conflicted'])
        .update({ version: version + 1, updated_at: new Date(approval.at) });
      if (changed !== 1) return false;
      await trx('catalyst_change_request_approvals').where({ number, approver: approval.approver }).delete();
      await trx('catalyst_change_request_approvals').insert({
        number,
        approver: approval.approver,
        display_name: approval.displayName ?? null,
        teams: JSON.stringify(approval.teams),
        org_admin: approval.orgAdmin,
        comment: approval.comment ?? null,
        at: new Date(approval.at),
      });
      await trx('catalyst_change_request_timeline').insert({
        number,
        at: new Date(entry.at),
        actor: entry.actor ?? null,
        type: entry.type,
        message: entry.message,
      });
      return true;
    });
  }

  async getFreeze(environment: string): Promise<{ reason: string; by: string; since: string } | undefined> {
    const row = await this.db('catalyst_environment_freezes').where({ environment }).first();
    return row ? { reason: row.reason, by: row.frozen_by, since: iso(row.since) } : undefined;
  }

  /** Sets (or replaces the reason of) a freeze. */
  async setFreeze(environment: string, freeze: { reason: string; by: string; since: string }): Promise<void> {
    await this.db('catalyst_environment_freezes')
      .insert({ environment, reason: freeze.reason, frozen_by: freeze.by, since: new Date(freeze.since) })
      .onConflict('environment')
      .merge({ reason: freeze.reason, frozen_by: freeze.by, since: new Date(freeze.since) });
  }

  async liftFreeze(environment: string): Promise<boolean> {
    return (await this.db('catalyst_environment_freezes').where({ environment }).delete()) > 0;
  }
}
