import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDatabase, type Database } from '../../schema/database';
import { createTenant, findTenantIdByApiKey } from '../../schema/repositories/tenants.repository';

describe('tenant creation (issue 20, item 12)', () => {
  let db: Database;
  beforeAll(() => {
    db = createDatabase(inject('databaseUrl'), 2);
  });
  afterAll(async () => db?.destroy());

  it('creates the tenant and its key together', async () => {
    const { tenantId, apiKey } = await createTenant(db, 'Together');
    expect(await findTenantIdByApiKey(db, apiKey)).toBe(tenantId);
  });

  it('leaves no tenant behind when its API key cannot be stored', async () => {
    const name = `Keyless ${Date.now()}`;
    // For the length of this test only: every API key insert fails, as a full disk or a lost connection would.
    await sql`create function outdial_test_refuse_key() returns trigger language plpgsql as $$
      begin raise exception 'api key refused for the test'; end $$`.execute(db);
    await sql`create trigger outdial_test_refuse_key before insert on api_keys
      for each row execute function outdial_test_refuse_key()`.execute(db);
    try {
      await expect(createTenant(db, name)).rejects.toThrow(/api key refused/);
    } finally {
      await sql`drop trigger outdial_test_refuse_key on api_keys`.execute(db);
      await sql`drop function outdial_test_refuse_key()`.execute(db);
    }
    const left = await db.selectFrom('tenants').select('id').where('name', '=', name).execute();
    expect(left).toEqual([]);
  });
});
