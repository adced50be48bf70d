import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `workflow_pending_since` marks a campaign whose start has changed its status and not yet had its
 * workflow confirmed by Temporal; still set later, the start was lost in between and is made again.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('campaigns').addColumn('workflow_pending_since', 'timestamptz').execute();
  await db.schema
    .createIndex('campaigns_workflow_pending_idx')
    .on('campaigns')
    .column('workflow_pending_since')
    .where(sql.ref('workflow_pending_since'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('campaigns_workflow_pending_idx').ifExists().execute();
  await db.schema.alterTable('campaigns').dropColumn('workflow_pending_since').execute();
}
