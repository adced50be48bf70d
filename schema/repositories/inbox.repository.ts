import { sql, type Transaction } from 'kysely';
import type { DB, InboxStatus } from '../types';
import { callKeysRecord, type CallKeys } from './call-match';
import type { Executor } from './executor';

export interface InboxEntry {
  provider: string;
  eventKey: string;
  eventType: string;
  callId: string | null;
  payload: unknown;
  /** `payload`'s JSON text as received, stored as is instead of serializing `payload` again. */
  payloadJson?: string;
}

/** What becomes of a new event that no call matches as it is stored. */
export type IfUnmatched =
  { status: 'orphaned'; reason: string } | { status: 'pending'; reason: string; retryMs: number };

/** An event to store, with what finds its call as it is stored and what becomes of it if nothing does. */
export interface NewInboxEvent extends InboxEntry {
  /** With `provider` and `callId`, the keys that find the event's call. */
  match: Omit<CallKeys, 'provider' | 'callId'>;
  ifUnmatched: IfUnmatched;
}

export interface StoredInboxEvent {
  id: number;
  /** The call the event matched as it was stored; null when none did. */
  callId: string | null;
  status: Extract<InboxStatus, 'pending' | 'orphaned'>;
}

/**
 * Stores events once per (provider, event key), many in one statement, each with the call it matches
 * found in that statement. A matched event is first due `leaseSeconds` from now: the storing process
 * delivers it from memory meanwhile, and only if that process dies does another claim it. An event no
 * call matches is settled by `ifUnmatched` at once, without a second write: that was its first look.
 * Returns, per entry, what was stored, or undefined for a duplicate: of an event stored before, or of
 * an earlier entry in the same batch.
 */
export async function storeInboxEvents(
  db: Executor,
  entries: readonly NewInboxEvent[],
  leaseSeconds = 0,
): Promise<(StoredInboxEvent | undefined)[]> {
  const firstOfKey = new Map<string, number>();
  entries.forEach((entry, index) => {
    const key = `${entry.provider}\u0000${entry.eventKey}`;
    if (!firstOfKey.has(key)) firstOfKey.set(key, index);
  });
  // One JSON document for the whole batch, each payload spliced in as received (or serialized once):
  // Postgres parses it once, and no payload is escaped again into an array literal.
  const records = [...firstOfKey.values()].map((index) => {
    const { match, ifUnmatched, payload, payloadJson, ...entry } = entries[index]!;
    const fields = JSON.stringify({
      ...callKeysRecord({ provider: entry.provider, callId: entry.callId, ...match }),
      event_key: entry.eventKey,
      event_type: entry.eventType,
      unmatched_status: ifUnmatched.status,
      unmatched_reason: ifUnmatched.reason,
      unmatched_retry_ms: ifUnmatched.status === 'pending' ? ifUnmatched.retryMs : null,
    });
    return `${fields.slice(0, -1)},"payload":${payloadJson ?? JSON.stringify(payload)}}`;
  });
  // One statement, planned once per connection (migration 0007): see `outdial_store_inbox_events`.
  const { rows } = await sql<{
    id: number;
    provider: string;
    event_key: string;
    call_id: string | null;
    status: string;
  }>`select * from outdial_store_inbox_events(
    ${`[${records.join(',')}]`}::jsonb, ${Math.max(0, Math.floor(leaseSeconds))})`.execute(db);
  const storedOfKey = new Map(
    rows.map((row) => [
      `${row.provider}\u0000${row.event_key}`,
      { id: row.id, callId: row.call_id, status: row.status as StoredInboxEvent['status'] },
    ]),
  );
  return entries.map((entry, index) => {
    const key = `${entry.provider}\u0000${entry.eventKey}`;
    return firstOfKey.get(key) === index ? storedOfKey.get(key) : undefined;
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

/** Events waiting for delivery, counted on the pending-only index: cheap while few wait. */
export async function countPendingInboxEvents(db: Executor): Promise<number> {
  const row = await db
    .selectFrom('webhook_inbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}

export type ClaimedInboxEvent = Awaited<ReturnType<typeof claimDueInboxEvents>>[number];

/** An event's signal went through at `at` (the API's clock, `Date.now()`). */
export interface DeliveredMark {
  id: number;
  at: number;
}

/**
 * Many events delivered, each with the time its signal went through, in one statement. The times
 * are sent as ages and taken from the database's clock, as `received_at` is: an API host's clock
 * that disagrees cannot record a delivery before the event came.
 */
export async function markInboxDelivered(db: Executor, marks: readonly DeliveredMark[]): Promise<void> {
  if (marks.length === 0) return;
  const now = Date.now();
  await sql`
    update webhook_inbox as inbox
    set status = 'delivered', reason = null, attempts = inbox.attempts + 1,
      delivered_at = now() - make_interval(secs => mark.age_ms / 1000.0)
    from unnest(${marks.map((m) => m.id)}::bigint[], ${marks.map((m) => Math.max(0, now - m.at))}::int[])
      as mark(id, age_ms)
    where inbox.id = mark.id`.execute(db);
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
