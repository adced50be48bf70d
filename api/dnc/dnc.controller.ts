import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Req,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiTags } from '@nestjs/swagger';
import type { z } from 'zod';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ApiResult } from '../common/responses';
import { RequireRole } from '../common/roles';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { parseBody, toOpenApi, ValidBody, ValidQuery } from '../common/validation';
import { contactFileUpload, fileRequired } from '../campaigns/campaigns.controller';
import type { UploadedFile as ListFile } from '../campaigns/campaigns.service';
import { DncAddedSchema, DncPageSchema, DncRemovedSchema, DncUploadedSchema } from './dnc.schemas';
import {
  DncAddBody,
  DncCountryQuery,
  DncListQuery,
  DncRemoveBody,
  DncService,
  DncUploadBody,
} from './dnc.service';

/** Who added a number, as the list shows it: a console user by email, a machine as `api`. */
const sourceOf = (req: TenantRequest) => (req.user ? `user:${req.user.email}` : 'api');

@ApiTags('dnc')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/dnc')
export class DncController {
  constructor(@Inject(DncService) private readonly dnc: DncService) {}

  @Get()
  @ApiResult(DncPageSchema)
  list(@Req() req: TenantRequest, @ValidQuery(DncListQuery) query: z.infer<typeof DncListQuery>) {
    return this.dnc.list(req.tenantId, query);
  }

  @Post()
  @HttpCode(200)
  @RequireRole('manager')
  @ApiResult(DncAddedSchema)
  add(@Req() req: TenantRequest, @ValidBody(DncAddBody) body: z.infer<typeof DncAddBody>) {
    return this.dnc.add(req.tenantId, body, sourceOf(req));
  }

  @Post('upload')
  @HttpCode(200)
  @RequireRole('manager')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary' },
        ...(toOpenApi(DncUploadBody).properties ?? {}),
      },
    },
  })
  @ApiResult(DncUploadedSchema)
  @UseInterceptors(contactFileUpload(), fileRequired)
  upload(@Req() req: TenantRequest, @UploadedFile() file: ListFile, @Body() fields: unknown) {
    return this.dnc.upload(req.tenantId, file, parseBody(DncUploadBody, fields));
  }

  @Delete()
  @RequireRole('manager')
  @ApiResult(DncRemovedSchema)
  removeMany(
    @Req() req: TenantRequest,
    @ValidBody(DncRemoveBody) { phones, defaultCountry }: z.infer<typeof DncRemoveBody>,
  ) {
    return this.dnc.remove(req.tenantId, phones, defaultCountry);
  }

  @Delete(':phone')
  @RequireRole('manager')
  @ApiResult(DncRemovedSchema)
  removeOne(
    @Req() req: TenantRequest,
    @Param('phone') phone: string,
    @ValidQuery(DncCountryQuery) { defaultCountry }: z.infer<typeof DncCountryQuery>,
  ) {
    return this.dnc.remove(req.tenantId, [phone], defaultCountry);
  }
}
