import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * `contacts.final_*` now hold only the campaign's verdict on a contact it closed without a call's
 * result; a contact's result is otherwise read from its attempts. Until now every finished attempt
 * wrote its result there too: those copies are cleared, so a contact whose retry is pending or under
 * way no longer shows its previous attempt's result. The columns stay, for workers of the previous
 * release, which write them until they are replaced (an attempt finishing later clears them again).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    update contacts c set final_status = null, final_outcome = null, final_label = null
    from call_attempts a
    where a.contact_id = c.id and a.attempt = c.attempts
      and a.status = c.final_status
      and a.outcome is not distinct from c.final_outcome
      and a.label is not distinct from c.final_label`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    update contacts c set final_status = a.status, final_outcome = a.outcome, final_label = a.label
    from call_attempts a
    where a.contact_id = c.id and a.attempt = c.attempts and c.final_outcome is null`.execute(db);
}
