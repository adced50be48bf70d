import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Query,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiProduces, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CALL_OUTCOMES, CALL_STATUSES, LABELS } from '../../domain/vocabulary';
import { DEFAULT_IMPORT_LIMITS } from '../import';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { CampaignsService, type UploadedFile as ContactFile } from './campaigns.service';

@ApiTags('campaigns')
@ApiBearerAuth()
@UseGuards(TenantGuard)
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(@Inject(CampaignsService) private readonly campaigns: CampaignsService) {}

  @Post()
  @HttpCode(201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'config'],
      properties: {
        file: { type: 'string', format: 'binary', description: '.xlsx or .csv contact list' },
        config: { type: 'string', description: 'Campaign config as JSON (DESIGN.md "Campaign config")' },
      },
    },
  })
  @UseInterceptors(
    FileInterceptor('file', { limits: { fileSize: DEFAULT_IMPORT_LIMITS.maxBytes, files: 1 } }),
  )
  create(
    @Req() req: TenantRequest,
    @UploadedFile() file: ContactFile | undefined,
    @Body('config') config: unknown,
  ) {
    return this.campaigns.create(req.tenantId, file, config);
  }

  @Get()
  list(@Req() req: TenantRequest) {
    return this.campaigns.list(req.tenantId);
  }

  @Get(':id')
  get(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.get(req.tenantId, id);
  }

  @Put(':id/mapping')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['columnMapping'],
      properties: {
        columnMapping: {
          type: 'object',
          required: ['phone'],
          properties: {
            phone: { type: 'string' },
            name: { type: 'string', nullable: true },
            variables: { type: 'object', additionalProperties: { type: 'string' } },
          },
        },
      },
    },
  })
  remap(@Req() req: TenantRequest, @Param('id') id: string, @Body() body: unknown) {
    return this.campaigns.remap(req.tenantId, id, body);
  }

  @Get(':id/results')
  @ApiQuery({ name: 'format', required: false, enum: ['csv', 'xlsx'] })
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  results(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @Query('format') format: string | undefined,
    @Res() res: Response,
  ) {
    return this.campaigns.exportResults(req.tenantId, id, format, res);
  }

  @Post(':id/start')
  @HttpCode(200)
  start(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'start');
  }

  @Post(':id/pause')
  @HttpCode(200)
  pause(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'cancel');
  }

  @Get(':id/calls')
  @ApiQuery({ name: 'status', required: false, enum: CALL_STATUSES })
  @ApiQuery({ name: 'outcome', required: false, enum: CALL_OUTCOMES })
  @ApiQuery({ name: 'label', required: false, enum: LABELS })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'limit', required: false })
  calls(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @Query() query: { status?: string; outcome?: string; label?: string; cursor?: string; limit?: string },
  ) {
    return this.campaigns.calls(req.tenantId, id, query);
  }
}
