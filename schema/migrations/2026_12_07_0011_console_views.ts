import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * What the console reads: a tenant's calls newest first (the calls page, filtered and paged at
 * 100,000 calls), and each conversation turn as the flow runner answered it, for the call page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('call_attempts_tenant_recent_idx')
    .on('call_attempts')
    .columns(['tenant_id', 'created_at', 'id'])
    .execute();
  await db.schema
    .createTable('flow_turns')
    .addColumn('call_id', 'uuid', (c) => c.notNull().references('call_attempts.id').onDelete('cascade'))
    // The server tool's request id: a retried request records its turn once.
    .addColumn('request_id', 'text', (c) => c.notNull())
    .addColumn('tool', 'text', (c) => c.notNull())
    .addColumn('utterance', 'text')
    .addColumn('dtmf', 'text')
    .addColumn('reply', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('end_call', 'boolean', (c) => c.notNull())
    .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('flow_turns_pk', ['call_id', 'request_id'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('flow_turns').ifExists().execute();
  await db.schema.dropIndex('call_attempts_tenant_recent_idx').ifExists().execute();
}
