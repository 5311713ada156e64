// @ts-check

/**
 * Personal Git tokens (DESIGN §9): what a user creates in the portal to clone and push over HTTP.
 * Only the secret's SHA-256 is kept (`token_hash`, unique: the lookup on every Git request); the
 * secret itself is shown once. Revocation is a timestamp, not a delete, so the list shows what was
 * revoked and when.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_git_tokens', table => {
    table.string('id', 16).primary();
    table.string('token_hash', 64).notNullable().unique();
    table.string('name', 80).notNullable();
    table.string('user_ref', 255).notNullable().index();
    table.string('organization', 64).notNullable();
    table.string('created_at', 32).notNullable();
    table.string('expires_at', 32).nullable();
    table.string('last_used_at', 32).nullable();
    table.string('revoked_at', 32).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_git_tokens');
};
