import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
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
export async function createApiKey(db: Executor, tenantId: string): Promise<{ id: string; apiKey: string; prefix: string }> {
  const apiKey = newApiKey();
  const prefix = apiKey.slice(0, 8);
  const row = await db
    .insertInto('api_keys')
    .values({ tenant_id: tenantId, key_hash: hashApiKey(apiKey), prefix })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, apiKey, prefix };
}

/** The tenant's API keys, newest first: never the key, only its first characters. */
export function listApiKeys(db: Executor, tenantId: string) {
  return db
    .selectFrom('api_keys')
    .select(['id', 'prefix', 'created_at', 'revoked_at'])
    .where('tenant_id', '=', tenantId)
    .orderBy('created_at', 'desc')
    .execute();
}

/** Revokes a key of the tenant; false when it has no such key. Revoking twice keeps the first time. */
export async function revokeApiKey(db: Executor, tenantId: string, keyId: string): Promise<boolean> {
  const row = await db
    .updateTable('api_keys')
    .set({ revoked_at: sql`coalesce(revoked_at, now())` })
    .where('tenant_id', '=', tenantId)
    .where('id', '=', keyId)
    .returning('id')
    .executeTakeFirst();
  return row !== undefined;
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
