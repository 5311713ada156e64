// @ts-check

/**
 * The idempotency key of the request that created an Organization or Environment. A scaffolder task
 * retried after the create went through but before the task recorded it sends the same key again;
 * with the key stored, the API answers with what the first request created instead of a 409.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('catalyst_organizations', table => {
    table.string('request_key', 128).nullable();
  });
  await knex.schema.alterTable('catalyst_environments', table => {
    table.string('request_key', 128).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('catalyst_environments', table => {
    table.dropColumn('request_key');
  });
  await knex.schema.alterTable('catalyst_organizations', table => {
    table.dropColumn('request_key');
  });
};
