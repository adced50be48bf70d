import type { Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/** A call's transfer to a human (issue 24): the number, how far it got, the human leg's talk time. */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('call_attempts')
    .addColumn('transfer_to', 'text')
    .addColumn('transfer_stage', 'text')
    .addColumn('transfer_seconds', 'integer')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('call_attempts')
    .dropColumn('transfer_to')
    .dropColumn('transfer_stage')
    .dropColumn('transfer_seconds')
    .execute();
}
