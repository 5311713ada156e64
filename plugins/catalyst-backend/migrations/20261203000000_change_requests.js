// @ts-check

/**
 * Change requests (DESIGN §7): the record beside each change request's branch in the destination
 * repo — its intent (to recompute it on another head), the rendered diff, state, verdicts — with
 * approvals and a timeline; and operational freezes of Environments.
 *
 * `version` makes every state change a compare-and-set, so two replicas (or two clicks) cannot
 * both move a request from open to merged, or lose an approval to a concurrent update.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_change_requests', table => {
    table.increments('number').primary();
    table
      .string('environment', 64)
      .notNullable()
      .references('name')
      .inTable('catalyst_environments')
      .onDelete('CASCADE');
    table.string('organization', 64).notNullable();
    table.string('application', 63).nullable();
    table.string('action', 16).notNullable();
    table.string('title', 300).notNullable();
    table.string('author', 255).notNullable();
    // name and address for the merge commit's author line
    table.text('author_identity').notNullable();
    table.text('intent').notNullable();
    table.text('source').nullable();
    table.text('pin').nullable();
    table.boolean('touches_policies').notNullable().defaultTo(false);
    table.string('branch', 128).notNullable();
    table.string('base_commit', 40).notNullable();
    table.string('head_commit', 40).nullable();
    table.text('files').notNullable();
    // pending (branch not written yet), open, conflicted, merged, rejected, superseded
    table.string('state', 16).notNullable();
    table.string('merge_mode', 16).notNullable();
    table.text('evaluation').nullable();
    table.boolean('mergeable').notNullable().defaultTo(false);
    table.text('closure').nullable();
    table.string('request_key', 128).nullable();
    table.integer('version').notNullable().defaultTo(1);
    table.timestamp('revised_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('created_at', { useTz: true, precision: 3 }).notNullable();
    table.timestamp('updated_at', { useTz: true, precision: 3 }).notNullable();
    table.unique(['author', 'request_key']);
    table.index(['environment', 'state']);
    table.index(['state']);
  });
  await knex.schema.createTable('catalyst_change_request_approvals', table => {
    table.integer('number').notNullable().references('number').inTable('catalyst_change_requests').onDelete('CASCADE');
    table.string('approver', 255).notNullable();
    table.string('display_name', 255).nullable();
    table.text('teams').notNullable();
    // held org-admin (or sovereign-admin) in the Organization when approving: counts for policies/
    table.boolean('org_admin').notNullable().defaultTo(false);
    table.text('comment').nullable();
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.primary(['number', 'approver']);
  });
  await knex.schema.createTable('catalyst_change_request_timeline', table => {
    table.increments('id').primary();
    table.integer('number').notNullable().references('number').inTable('catalyst_change_requests').onDelete('CASCADE');
    table.timestamp('at', { useTz: true, precision: 3 }).notNullable();
    table.string('actor', 255).nullable();
    table.string('type', 32).notNullable();
    table.text('message').notNullable();
    table.index(['number']);
  });
  await knex.schema.createTable('catalyst_environment_freezes', table => {
    table.string('environment', 64).primary().references('name').inTable('catalyst_environments').onDelete('CASCADE');
    table.text('reason').notNullable();
    table.string('frozen_by', 255).notNullable();
    table.timestamp('since', { useTz: true, precision: 3 }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_environment_freezes');
  await knex.schema.dropTable('catalyst_change_request_timeline');
  await knex.schema.dropTable('catalyst_change_request_approvals');
  await knex.schema.dropTable('catalyst_change_requests');
};
