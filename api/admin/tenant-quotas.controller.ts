import { Controller, Get, Inject, Param, Patch, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Kysely } from 'kysely';
import { z } from 'zod';
import { getTenantQuotas, setTenantQuotas } from '../../schema/repositories/tenant-quotas';
import type { DB } from '../../schema/types';
import { isUuid } from '../campaigns/campaigns.service';
import { AdminGuard } from '../common/auth.guard';
import { notFound } from '../common/problem';
import { ApiResult } from '../common/responses';
import { SYSTEM_DB } from '../common/tokens';
import { ValidBody } from '../common/validation';

const maxConcurrentCalls = z
  .number()
  .int()
  .min(1)
  .max(100_000)
  .nullable()
  .describe(
    'live calls across all the tenant’s campaigns; a campaign over it waits for a line (null: no limit)',
  );
const uploadsPerHour = z
  .number()
  .int()
  .min(0)
  .max(100_000)
  .nullable()
  .describe('campaign uploads (POST /v1/campaigns, /v1/campaigns/drafts) per rolling hour (null: no limit)');

export const TenantQuotasSchema = z.object({ maxConcurrentCalls, uploadsPerHour });
const QuotasChange = z.object({
  maxConcurrentCalls: maxConcurrentCalls.optional(),
  uploadsPerHour: uploadsPerHour.optional(),
});

/** The operator's limits on one tenant, enforced from Postgres by every API process and worker. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin/tenants/:tenantId/quotas')
export class TenantQuotasController {
  constructor(@Inject(SYSTEM_DB) private readonly db: Kysely<DB>) {}

  @Get()
  @ApiResult(TenantQuotasSchema)
  async get(@Param('tenantId') tenantId: string) {
    return (isUuid(tenantId) && (await getTenantQuotas(this.db, tenantId))) || throwNotFound();
  }

  /** Changes the quotas given; the others stay. */
  @Patch()
  @ApiResult(TenantQuotasSchema)
  async update(
    @Param('tenantId') tenantId: string,
    @ValidBody(QuotasChange) body: z.infer<typeof QuotasChange>,
  ) {
    return (isUuid(tenantId) && (await setTenantQuotas(this.db, tenantId, body))) || throwNotFound();
  }
}

function throwNotFound(): never {
  throw notFound('Tenant');
}
