import { sql } from 'kysely';
import type { Executor } from './executor';

export interface InboxEntry {
  provider: string;
  eventKey: string;
  eventType: string;
  callId: string | null;
  payload: unknown;
}

/** Stores an event once per (provider, event key). Returns its id, or undefined for a duplicate. */
export async function storeInboxEvent(db: Executor, entry: InboxEntry): Promise<number | undefined> {
  const row = await db
    .insertInto('webhook_inbox')
    .values({
      provider: entry.provider,
      event_key: entry.eventKey,
      event_type: entry.eventType,
      call_id: entry.callId,
      payload: JSON.stringify(entry.payload),
    })
    .onConflict((oc) => oc.columns(['provider', 'event_key']).doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id;
}

export async function markInboxDelivered(db: Executor, id: number): Promise<void> {
  await db
    .updateTable('webhook_inbox')
    .set({ status: 'delivered', delivered_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1`, reason: null })
    .where('id', '=', id)
    .execute();
}

/** Kept for operators: the event could not reach a running workflow. */
export async function markInboxUndeliverable(
  db: Executor,
  id: number,
  status: 'orphaned' | 'failed' | 'pending',
  reason: string,
): Promise<void> {
  await db
    .updateTable('webhook_inbox')
    .set({ status, reason, attempts: sql<number>`attempts + 1` })
    .where('id', '=', id)
    .execute();
}

export async function pendingInboxEvents(db: Executor, olderThanMs: number, limit: number) {
  return db
    .selectFrom('webhook_inbox')
    .select(['id', 'provider', 'event_key', 'event_type', 'call_id', 'payload', 'attempts'])
    .where('status', '=', 'pending')
    .where('received_at', '<', sql<Date>`now() - make_interval(secs => ${olderThanMs / 1000})`)
    .orderBy('received_at')
    .limit(limit)
    .execute();
}
