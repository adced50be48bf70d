import { type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The new-campaign wizard: a draft keeps its uploaded file (another sheet of it can be chosen
 * later), a campaign can be scheduled to start at a time, and a test call of a draft is a call
 * attempt of the campaign that belongs to no contact (so it counts nowhere).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign_uploads')
    .addColumn('campaign_id', 'uuid', (c) => c.primaryKey().references('campaigns.id').onDelete('cascade'))
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('bytes', 'bytea', (c) => c.notNull())
    .execute();
  await db.schema.alterTable('campaigns').addColumn('start_at', 'timestamptz').execute();
  await db.schema
    .alterTable('call_attempts')
    .alterColumn('contact_id', (c) => c.dropNotNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom('call_attempts').where('contact_id', 'is', null).execute();
  await db.schema
    .alterTable('call_attempts')
    .alterColumn('contact_id', (c) => c.setNotNull())
    .execute();
  await db.schema.alterTable('campaigns').dropColumn('start_at').execute();
  await db.schema.dropTable('campaign_uploads').ifExists().execute();
}
