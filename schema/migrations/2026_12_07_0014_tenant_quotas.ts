import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Per-tenant quotas the operator sets (null: no limit): live calls across all of a tenant's
 * campaigns, each holding a dial slot from just before its dial until its final status; and uploads
 * per hour, one row per upload accepted, held to the tenant's rows as every tenant table is (0013).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('tenants')
    .addColumn('max_concurrent_calls', 'integer', (c) => c.check(sql`max_concurrent_calls > 0`))
    .addColumn('uploads_per_hour', 'integer', (c) => c.check(sql`uploads_per_hour >= 0`))
    .execute();
  await db.schema.alterTable('call_attempts').addColumn('dial_slot_at', 'timestamptz').execute();
  await db.schema
    .createIndex('call_attempts_dial_slot_idx')
    .on('call_attempts')
    .columns(['tenant_id', 'dial_slot_at'])
    .where(sql.ref('dial_slot_at'), 'is not', null)
    .execute();
  await db.schema
    .createTable('tenant_uploads')
    .addColumn('id', 'bigserial', (c) => c.primaryKey())
    .addColumn('tenant_id', 'uuid', (c) => c.notNull().references('tenants.id').onDelete('cascade'))
    .addColumn('uploaded_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex('tenant_uploads_tenant_idx')
    .on('tenant_uploads')
    .columns(['tenant_id', 'uploaded_at'])
    .execute();
  await sql`alter table tenant_uploads enable row level security`.execute(db);
  await sql`alter table tenant_uploads force row level security`.execute(db);
  await sql`
    create policy tenant_isolation on tenant_uploads
      using (
        tenant_id = (select nullif(current_setting('outdial.tenant_id', true), '')::uuid)
        or (select current_setting('outdial.system', true)) = 'on'
      )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('tenant_uploads').ifExists().execute();
  await db.schema.dropIndex('call_attempts_dial_slot_idx').ifExists().execute();
  await db.schema.alterTable('call_attempts').dropColumn('dial_slot_at').execute();
  await db.schema
    .alterTable('tenants')
    .dropColumn('uploads_per_hour')
    .dropColumn('max_concurrent_calls')
    .execute();
}
