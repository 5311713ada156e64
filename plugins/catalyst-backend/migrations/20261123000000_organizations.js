// @ts-check

/**
 * The Sovereign's registry of Organizations and their Environments. Git holds what runs; these rows
 * say what exists (and who owns it), so new Organizations and Environments can be created through the
 * API and realized as repositories by the environment-controller.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('catalyst_organizations', table => {
    table.string('name', 32).primary().notNullable();
    table.string('display_name', 200).notNullable();
    table.string('sovereign', 32).notNullable();
    table.text('teams').notNullable().comment('JSON array of team slugs (Groups)');
    table.string('created_by', 255).notNullable();
    table.dateTime('created_at').notNullable();
  });
  await knex.schema.createTable('catalyst_environments', table => {
    table.string('name', 37).primary().notNullable();
    table
      .string('organization', 32)
      .notNullable()
      .references('name')
      .inTable('catalyst_organizations')
      .onDelete('CASCADE');
    table.string('env_type', 4).notNullable();
    table.text('placement').notNullable().comment('JSON placement preset');
    table
      .text('initial_policy')
      .nullable()
      .comment('JSON EnvironmentPolicy rules written when the repo is first bootstrapped');
    table.string('created_by', 255).notNullable();
    table.dateTime('created_at').notNullable();
    // DESIGN §4: one Environment per env_type per Organization
    table.unique(['organization', 'env_type']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('catalyst_environments');
  await knex.schema.dropTable('catalyst_organizations');
};
