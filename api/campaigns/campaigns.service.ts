import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import type { z } from 'zod';
import { listCampaignCalls } from '../../schema/repositories/calls.repository';
import { campaignCounts } from '../../schema/repositories/contact-results';
import {
  contactSourceRows,
  getCampaign,
  getCampaignSheet,
  getCampaignSourceHeaders,
  listCampaigns,
  lockCampaign,
  replaceDraftContacts,
  transitionCampaign,
} from '../../schema/repositories/campaigns.repository';
import type { CampaignStatus } from '../../domain/vocabulary';
import type { AppConfig } from '../../infra/config/config';
import type { DB } from '../../schema/types';
import { CampaignIdAttr, TenantIdAttr } from '../../temporal-config/search-attributes';
import type { CampaignSettings } from '../../workflows/campaign.messages';
import {
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
} from '../../workflows/campaign.messages';
import type { campaignWorkflow } from '../../workflows/campaign.workflow';
import type { Writable } from 'node:stream';
import { isImportError } from '../import';
import { ProblemError, notFound } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import type { CampaignConfig } from './campaign-config';
import {
  contactRows,
  mapSheet,
  readUpload,
  restoreSheet,
  sheetToStore,
  storeDraft,
  type StoredSheet,
} from './campaign-import';
import type { CallsQuery, RemapBody, ResultsQuery } from './requests';
import { writeResults } from './results-export';
import { callView, campaignView } from './views';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

type Action = 'start' | 'pause' | 'resume' | 'cancel';

const TRANSITIONS: Record<Action, { from: CampaignStatus[]; to: CampaignStatus }> = {
  start: { from: ['draft'], to: 'running' },
  pause: { from: ['running'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['running', 'paused'], to: 'cancelling' },
};

@Injectable()
export class CampaignsService {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(tenantId: string, file: UploadedFile, config: CampaignConfig) {
    if (config.classifier === 'LLM_LABEL_ONLY' && !this.config.LABEL_MODEL_BASE_URL) {
      throw new ProblemError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'LABEL_MODEL_NOT_CONFIGURED',
        'LLM_LABEL_ONLY needs a label model (LABEL_MODEL_BASE_URL) on this server; use KEYWORD_ONLY.',
      );
    }
    const upload = await asProblem(() => readUpload(this.db, tenantId, file, config));
    const id = await storeDraft(this.db, tenantId, config, file.originalname, upload);
    return this.get(tenantId, id);
  }

  /**
   * Re-applies a column mapping to the draft's stored upload: contacts, report and mapping are
   * replaced in one transaction. Only a draft can be re-mapped; nothing has been dialled yet.
   */
  async remap(tenantId: string, campaignId: string, { columnMapping }: z.infer<typeof RemapBody>) {
    const row = await this.find(tenantId, campaignId);
    if (row.status !== 'draft') throw draftOnly(row.status);
    await this.db.transaction().execute(async (trx) => {
      // The lock orders this against a concurrent start or re-map: whichever commits first wins. The
      // upload is read under it, since it lives partly in the contacts that a re-map replaces.
      const locked = await lockCampaign(trx, tenantId, campaignId);
      if (!locked) throw notFound('Campaign');
      if (locked.status !== 'draft') throw draftOnly(locked.status);
      const stored = (await getCampaignSheet(trx, campaignId)) as StoredSheet | undefined;
      if (!stored) {
        throw new ProblemError(
          HttpStatus.CONFLICT,
          'CAMPAIGN_SOURCE_MISSING',
          'This campaign has no stored upload to re-map.',
        );
      }
      const sheet = restoreSheet(stored, await contactSourceRows(trx, campaignId));
      const config: CampaignConfig = { ...(locked.config as CampaignConfig), columnMapping };
      const imported = await asProblem(() => mapSheet(this.db, tenantId, sheet, config));
      const contacts = contactRows(sheet, imported);
      await replaceDraftContacts(trx, {
        campaignId,
        tenantId,
        config,
        mapping: imported.mapping,
        report: { ...imported.report, sample: imported.sample },
        sheet: sheetToStore(sheet, contacts),
        contacts,
      });
    });
    return this.get(tenantId, campaignId);
  }

  /** Streams one row per contact; headers are set only once the campaign is known to be the tenant's. */
  async exportResults(
    tenantId: string,
    campaignId: string,
    { format }: z.infer<typeof ResultsQuery>,
    response: Writable & { setHeader(name: string, value: string): unknown },
  ): Promise<void> {
    const row = await this.find(tenantId, campaignId);
    const headers = await getCampaignSourceHeaders(this.db, campaignId);
    response.setHeader(
      'content-type',
      format === 'csv'
        ? 'text/csv; charset=utf-8'
        : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    response.setHeader(
      'content-disposition',
      contentDisposition(`${row.name}-results.${format}`, `campaign-${campaignId}-results.${format}`),
    );
    await writeResults(this.db, campaignId, headers, format, response);
  }

  async list(tenantId: string) {
    const rows = await listCampaigns(this.db, tenantId, 100);
    return { items: rows.map((row) => campaignView(this.config, row)) };
  }

  async get(tenantId: string, campaignId: string) {
    const row = await this.find(tenantId, campaignId);
    return campaignView(this.config, row, await campaignCounts(this.db, campaignId));
  }

  async act(tenantId: string, campaignId: string, action: Action) {
    const row = await this.find(tenantId, campaignId);
    const { from, to } = TRANSITIONS[action];
    if (!(await transitionCampaign(this.db, campaignId, from, to))) {
      throw new ProblemError(
        HttpStatus.CONFLICT,
        action === 'start' ? 'CAMPAIGN_NOT_STARTABLE' : 'CAMPAIGN_STATE_CONFLICT',
        `Cannot ${action} a campaign that is ${row.status}.`,
        { campaignStatus: row.status },
      );
    }
    const workflowId = campaignWorkflowId(campaignId);
    try {
      if (action === 'start') await this.startWorkflow(tenantId, campaignId, row.config as CampaignConfig);
      else {
        const handle = this.temporal.workflow.getHandle(workflowId);
        const signal = {
          pause: pauseCampaignSignal,
          resume: resumeCampaignSignal,
          cancel: cancelCampaignSignal,
        }[action];
        await handle.signal(signal);
      }
    } catch (error) {
      // Nothing happened in Temporal: put the campaign back where it was.
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        await transitionCampaign(this.db, campaignId, [to], row.status as CampaignStatus);
        if (error instanceof WorkflowNotFoundError) {
          throw new ProblemError(
            HttpStatus.CONFLICT,
            'CAMPAIGN_STATE_CONFLICT',
            'The campaign is no longer running.',
          );
        }
        throw error;
      }
    }
    return this.get(tenantId, campaignId);
  }

  async calls(tenantId: string, campaignId: string, query: z.infer<typeof CallsQuery>) {
    await this.find(tenantId, campaignId);
    const { limit } = query;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await listCampaignCalls(this.db, tenantId, campaignId, {
      limit,
      ...(query.status ? { status: query.status } : {}),
      ...(query.outcome ? { outcome: query.outcome } : {}),
      ...(query.label ? { label: query.label } : {}),
      ...(after ? { after } : {}),
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => callView(this.config, row)),
      nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  private async find(tenantId: string, campaignId: string) {
    // A foreign or malformed id is simply not found: tenants never learn of each other.
    const row = isUuid(campaignId) ? await getCampaign(this.db, tenantId, campaignId) : undefined;
    if (!row) throw notFound('Campaign');
    return row;
  }

  private async startWorkflow(tenantId: string, campaignId: string, config: CampaignConfig) {
    const settings: CampaignSettings = {
      callType: config.callType,
      provider: config.provider,
      language: config.language,
      timezone: config.timezone,
      callingWindow: config.callingWindow,
      maxConcurrentCalls: config.maxConcurrentCalls,
      callsPerSecond: config.callsPerSecond,
      retry: config.retry,
      amd: config.amd,
      ...(config.transferNumber ? { transferNumber: config.transferNumber } : {}),
      ...(config.classifier === 'LLM_LABEL_ONLY' ? { classifier: config.classifier } : {}),
      ...(config.timing ? { callTiming: config.timing } : {}),
      ...(config.followupDefaultMinutes ? { followupDefaultMinutes: config.followupDefaultMinutes } : {}),
    };
    await this.temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      workflowId: campaignWorkflowId(campaignId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignId, tenantId, settings }],
      staticSummary: `Campaign ${config.name} (${config.callType})`,
      typedSearchAttributes: [
        { key: TenantIdAttr, value: tenantId },
        { key: CampaignIdAttr, value: campaignId },
      ],
    });
  }
}

function draftOnly(status: string) {
  return new ProblemError(
    HttpStatus.CONFLICT,
    'CAMPAIGN_NOT_DRAFT',
    `Only a draft can be re-mapped; this campaign is ${status}.`,
    {
      campaignStatus: status,
    },
  );
}

async function asProblem<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isImportError(error)) throw new ProblemError(error.status, error.code, error.message);
    throw error;
  }
}

/** RFC 6266: an ASCII fallback plus the UTF-8 name (campaign names are often Turkish). */
function contentDisposition(name: string, fallback: string): string {
  const safe = name.replace(/[\\/:*?"<>|\r\n]+/g, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeURIComponent(safe).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

function encodeCursor(createdAt: Date, id: string): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [string, string];
    if (typeof createdAt === 'string' && typeof id === 'string' && isUuid(id)) return { createdAt, id };
  } catch {
    // fall through
  }
  throw new ProblemError(HttpStatus.BAD_REQUEST, 'VALIDATION_FAILED', 'Invalid cursor.');
}
