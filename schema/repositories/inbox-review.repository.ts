import { sql } from 'kysely';
import type { InboxStatus } from '../types';
import type { Executor } from './executor';

export interface InboxReviewFilter {
  status?: InboxStatus;
  provider?: string;
  /** Events stored before this one (ids grow with time): the next page. */
  beforeId?: number;
  /** Only events matched to this tenant's calls (an event matched to none belongs to no tenant). */
  tenantId?: string;
  limit: number;
}

const SUMMARY_COLUMNS = [
  'id',
  'provider',
  'event_type',
  'event_key',
  'call_id',
  'status',
  'reason',
  'attempts',
  'received_at',
  'delivered_at',
] as const;

/** Newest first: what an operator looks at when a webhook did not reach its call. */
export function listInboxEvents(db: Executor, filter: InboxReviewFilter) {
  let query = db
    .selectFrom('webhook_inbox')
    .select(SUMMARY_COLUMNS)
    .orderBy('id', 'desc')
    .limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.provider) query = query.where('provider', '=', filter.provider);
  if (filter.beforeId !== undefined) query = query.where('id', '<', filter.beforeId);
  if (filter.tenantId !== undefined) query = query.where('call_id', 'in', tenantCallIds(db, filter.tenantId));
  return query.execute();
}

const tenantCallIds = (db: Executor, tenantId: string) =>
  db.selectFrom('call_attempts').select('id').where('tenant_id', '=', tenantId);

/** One event with the payload as the provider sent it. */
export function inboxEventById(db: Executor, id: number, tenantId?: string) {
  let query = db
    .selectFrom('webhook_inbox')
    .select([...SUMMARY_COLUMNS, 'payload'])
    .where('id', '=', id);
  if (tenantId !== undefined) query = query.where('call_id', 'in', tenantCallIds(db, tenantId));
  return query.executeTakeFirst();
}

/**
 * Puts a `failed` or `orphaned` event back in the delivery queue, due now, its attempts counted
 * afresh; matched again if it had no call. Undefined when there is no such event (of the tenant)
 * or it is not undeliverable.
 */
export async function requeueInboxEvent(db: Executor, id: number, tenantId?: string) {
  let query = db
    .updateTable('webhook_inbox')
    .set({ status: 'pending', attempts: 0, reason: null, next_attempt_at: sql<Date>`now()` })
    .where('id', '=', id)
    .where('status', 'in', ['failed', 'orphaned']);
  if (tenantId !== undefined) query = query.where('call_id', 'in', tenantCallIds(db, tenantId));
  return query.returning('id').executeTakeFirst();
}
