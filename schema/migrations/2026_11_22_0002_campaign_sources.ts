import { type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The parsed upload of a draft (so it can be re-mapped without the file) and each contact's
 * original cells (so results can be exported next to the columns the customer sent).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_sources')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('sheet', 'jsonb', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('contacts').addColumn('source_cells', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropColumn('source_cells').execute();
  await db.schema.dropTable('campaign_sources').ifExists().execute();
}
