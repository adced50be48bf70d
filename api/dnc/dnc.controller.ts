import { Controller, Delete, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { RequireRole } from '../common/roles';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { ValidBody, ValidQuery } from '../common/validation';
import { DncAddBody, DncCountryQuery, DncListQuery, DncRemoveBody, DncService } from './dnc.service';

@ApiTags('dnc')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/dnc')
export class DncController {
  constructor(@Inject(DncService) private readonly dnc: DncService) {}

  @Get()
  list(@Req() req: TenantRequest, @ValidQuery(DncListQuery) query: z.infer<typeof DncListQuery>) {
    return this.dnc.list(req.tenantId, query);
  }

  @Post()
  @HttpCode(200)
  @RequireRole('manager')
  add(@Req() req: TenantRequest, @ValidBody(DncAddBody) body: z.infer<typeof DncAddBody>) {
    return this.dnc.add(req.tenantId, body);
  }

  @Delete()
  @RequireRole('manager')
  removeMany(
    @Req() req: TenantRequest,
    @ValidBody(DncRemoveBody) { phones, defaultCountry }: z.infer<typeof DncRemoveBody>,
  ) {
    return this.dnc.remove(req.tenantId, phones, defaultCountry);
  }

  @Delete(':phone')
  @RequireRole('manager')
  removeOne(
    @Req() req: TenantRequest,
    @Param('phone') phone: string,
    @ValidQuery(DncCountryQuery) { defaultCountry }: z.infer<typeof DncCountryQuery>,
  ) {
    return this.dnc.remove(req.tenantId, [phone], defaultCountry);
  }
}
