import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The retention job deletes delivered webhooks oldest first: this index lets it find them without
 * reading the pending, orphaned and failed rows an operator may still need.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('webhook_inbox_delivered_idx')
    .on('webhook_inbox')
    .column('delivered_at')
    .where(sql.ref('status'), '=', 'delivered')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('webhook_inbox_delivered_idx').execute();
}
