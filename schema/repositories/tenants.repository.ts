import { createHash, randomBytes } from 'node:crypto';
import type { Executor } from './executor';

const KEY_PREFIX = 'od_';

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

const newApiKey = () => KEY_PREFIX + randomBytes(24).toString('base64url');

/**
 * Creates a tenant and its first API key in one statement: a tenant without a key (the second
 * insert failing after the first) could never be reached. Only the key's hash is stored; the key is
 * shown once.
 */
export async function createTenant(
  db: Executor,
  name: string,
): Promise<{ tenantId: string; apiKey: string }> {
  const apiKey = newApiKey();
  const row = await db
    .with('tenant', (q) => q.insertInto('tenants').values({ name }).returning('id'))
    .insertInto('api_keys')
    .columns(['tenant_id', 'key_hash', 'prefix'])
    .expression((eb) =>
      eb.selectFrom('tenant').select((s) => ['tenant.id', s.val(hashApiKey(apiKey)).as('key_hash'), s.val(apiKey.slice(0, 8)).as('prefix')]),
    )
    .returning('tenant_id')
    .executeTakeFirstOrThrow();
  return { tenantId: row.tenant_id, apiKey };
}

/** A further API key of a tenant; only its hash is stored, the key is shown once. */
export async function createApiKey(db: Executor, tenantId: string): Promise<string> {
  const apiKey = newApiKey();
  await db
    .insertInto('api_keys')
    .values({ tenant_id: tenantId, key_hash: hashApiKey(apiKey), prefix: apiKey.slice(0, 8) })
    .execute();
  return apiKey;
}

export async function tenantExists(db: Executor, tenantId: string): Promise<boolean> {
  const row = await db.selectFrom('tenants').select('id').where('id', '=', tenantId).executeTakeFirst();
  return row !== undefined;
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
