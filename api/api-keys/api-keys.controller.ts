import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { AdminGuard, TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { RequireRole } from '../common/roles';
import { ApiKeyListSchema, ApiKeysService, NewApiKeySchema } from './api-keys.service';

/** A tenant admin's own API keys: list, add, revoke, rotate (the key in use may be rotated too). */
@ApiTags('api keys')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@RequireRole('admin')
@Controller('v1/api-keys')
export class ApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Get()
  @ApiResult(ApiKeyListSchema)
  list(@Req() req: TenantRequest) {
    return this.keys.list(req.tenantId);
  }

  @Post()
  @HttpCode(201)
  @ApiResult(NewApiKeySchema, 201)
  create(@Req() req: TenantRequest) {
    return this.keys.create(req.tenantId);
  }

  /** A new key, and this one refused from the next request on. */
  @Post(':id/rotate')
  @HttpCode(201)
  @ApiResult(NewApiKeySchema, 201)
  rotate(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.keys.rotate(req.tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Req() req: TenantRequest, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(req.tenantId, id);
  }
}

/** The operator's hand on any tenant's keys (ADMIN_TOKEN): a leaked key is revoked without the tenant. */
@ApiTags('admin')
@ApiBearerAuth()
@UseGuards(AdminGuard)
@Controller('v1/admin/tenants/:tenantId/api-keys')
export class AdminApiKeysController {
  constructor(@Inject(ApiKeysService) private readonly keys: ApiKeysService) {}

  @Get()
  @ApiResult(ApiKeyListSchema)
  list(@Param('tenantId') tenantId: string) {
    return this.keys.list(tenantId);
  }

  @Post()
  @HttpCode(201)
  @ApiResult(NewApiKeySchema, 201)
  create(@Param('tenantId') tenantId: string) {
    return this.keys.create(tenantId);
  }

  @Post(':id/rotate')
  @HttpCode(201)
  @ApiResult(NewApiKeySchema, 201)
  rotate(@Param('tenantId') tenantId: string, @Param('id') id: string) {
    return this.keys.rotate(tenantId, id);
  }

  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('tenantId') tenantId: string, @Param('id') id: string): Promise<void> {
    await this.keys.revoke(tenantId, id);
  }
}
