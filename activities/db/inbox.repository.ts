import { sql, type Transaction } from 'kysely';
import type { DB, InboxStatus } from '../../schema/types';
import type { Executor } from './executor';

export interface InboxEntry {
  provider: string;
  eventKey: string;
  eventType: string;
  callId: string | null;
  payload: unknown;
}

/**
 * Stores events once per (provider, event key), many in one statement. Returns, per entry, its new
 * id or undefined for a duplicate: of an event stored before, or of an earlier entry in the same batch.
 * A new event is first due `leaseSeconds` from now: the storing process delivers it from memory
 * meanwhile, and only if that process dies does another claim it.
 */
export async function storeInboxEvents(
  db: Executor,
  entries: readonly InboxEntry[],
  leaseSeconds = 0,
): Promise<(number | undefined)[]> {
  const firstOfKey = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = `${entry.provider}\u0000${entry.eventKey}`;
    if (!firstOfKey.has(key)) firstOfKey.set(key, index);
  });
  const unique = [...firstOfKey.values()].map((index) => entries[index]!);
  // One array parameter per column, not one per value: a batch of 200 events is six parameters to
  // bind and parse, not 1,200.
  const { rows } = await sql<{ id: number; provider: string; event_key: string }>`
    insert into webhook_inbox (provider, event_key, event_type, call_id, payload, next_attempt_at)
    select provider, event_key, event_type, call_id, payload,
      now() + make_interval(secs => ${Math.max(0, Math.floor(leaseSeconds))})
    from unnest(
      ${unique.map((e) => e.provider)}::text[], ${unique.map((e) => e.eventKey)}::text[],
      ${unique.map((e) => e.eventType)}::text[], ${unique.map((e) => e.callId)}::uuid[],
      ${unique.map((e) => JSON.stringify(e.payload))}::jsonb[]
    ) as event(provider, event_key, event_type, call_id, payload)
    on conflict (provider, event_key) do nothing
    returning id, provider, event_key`.execute(db);
  const idOfKey = new Map(rows.map((row) => [`${row.provider}\u0000${row.event_key}`, row.id]));
  return entries.map((entry, index) => {
    const key = `${entry.provider}\u0000${entry.eventKey}`;
    return firstOfKey.get(key) === index ? idOfKey.get(key) : undefined;
  });
}

/**
 * Claims up to `limit` pending events that are due, oldest first, by locking their rows: run in a
 * transaction, which holds them until it ends, while other claims (another API process, a
 * concurrent pass) skip them. A process that dies mid-delivery releases them with its connection.
 */
export async function claimDueInboxEvents(trx: Transaction<DB>, limit: number) {
  return trx
    .selectFrom('webhook_inbox')
    .select(['id', 'provider', 'event_type', 'call_id', 'payload', 'attempts'])
    .where('status', '=', 'pending')
    .where('next_attempt_at', '<=', sql<Date>`now()`)
    .orderBy('next_attempt_at')
    .limit(limit)
    .forUpdate()
    .skipLocked()
    .execute();
}

export type ClaimedInboxEvent = Awaited<ReturnType<typeof claimDueInboxEvents>>[number];

export async function markInboxDelivered(db: Executor, ids: readonly number[]): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_inbox')
    .set({
      status: 'delivered',
      delivered_at: sql<Date>`now()`,
      reason: null,
      attempts: sql<number>`attempts + 1`,
    })
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute();
}

/** Left pending with the reason it was not delivered, to be claimed again after `delayMs`. */
export async function deferInboxEvents(
  db: Executor,
  ids: readonly number[],
  delayMs: number,
  reason: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_inbox')
    .set({
      reason,
      next_attempt_at: sql<Date>`now() + make_interval(secs => ${delayMs / 1000})`,
      attempts: sql<number>`attempts + 1`,
    })
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute();
}

/** Kept for operators: the events could not reach a running workflow. */
export async function markInboxUndeliverable(
  db: Executor,
  ids: readonly number[],
  status: Extract<InboxStatus, 'orphaned' | 'failed'>,
  reason: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_inbox')
    .set({ status, reason, attempts: sql<number>`attempts + 1` })
    .where(sql<boolean>`id = any(${ids}::bigint[])`)
    .execute();
}
