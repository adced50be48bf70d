import { Inject, Injectable } from '@nestjs/common';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { createApiKey, listApiKeys, revokeApiKey, tenantExists } from '../../schema/repositories/tenants.repository';
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
    await this.tenant(tenantId);
    const rows = await listApiKeys(this.db, tenantId);
    return {
      items: rows.map((row) => ({
        id: row.id,
        prefix: row.prefix,
        createdAt: row.created_at.toISOString(),
        revokedAt: row.revoked_at?.toISOString() ?? null,
      })),
    };
  }

  async create(tenantId: string): Promise<z.infer<typeof NewApiKeySchema>> {
    await this.tenant(tenantId);
    return createApiKey(this.db, tenantId);
  }

  async revoke(tenantId: string, keyId: string): Promise<void> {
    await this.tenant(tenantId);
    if (!isUuid(keyId) || !(await revokeApiKey(this.db, tenantId, keyId))) throw notFound('API key');
  }

  /** A new key and the old one revoked, together: a rotation never leaves the tenant with neither. */
  async rotate(tenantId: string, keyId: string): Promise<z.infer<typeof NewApiKeySchema>> {
    await this.tenant(tenantId);
    if (!isUuid(keyId)) throw notFound('API key');
    return this.db.transaction().execute(async (trx) => {
      if (!(await revokeApiKey(trx, tenantId, keyId))) throw notFound('API key');
      return createApiKey(trx, tenantId);
    });
  }


  private async tenant(tenantId: string): Promise<void> {
    if (!isUuid(tenantId) || !(await tenantExists(this.db, tenantId))) throw notFound('Tenant');
  }
}
