import {
  Body,
  Controller,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Put,
  Req,
  Res,
  UploadedFile,
  UseGuards,
  UseInterceptors,
} from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiCookieAuth, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE } from '../auth/session-cookie';
import { TenantGuard, type TenantRequest } from '../common/auth.guard';
import { ProblemError } from '../common/problem';
import { ApiResult } from '../common/responses';
import { CampaignSchema } from './campaign.schemas';
import { ColumnsSchema, OpeningLinesSchema, TestCallSchema } from './wizard.schemas';
import { RequireRole } from '../common/roles';
import { toOpenApi, ValidBody, ValidQuery } from '../common/validation';
import { CampaignConfigSchema, parseCampaignConfig, type CampaignConfig } from './campaign-config';
import { contactFileUpload, fileRequired } from './campaigns.controller';
import { CampaignsService, type UploadedFile as ContactFile } from './campaigns.service';
import { WizardService } from './wizard.service';

const SheetBody = z.object({ sheet: z.string().min(1).max(200) });
const RejectedQuery = z.object({ format: z.enum(['csv']).default('csv') });
const OpeningLinesQuery = z.object({ limit: z.coerce.number().int().min(1).max(50).default(5) });
const TestCallBody = z.object({
  toNumber: z.string().trim().min(3).max(40).describe('the number to call, e.g. the manager’s own phone'),
  contactId: z.string().optional().describe('the contact whose row fills the script (default the first)'),
});

/** A partial config as JSON text: what the wizard already knows; the rest is defaulted. */
function parsePartialConfig(raw: unknown): Record<string, unknown> {
  if (raw === undefined || raw === '') return {};
  let value: unknown = raw;
  try {
    if (typeof raw === 'string') value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ProblemError(400, 'INVALID_CAMPAIGN_CONFIG', 'The `config` field is not a JSON object.');
  }
  return value as Record<string, unknown>;
}

/**
 * The new-campaign wizard: a draft from the file alone, its sheets and columns, the rows it
 * refused, the opening lines, a test call; the draft's config changes until it is started.
 */
@ApiTags('campaign wizard')
@ApiBearerAuth()
@ApiCookieAuth(SESSION_COOKIE)
@UseGuards(TenantGuard)
@Controller('v1/campaigns')
export class WizardController {
  constructor(
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
    @Inject(WizardService) private readonly wizard: WizardService,
  ) {}

  @Post('drafts')
  @HttpCode(201)
  @ApiResult(CampaignSchema, 201)
  @RequireRole('manager')
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['file'],
      properties: {
        file: { type: 'string', format: 'binary', description: '.xlsx or .csv contact list' },
        sheet: { type: 'string', description: 'the worksheet of an .xlsx (default the first)' },
        config: {
          ...toOpenApi(CampaignConfigSchema.partial()),
          description: 'any part of the campaign config; the rest is defaulted (name from the file name)',
        },
      },
    },
  })
  @UseInterceptors(
    contactFileUpload(),
    fileRequired,
  )
  createDraft(
    @Req() req: TenantRequest,
    @UploadedFile() file: ContactFile,
    @Body('config', { transform: parsePartialConfig }) config: Record<string, unknown>,
    @Body('sheet') sheet: unknown,
  ) {
    return this.campaigns.createDraft(
      req.tenantId,
      file,
      config,
      typeof sheet === 'string' && sheet !== '' ? sheet : undefined,
    );
  }

  @Get(':id/columns')
  @ApiResult(ColumnsSchema)
  columns(@Req() req: TenantRequest, @Param('id') id: string) {
    return this.wizard.columns(req.tenantId, id);
  }

  @Put(':id/sheet')
  @RequireRole('manager')
  @ApiResult(CampaignSchema)
  chooseSheet(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidBody(SheetBody) body: z.infer<typeof SheetBody>,
  ) {
    return this.campaigns.chooseSheet(req.tenantId, id, body.sheet);
  }

  @Put(':id/config')
  @RequireRole('manager')
  @ApiResult(CampaignSchema)
  @ApiBody({ schema: toOpenApi(CampaignConfigSchema) })
  updateConfig(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @Body({ transform: parseCampaignConfig }) config: CampaignConfig,
  ) {
    return this.campaigns.updateConfig(req.tenantId, id, config);
  }

  /** The rows that did not become contacts, as uploaded, with their error codes. */
  @Get(':id/report/rejected')
  @ApiProduces('text/csv')
  async rejected(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidQuery(RejectedQuery) _query: z.infer<typeof RejectedQuery>,
    @Res() res: Response,
  ) {
    const { fileName, csv } = await this.wizard.rejectedCsv(req.tenantId, id);
    res
      .status(200)
      .type('text/csv; charset=utf-8')
      .setHeader('content-disposition', `attachment; filename="${fileName}"`)
      // A BOM, so that Excel reads the Turkish letters as UTF-8.
      .send(`\uFEFF${csv}`);
  }

  @Get(':id/opening-lines')
  @ApiResult(OpeningLinesSchema)
  openingLines(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidQuery(OpeningLinesQuery) { limit }: z.infer<typeof OpeningLinesQuery>,
  ) {
    return this.wizard.openingLines(req.tenantId, id, limit);
  }

  @Post(':id/test-call')
  @HttpCode(202)
  @RequireRole('manager')
  @ApiResult(TestCallSchema, 202)
  testCall(
    @Req() req: TenantRequest,
    @Param('id') id: string,
    @ValidBody(TestCallBody) body: z.infer<typeof TestCallBody>,
  ) {
    return this.wizard.testCall(req.tenantId, id, body);
  }
}
