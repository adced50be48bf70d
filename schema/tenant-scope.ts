import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from './types';

/**
 * A transaction that row-level security (migration 0013) confines to one tenant: a query in it that
 * forgets its `where tenant_id` still reads and writes only this tenant's rows. Every request a
 * tenant makes reaches the database through here.
 */
export function withTenant<T>(
  db: Kysely<DB>,
  tenantId: string,
  work: (trx: Transaction<DB>) => Promise<T>,
): Promise<T> {
  return db.transaction().execute(async (trx) => {
    await sql`select set_config('outdial.tenant_id', ${tenantId}, true)`.execute(trx);
    return work(trx);
  });
}

/**
 * Throws when the pool's role is a superuser or has BYPASSRLS: the policies would not hold for it,
 * and every tenant's rows would be one forgotten `where` away.
 */
export async function assertConfinedByRowSecurity(db: Kysely<DB>): Promise<void> {
  const { rows } = await sql<{ role: string; bypasses: boolean }>`
    select rolname as role, rolsuper or rolbypassrls as bypasses from pg_roles where rolname = current_user`.execute(
    db,
  );
  const role = rows[0];
  if (!role || role.bypasses) {
    throw new Error(
      `DATABASE_URL connects as ${role?.role ?? 'an unknown role'}, which row-level security does not confine: connect as outdial_app (README "Production").`,
    );
  }
}
