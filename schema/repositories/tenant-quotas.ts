import { sql } from 'kysely';
import type { Executor } from './executor';

export interface TenantQuotas {
  maxConcurrentCalls: number | null;
  uploadsPerHour: number | null;
}

const UPLOAD_WINDOW_SECONDS = 3600;

export async function getTenantQuotas(db: Executor, tenantId: string): Promise<TenantQuotas | undefined> {
  const row = await db
    .selectFrom('tenants')
    .select(['max_concurrent_calls', 'uploads_per_hour'])
    .where('id', '=', tenantId)
    .executeTakeFirst();
  return row && { maxConcurrentCalls: row.max_concurrent_calls, uploadsPerHour: row.uploads_per_hour };
}

/** Changes the quotas given (null lifts one); undefined when there is no such tenant. */
export async function setTenantQuotas(
  db: Executor,
  tenantId: string,
  quotas: Partial<TenantQuotas>,
): Promise<TenantQuotas | undefined> {
  const changes = {
    ...(quotas.maxConcurrentCalls !== undefined ? { max_concurrent_calls: quotas.maxConcurrentCalls } : {}),
    ...(quotas.uploadsPerHour !== undefined ? { uploads_per_hour: quotas.uploadsPerHour } : {}),
  };
  if (Object.keys(changes).length === 0) return getTenantQuotas(db, tenantId);
  const row = await db
    .updateTable('tenants')
    .set(changes)
    .where('id', '=', tenantId)
    .returning(['max_concurrent_calls', 'uploads_per_hour'])
    .executeTakeFirst();
  return row && { maxConcurrentCalls: row.max_concurrent_calls, uploadsPerHour: row.uploads_per_hour };
}

/** Locks the tenant's row: every API process and worker counts its uploads and slots one at a time. */
export function lockTenant(db: Executor, tenantId: string) {
  return db
    .selectFrom('tenants')
    .select(['max_concurrent_calls', 'uploads_per_hour'])
    .where('id', '=', tenantId)
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Counts an upload against the tenant's hourly quota, or returns how many seconds until the oldest
 * upload in the window ages out. Run inside a transaction (the lock holds until it ends).
 */
export async function recordUpload(
  trx: Executor,
  tenantId: string,
): Promise<{ accepted: true } | { accepted: false; limit: number; retryAfterSeconds: number }> {
  const tenant = await lockTenant(trx, tenantId);
  const limit = tenant?.uploads_per_hour ?? null;
  const windowStart = sql<Date>`now() - make_interval(secs => ${UPLOAD_WINDOW_SECONDS})`;
  await trx
    .deleteFrom('tenant_uploads')
    .where('tenant_id', '=', tenantId)
    .where('uploaded_at', '<=', windowStart)
    .execute();
  if (limit !== null) {
    const recent = await trx
      .selectFrom('tenant_uploads')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number>`ceil(extract(epoch from min(uploaded_at) + make_interval(secs => ${UPLOAD_WINDOW_SECONDS}) - now()))::int`.as(
          'retryAfter',
        ),
      ])
      .where('tenant_id', '=', tenantId)
      .executeTakeFirstOrThrow();
    if (recent.count >= limit) {
      return {
        accepted: false,
        limit,
        retryAfterSeconds: Math.max(1, recent.retryAfter ?? UPLOAD_WINDOW_SECONDS),
      };
    }
  }
  await trx.insertInto('tenant_uploads').values({ tenant_id: tenantId }).execute();
  return { accepted: true };
}
