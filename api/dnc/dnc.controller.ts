import { Body, Controller, Delete, Get, HttpCode, Inject, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiQuery, ApiTags } from '@nestjs/swagger';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { parseBody } from '../common/validation';
import { DncRemoveBody, DncService } from './dnc.service';

@ApiTags('dnc')
@ApiBearerAuth()
@UseGuards(TenantGuard)
@Controller('v1/dnc')
export class DncController {
  constructor(@Inject(DncService) private readonly dnc: DncService) {}

  @Get()
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  list(@Req() req: TenantRequest, @Query() query: { cursor?: string; limit?: string }) {
    return this.dnc.list(req.tenantId, query);
  }

  @Post()
  @HttpCode(200)
  @ApiBody({
    schema: {
      type: 'object',
      properties: {
        phone: { type: 'string' },
        phones: { type: 'array', items: { type: 'string' } },
        reason: { type: 'string' },
        defaultCountry: { type: 'string', example: 'TR' },
      },
    },
  })
  add(@Req() req: TenantRequest, @Body() body: unknown) {
    return this.dnc.add(req.tenantId, body);
  }

  @Delete()
  @ApiBody({ schema: { type: 'object', properties: { phones: { type: 'array', items: { type: 'string' } } } } })
  removeMany(@Req() req: TenantRequest, @Body() body: unknown) {
    const { phones, defaultCountry } = parseBody(DncRemoveBody, body);
    return this.dnc.remove(req.tenantId, phones, defaultCountry);
  }

  @Delete(':phone')
  removeOne(@Req() req: TenantRequest, @Param('phone') phone: string, @Query('defaultCountry') country?: string) {
    return this.dnc.remove(req.tenantId, [phone], country ?? 'TR');
  }
}
