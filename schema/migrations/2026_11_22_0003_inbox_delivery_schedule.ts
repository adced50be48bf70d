import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * The inbox's delivery loop claims pending events once `next_attempt_at` has passed; a retry sets
 * it to when the event should be looked at again, replacing in-process timers.
 * Webhooks find their call by the provider's call id, sometimes without knowing the provider.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('webhook_inbox')
    .addColumn('next_attempt_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.dropIndex('webhook_inbox_pending_idx').execute();
  await db.schema
    .createIndex('webhook_inbox_due_idx')
    .on('webhook_inbox')
    .column('next_attempt_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.dropIndex('call_attempts_provider_call_idx').execute();
  await db.schema
    .createIndex('call_attempts_provider_call_idx')
    .on('call_attempts')
    .column('provider_call_id')
    .where(sql.ref('provider_call_id'), 'is not', null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('call_attempts_provider_call_idx').execute();
  await db.schema
    .createIndex('call_attempts_provider_call_idx')
    .on('call_attempts')
    .columns(['provider', 'provider_call_id'])
    .where(sql.ref('provider_call_id'), 'is not', null)
    .execute();
  await db.schema.dropIndex('webhook_inbox_due_idx').execute();
  await db.schema
    .createIndex('webhook_inbox_pending_idx')
    .on('webhook_inbox')
    .column('received_at')
    .where(sql.ref('status'), '=', 'pending')
    .execute();
  await db.schema.alterTable('webhook_inbox').dropColumn('next_attempt_at').execute();
}
