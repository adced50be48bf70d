import type { Executor } from './executor';

/** One callback per call: a repeated request finds the row already there. */
export async function insertCallback(
  db: Executor,
  input: { tenantId: string; callId: string; phoneE164: string; reason: string | null },
): Promise<void> {
  await db
    .insertInto('callbacks')
    .values({
      tenant_id: input.tenantId,
      call_id: input.callId,
      phone_e164: input.phoneE164,
      reason: input.reason,
    })
    .onConflict((oc) => oc.column('call_id').doNothing())
    .execute();
}

/** One follow-up per call; returns the due time that is stored (the first request's, on a repeat). */
export async function insertFollowup(
  db: Executor,
  input: { tenantId: string; campaignId: string; contactId: string; callId: string; dueAt: string },
): Promise<Date> {
  await db
    .insertInto('followups')
    .values({
      tenant_id: input.tenantId,
      campaign_id: input.campaignId,
      contact_id: input.contactId,
      call_id: input.callId,
      due_at: input.dueAt,
    })
    .onConflict((oc) => oc.column('call_id').doNothing())
    .execute();
  const row = await db
    .selectFrom('followups')
    .select('due_at')
    .where('call_id', '=', input.callId)
    .executeTakeFirstOrThrow();
  return row.due_at;
}
