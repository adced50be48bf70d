import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

const TENANT_TABLES = [
  'api_keys',
  'users',
  'campaigns',
  'contacts',
  'call_attempts',
  'do_not_call',
  'callbacks',
  'followups',
];

/**
 * Row-level security on every table with a tenant_id, so that isolation no longer rests on each
 * query's WHERE alone: a row is seen and written only in a transaction that set `outdial.tenant_id`
 * to its tenant (schema/tenant-scope.ts), or on a connection in system scope (`outdial.system`, the
 * worker's, the webhook inbox's, the operator's and the migrator's: schema/database.ts). FORCE makes
 * it hold for the owner too, unless a superuser.
 *
 * The app connects as `outdial_app` (made here without a login, given one by whoever deploys), which
 * owns nothing: it cannot disable the policies, alter the tables or touch the migrator's records.
 * The settings are read once per statement, through a sub-select, not once per row.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    do $$ begin
      if not exists (select from pg_roles where rolname = 'outdial_app') then
        create role outdial_app nologin;
      end if;
    end $$`.execute(db);
  await sql`grant usage on schema public to outdial_app`.execute(db);
  await sql`grant select, insert, update, delete on all tables in schema public to outdial_app`.execute(db);
  await sql`revoke all on kysely_migration, kysely_migration_lock from outdial_app`.execute(db);
  await sql`grant usage, select on all sequences in schema public to outdial_app`.execute(db);
  await sql`alter default privileges in schema public grant select, insert, update, delete on tables to outdial_app`.execute(
    db,
  );
  await sql`alter default privileges in schema public grant usage, select on sequences to outdial_app`.execute(
    db,
  );
  for (const table of TENANT_TABLES) {
    await sql`alter table ${sql.table(table)} enable row level security`.execute(db);
    await sql`alter table ${sql.table(table)} force row level security`.execute(db);
    await sql`
      create policy tenant_isolation on ${sql.table(table)}
        using (
          tenant_id = (select nullif(current_setting('outdial.tenant_id', true), '')::uuid)
          or (select current_setting('outdial.system', true)) = 'on'
        )`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of TENANT_TABLES) {
    await sql`drop policy tenant_isolation on ${sql.table(table)}`.execute(db);
    await sql`alter table ${sql.table(table)} no force row level security`.execute(db);
    await sql`alter table ${sql.table(table)} disable row level security`.execute(db);
  }
  await sql`alter default privileges in schema public revoke all on sequences from outdial_app`.execute(db);
  await sql`alter default privileges in schema public revoke all on tables from outdial_app`.execute(db);
  await sql`revoke all on all sequences in schema public from outdial_app`.execute(db);
  await sql`revoke all on all tables in schema public from outdial_app`.execute(db);
  await sql`revoke usage on schema public from outdial_app`.execute(db);
}
