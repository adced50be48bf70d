import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from './executor';

const KEY_PREFIX = 'od_';

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Creates a tenant and its first API key; only the hash is stored, the key is shown once. */
export async function createTenant(db: Executor, name: string): Promise<{ tenantId: string; apiKey: string }> {
  const apiKey = KEY_PREFIX + randomBytes(24).toString('base64url');
  const tenant = await db.insertInto('tenants').values({ name }).returning('id').executeTakeFirstOrThrow();
  await db
    .insertInto('api_keys')
    .values({ tenant_id: tenant.id, key_hash: hashApiKey(apiKey), prefix: apiKey.slice(0, 8) })
    .execute();
  return { tenantId: tenant.id, apiKey };
}

export async function findTenantIdByApiKey(db: Executor, apiKey: string): Promise<string | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select('tenant_id')
    .where('key_hash', '=', hashApiKey(apiKey))
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return row?.tenant_id;
}
