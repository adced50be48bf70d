import { Inject, Injectable } from '@nestjs/common';
import { Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey, tenantExists } from '../../schema/repositories/tenants.repository';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { isUuid } from '../campaigns/campaigns.service';
import { notFound } from '../common/problem';

export const ApiKeySchema = z.object({
  id: z.string().uuid(),
  prefix: z.string().describe('the first characters of the key, to tell keys apart'),
  createdAt: z.string().datetime(),
  revokedAt: z.string().datetime().nullable(),
});
export const ApiKeyListSchema = z.object({ items: z.array(ApiKeySchema) });
export const NewApiKeySchema = z.object({
  id: z.string().uuid(),
  apiKey: z.string().describe('shown once: only its hash is stored'),
  prefix: z.string(),
});

/**
 * A tenant's API keys: made, listed, revoked and rotated. No key is cached anywhere, so a revoked
 * key is refused from the next request on.
 */
@Injectable()
export class ApiKeysService {
  constructor(@Inject(Kysely) private readonly db: Kysely<DB>) {}

  async list(tenantId: string): Promise<z.infer<typeof ApiKeyListSchema>> {
    const rows = await this.inTenant(tenantId, (trx) => listApiKeys(trx, tenantId));
    return {
      items: rows.map((row) => ({
        id: row.id,
        prefix: row.prefix,
        createdAt: row.created_at.toISOString(),
        revokedAt: row.revoked_at?.toISOString() ?? null,
      })),
    };
  }

  create(tenantId: string): Promise<z.infer<typeof NewApiKeySchema>> {
    return this.inTenant(tenantId, (trx) => createApiKey(trx, tenantId));
  }

  async revoke(tenantId: string, keyId: string): Promise<void> {
    await this.inTenant(tenantId, async (trx) => {
      if (!isUuid(keyId) || !(await revokeApiKey(trx, tenantId, keyId))) throw notFound('API key');
    });
  }

  /** A new key and the old one revoked, together: a rotation never leaves the tenant with neither. */
  rotate(tenantId: string, keyId: string): Promise<z.infer<typeof NewApiKeySchema>> {
    return this.inTenant(tenantId, async (trx) => {
      if (!isUuid(keyId) || !(await revokeApiKey(trx, tenantId, keyId))) throw notFound('API key');
      return createApiKey(trx, tenantId);
    });
  }

  /** The operator names any tenant: one that does not exist is a 404, not an empty list. */
  private inTenant<T>(tenantId: string, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
    if (!isUuid(tenantId)) throw notFound('Tenant');
    return withTenant(this.db, tenantId, async (trx) => {
      if (!(await tenantExists(trx, tenantId))) throw notFound('Tenant');
      return work(trx);
    });
  }
}
