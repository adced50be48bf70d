import { sql } from 'kysely';
import type { Executor } from './executor';

export async function isOnDoNotCall(db: Executor, tenantId: string, phoneE164: string): Promise<boolean> {
  const row = await db
    .selectFrom('do_not_call')
    .select('phone_e164')
    .where('tenant_id', '=', tenantId)
    .where('phone_e164', '=', phoneE164)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * The subset of `phones` on the tenant's list, for scrubbing an upload in batches. The batch goes
 * as one array parameter rather than one parameter per number.
 */
export async function doNotCallSubset(db: Executor, tenantId: string, phones: string[]): Promise<Set<string>> {
  if (phones.length === 0) return new Set();
  const rows = await db
    .selectFrom('do_not_call')
    .select('phone_e164')
    .where('tenant_id', '=', tenantId)
    .where('phone_e164', '=', sql<string>`any(${phones}::text[])`)
    .execute();
  return new Set(rows.map((r) => r.phone_e164));
}

/** Idempotent: adding a listed number keeps the first entry's reason and source. */
export async function addToDoNotCall(
  db: Executor,
  entries: { tenantId: string; phoneE164: string; reason: string | null; source: string }[],
): Promise<number> {
  if (entries.length === 0) return 0;
  const result = await db
    .insertInto('do_not_call')
    .values(
      entries.map((e) => ({ tenant_id: e.tenantId, phone_e164: e.phoneE164, reason: e.reason, source: e.source })),
    )
    .onConflict((oc) => oc.columns(['tenant_id', 'phone_e164']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}

export async function removeFromDoNotCall(db: Executor, tenantId: string, phones: string[]): Promise<number> {
  if (phones.length === 0) return 0;
  const result = await db
    .deleteFrom('do_not_call')
    .where('tenant_id', '=', tenantId)
    .where('phone_e164', 'in', phones)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

export async function listDoNotCall(
  db: Executor,
  tenantId: string,
  limit: number,
  after?: string,
  /** Digits of the number, anywhere in it. */
  digits?: string,
) {
  let query = db
    .selectFrom('do_not_call')
    .select(['phone_e164', 'reason', 'source', 'created_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('phone_e164')
    .limit(limit);
  if (after) query = query.where('phone_e164', '>', after);
  if (digits) query = query.where('phone_e164', 'like', `%${digits}%`);
  return query.execute();
}
