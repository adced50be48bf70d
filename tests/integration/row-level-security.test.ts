import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, createSystemDatabase, type Database } from '../../schema/database';
import type { Executor } from '../../schema/repositories/executor';
import { withTenant } from '../../schema/tenant-scope';

/** The tenants whose rows a query with no WHERE reads from `table`. */
async function tenantsIn(db: Executor, table: string): Promise<string[]> {
  const { rows } = await sql<{
    tenant_id: string;
  }>`select distinct tenant_id from ${sql.table(table)}`.execute(db);
  return rows.map((row) => row.tenant_id);
}

describe('row-level security (issue 20, item 6)', () => {
  let owner: Database;
  let app: Database;
  let system: Database;
  let ours: { tenantId: string; campaignId: string };
  let theirs: { tenantId: string; campaignId: string };
  /** Every table with a tenant_id, read from the catalog so that a new one is held to the same rule. */
  let tenantTables: string[];

  async function tenantWithCampaign(name: string) {
    const { id: tenantId } = await owner
      .insertInto('tenants')
      .values({ name })
      .returning('id')
      .executeTakeFirstOrThrow();
    const { id: campaignId } = await owner
      .insertInto('campaigns')
      .values({ tenant_id: tenantId, name: `${name} campaign`, config: '{}', mapping: '{}', report: '{}' })
      .returning('id')
      .executeTakeFirstOrThrow();
    await owner
      .insertInto('do_not_call')
      .values({ tenant_id: tenantId, phone_e164: '+905551112233', reason: null, source: 'test' })
      .execute();
    return { tenantId, campaignId };
  }

  beforeAll(async () => {
    owner = createDatabase(inject('databaseUrl'), 2);
    app = createDatabase(inject('appDatabaseUrl'), 2);
    system = createSystemDatabase(inject('appDatabaseUrl'), 1);
    const { rows } = await sql<{ name: string }>`
      select table_name as name from information_schema.columns
      where table_schema = 'public' and column_name = 'tenant_id' order by 1`.execute(owner);
    tenantTables = rows.map((row) => row.name);
    ours = await tenantWithCampaign('RLS ours');
    theirs = await tenantWithCampaign('RLS theirs');
  });
  afterAll(async () => {
    await Promise.all([owner?.destroy(), app?.destroy(), system?.destroy()]);
  });

  it('confines a query that forgets its WHERE to the tenant of its transaction', async () => {
    const campaigns = await withTenant(app, ours.tenantId, (trx) =>
      trx.selectFrom('campaigns').selectAll().execute(),
    );
    expect(campaigns.map((c) => c.id)).toEqual([ours.campaignId]);
    for (const table of tenantTables) {
      const seen = await withTenant(app, ours.tenantId, (trx) => tenantsIn(trx, table));
      expect(
        seen.filter((tenantId) => tenantId !== ours.tenantId),
        table,
      ).toEqual([]);
    }
    const listed = await withTenant(app, ours.tenantId, (trx) =>
      trx.selectFrom('do_not_call').selectAll().execute(),
    );
    expect(listed.map((row) => row.tenant_id)).toEqual([ours.tenantId]);
  });

  it('shows the app nothing outside a tenant transaction', async () => {
    expect(await app.selectFrom('campaigns').selectAll().execute()).toEqual([]);
    expect(await app.selectFrom('do_not_call').selectAll().execute()).toEqual([]);
  });

  it("refuses to write another tenant's rows", async () => {
    await expect(
      withTenant(app, ours.tenantId, (trx) =>
        trx
          .insertInto('campaigns')
          .values({ tenant_id: theirs.tenantId, name: 'planted', config: '{}', mapping: '{}', report: '{}' })
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
    const renamed = await withTenant(app, ours.tenantId, (trx) =>
      trx
        .updateTable('campaigns')
        .set({ name: 'renamed' })
        .where('id', '=', theirs.campaignId)
        .executeTakeFirst(),
    );
    expect(renamed.numUpdatedRows).toBe(0n);
    await expect(
      withTenant(app, ours.tenantId, (trx) =>
        trx
          .updateTable('campaigns')
          .set({ tenant_id: theirs.tenantId })
          .where('id', '=', ours.campaignId)
          .execute(),
      ),
    ).rejects.toThrow(/row-level security/);
  });

  it('connects the app as a role that owns no table and cannot lift the policies', async () => {
    const role = sql<{ name: string; rolsuper: boolean; rolbypassrls: boolean }>`
      select rolname as name, rolsuper, rolbypassrls from pg_roles where rolname = current_user`;
    expect((await role.execute(app)).rows).toEqual([
      { name: 'outdial_app', rolsuper: false, rolbypassrls: false },
    ]);
    const owned = sql`select tablename from pg_tables where schemaname = 'public' and tableowner = current_user`;
    expect((await owned.execute(app)).rows).toEqual([]);
    const forced = sql<{ relname: string }>`
      select relname from pg_class where relrowsecurity and relforcerowsecurity and relname = any(${tenantTables})`;
    expect(tenantTables.length).toBeGreaterThanOrEqual(8);
    expect((await forced.execute(app)).rows.map((row) => row.relname).sort()).toEqual(tenantTables);
    const lift = sql`alter table campaigns disable row level security`;
    await expect(lift.execute(app)).rejects.toThrow(/must be owner/);
  });

  it("lets the system scope see every tenant's rows", async () => {
    const seen = await system
      .selectFrom('campaigns')
      .select('id')
      .where('id', 'in', [ours.campaignId, theirs.campaignId])
      .execute();
    expect(seen.map((c) => c.id).sort()).toEqual([ours.campaignId, theirs.campaignId].sort());
  });
});
