import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiCookieAuth, ApiBody, ApiConsumes, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import type { z } from 'zod';
import { DEFAULT_IMPORT_LIMITS } from '../import';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { RequireRole } from '../common/roles';
import { ApiResult } from '../common/responses';
import { CallPageSchema } from '../calls/call.schemas';
import { CampaignListSchema, CampaignSchema, CampaignStatsSchema } from './campaign.schemas';
import { CampaignEvents, sendEvents } from './campaign-events';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { ProblemError } from '../common/problem';
import { toOpenApi, ValidBody, ValidQuery } from '../common/validation';
import { CampaignConfigSchema, parseCampaignConfig, type CampaignConfig } from './campaign-config';
import { CampaignsService, type UploadedFile as ContactFile } from './campaigns.service';
import { CallsQuery, RemapBody, ResultsQuery, StartBody } from './requests';

/** The contact list, one file up to the import's size limit; "Müşteriler.xlsx" keeps its letters. */
export const contactFileUpload = () =>
  FileInterceptor('file', {
    limits: { fileSize: DEFAULT_IMPORT_LIMITS.maxBytes, files: 1 },
    defParamCharset: 'utf8',
  });

/** After the upload and before the pipes: a request with neither file nor valid config hears of the file. */
export const fileRequired: NestInterceptor = {
  intercept(context, next) {
    if (!context.switchToHttp().getRequest<{ file?: ContactFile }>().file) {
      throw new ProblemError(HttpStatus.BAD_REQUEST, 'FILE_REQUIRED', 'Upload the contact list as `file`.');
    }
    return next.handle();
  },
};

@ApiTags('campaigns')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/campaigns')
export class CampaignsController {
  constructor(
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
    @Inject(CampaignEvents) private readonly events: CampaignEvents,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiResult(CampaignSchema, 201)
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file', 'config'],
      properties: {
        file: { type: 'string', format: 'binary', description: '.xlsx or .csv contact list' },
        // A multipart field whose schema is an object is JSON text (OpenAPI 3.0 "Encoding Object").
        config: {
          ...toOpenApi(CampaignConfigSchema),
          description: 'the campaign config (docs/campaign-config.md)',
        },
      },
    },
  })
  @UseInterceptors(
    contactFileUpload(),
    fileRequired,
  )
  @RequireRole('manager')
  create(
    @Req() req: TenantRequest,
    @UploadedFile() file: ContactFile,
    @Body('config', { transform: parseCampaignConfig }) config: CampaignConfig,
  ) {
    return this.campaigns.create(req.tenantId, file, config);
  }

  @Get()
  @ApiResult(CampaignListSchema)
  list(@Req() req: TenantRequest) {
    return this.campaigns.list(req.tenantId);
  }

  @Get(':id')
  @ApiResult(CampaignSchema)
  get(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.get(req.tenantId, id);
  }

  @Put(':id/mapping')
  @ApiResult(CampaignSchema)
  @RequireRole('manager')
  remap(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidBody(RemapBody) body: z.infer<typeof RemapBody>,
  ) {
    return this.campaigns.remap(req.tenantId, id, body);
  }

  @Get(':id/results')
  @ApiProduces('text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
  results(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidQuery(ResultsQuery) query: z.infer<typeof ResultsQuery>,
    @Res() res: Response,
  ) {
    return this.campaigns.exportResults(req.tenantId, id, query, res);
  }

  @Post(':id/start')
  @HttpCode(200)
  @ApiResult(CampaignSchema)
  @RequireRole('manager')
  start(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidBody(StartBody) body: z.infer<typeof StartBody>,
  ) {
    return this.campaigns.act(
      req.tenantId,
      id,
      'start',
      body.startAt ? { startAt: new Date(body.startAt) } : {},
    );
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiResult(CampaignSchema)
  @RequireRole('manager')
  pause(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'pause');
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiResult(CampaignSchema)
  @RequireRole('manager')
  resume(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'resume');
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @ApiResult(CampaignSchema)
  @RequireRole('manager')
  cancel(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.act(req.tenantId, id, 'cancel');
  }

  @Get(':id/calls')
  @ApiResult(CallPageSchema)
  calls(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidQuery(CallsQuery) query: z.infer<typeof CallsQuery>,
  ) {
    return this.campaigns.calls(req.tenantId, id, query);
  }

  /** Counters by status, outcome and label, the progress, and calls over time for the charts. */
  @Get(':id/stats')
  @ApiResult(CampaignStatsSchema)
  stats(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.campaigns.stats(req.tenantId, id);
  }

  /**
   * Server-sent events for the campaign page: a `progress` event (the body of GET :id/stats) when
   * the stream opens and whenever it changes, until the campaign has ended.
   */
  @Get(':id/events')
  @ApiProduces('text/event-stream')
  async stream(@Req() req: TenantRequest, @Param('id') id: string, @Res() res: Response): Promise<void> {
    // Checked before the stream opens, so an unknown campaign is a 404, not an empty stream.
    await this.campaigns.find(req.tenantId, id);
    sendEvents(req, res, this.events.progress(req.tenantId, id));
  }
}
