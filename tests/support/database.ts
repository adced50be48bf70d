import { afterAll, beforeAll, inject } from 'vitest';
import { createSystemDatabase, type Database } from '../../schema/database';

/**
 * For one describe block of repository tests (no Temporal): a pool on the shared test Postgres and
 * a tenant of its own. Read both inside the tests.
 */
export function tenantDatabase(name: string): { db: Database; tenantId: string } {
  const context = {} as { db: Database; tenantId: string };
  beforeAll(async () => {
    context.db = createSystemDatabase(inject('databaseUrl'), 2);
    const tenant = await context.db
      .insertInto('tenants')
      .values({ name })
      .returning('id')
      .executeTakeFirstOrThrow();
    context.tenantId = tenant.id;
  });
  afterAll(async () => context.db?.destroy());
  return context;
}
