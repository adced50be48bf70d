import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * A contact's next attempt waits in its row, not in the campaign workflow's state: a campaign of
 * 100,000 numbers can have tens of thousands waiting, more than a continue-as-new input may carry.
 * `retry_claim` names the campaign run's claim that took it, so a retried claim returns the same rows.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('contacts')
    .addColumn('retry_attempt', 'integer')
    .addColumn('retry_followups', 'integer')
    .addColumn('retry_at', 'timestamptz')
    .addColumn('retry_claim', 'text')
    .execute();
  await db.schema
    .createIndex('contacts_retry_due_idx')
    .on('contacts')
    .columns(['campaign_id', 'retry_at'])
    .where(sql.ref('retry_at'), 'is not', null)
    .execute();
  await db.schema
    .createIndex('contacts_retry_claim_idx')
    .on('contacts')
    .column('retry_claim')
    .where(sql.ref('retry_claim'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('contacts_retry_claim_idx').execute();
  await db.schema.dropIndex('contacts_retry_due_idx').execute();
  await db.schema
    .alterTable('contacts')
    .dropColumn('retry_attempt')
    .dropColumn('retry_followups')
    .dropColumn('retry_at')
    .dropColumn('retry_claim')
    .execute();
}
