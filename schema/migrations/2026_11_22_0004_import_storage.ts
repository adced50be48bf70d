import { sql, type Kysely } from 'kysely';

// Frozen in time: later changes get their own migration, this file never changes.
/* eslint-disable @typescript-eslint/no-explicit-any */

/**
 * Cheaper contact imports. The stored upload and each contact's variables and uploaded cells are
 * only ever read back whole, never queried inside, so `json` (validated, stored as sent) replaces
 * `jsonb`, whose binary conversion cost a 100k-row upload more than a second. A contact's campaign and tenant are now checked
 * by one composite foreign key (which also ties the contact to its campaign's tenant) instead of two
 * per-row checks; a tenant's deletion still reaches its contacts through its campaigns.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table campaign_sources alter column sheet type json using sheet::json`.execute(db);
  await sql`alter table contacts alter column source_cells type json using source_cells::json`.execute(db);
  await sql`alter table contacts
    alter column variables drop default,
    alter column variables type json using variables::json,
    alter column variables set default '{}'::json`.execute(db);
  await db.schema
    .alterTable('campaigns')
    .addUniqueConstraint('campaigns_id_tenant_uq', ['id', 'tenant_id'])
    .execute();
  await db.schema.alterTable('contacts').dropConstraint('contacts_campaign_id_fkey').execute();
  await db.schema.alterTable('contacts').dropConstraint('contacts_tenant_id_fkey').execute();
  await db.schema
    .alterTable('contacts')
    .addForeignKeyConstraint('contacts_campaign_tenant_fkey', ['campaign_id', 'tenant_id'], 'campaigns', [
      'id',
      'tenant_id',
    ])
    .onDelete('cascade')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('contacts').dropConstraint('contacts_campaign_tenant_fkey').execute();
  await db.schema
    .alterTable('contacts')
    .addForeignKeyConstraint('contacts_campaign_id_fkey', ['campaign_id'], 'campaigns', ['id'])
    .onDelete('cascade')
    .execute();
  await db.schema
    .alterTable('contacts')
    .addForeignKeyConstraint('contacts_tenant_id_fkey', ['tenant_id'], 'tenants', ['id'])
    .onDelete('cascade')
    .execute();
  await db.schema.alterTable('campaigns').dropConstraint('campaigns_id_tenant_uq').execute();
  await sql`alter table contacts
    alter column variables drop default,
    alter column variables type jsonb using variables::jsonb,
    alter column variables set default '{}'::jsonb`.execute(db);
  await sql`alter table contacts alter column source_cells type jsonb using source_cells::jsonb`.execute(db);
  await sql`alter table campaign_sources alter column sheet type jsonb using sheet::jsonb`.execute(db);
}
