import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError } from '@temporalio/client';
import { Kysely } from 'kysely';
import type { z } from 'zod';
import { listCampaignCalls } from '../../schema/repositories/calls.repository';
import { campaignCounts } from '../../schema/repositories/contact-results';
import { callsOverTime, contactTotals } from '../../schema/repositories/campaign-stats';
import {
  contactSourceRows,
  getCampaign,
  getCampaignSheet,
  getCampaignSourceHeaders,
  getCampaignUpload,
  listCampaigns,
  lockCampaign,
  replaceDraftContacts,
  settleUnfinishedContacts,
  transitionCampaign,
} from '../../schema/repositories/campaigns.repository';
import type { CampaignStatus } from '../../domain/vocabulary';
import type { AppConfig } from '../../infra/config/config';
import type { Executor } from '../../schema/repositories/executor';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import { CampaignIdAttr, TenantIdAttr } from '../../temporal-config/search-attributes';
import {
  cancelCampaignSignal,
  pauseCampaignSignal,
  resumeCampaignSignal,
} from '../../workflows/campaign.messages';
import type { campaignWorkflow } from '../../workflows/campaign.workflow';
import type { Writable } from 'node:stream';
import { isImportError, type ImportResult, type ParsedSheet } from '../import';
import { ProblemError, notFound } from '../common/problem';
import { decodeCursor, encodeCursor } from '../common/cursor';
import { APP_CONFIG } from '../common/tokens';
import { campaignSettings, parseCampaignConfig, type CampaignConfig } from './campaign-config';
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
import { callView, campaignView, progressOf } from './views';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

export interface UploadedFile {
  buffer: Buffer;
  originalname: string;
  size: number;
}

type Action = 'start' | 'pause' | 'resume' | 'cancel';
type CampaignView = ReturnType<typeof campaignView>;

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
    this.checkClassifier(config);
    const upload = await asProblem(() => readUpload(this.db, tenantId, file, config));
    const id = await storeDraft(this.db, tenantId, config, file.originalname, upload);
    return this.get(tenantId, id);
  }

  /**
   * The wizard's first step: a draft from the file alone. The config's defaults are filled in (the
   * name from the file name, a billing reminder) under what the request gives, the mapping is
   * proposed, and the file is kept so that another of its sheets can be chosen later.
   */
  async createDraft(tenantId: string, file: UploadedFile, partial: Record<string, unknown>, sheet?: string) {
    const config = parseCampaignConfig({
      name: campaignNameOf(file.originalname),
      callType: 'BILLING_REMINDER',
      ...partial,
      ...(sheet ? { sheet } : {}),
    });
    this.checkClassifier(config);
    const upload = await asProblem(() => readUpload(this.db, tenantId, file, config));
    const id = await storeDraft(this.db, tenantId, config, file.originalname, upload, file.buffer);
    return this.get(tenantId, id);
  }

  /** Re-applies a column mapping to the draft's stored upload. */
  remap(tenantId: string, campaignId: string, { columnMapping }: z.infer<typeof RemapBody>) {
    return this.rebuildDraft(tenantId, campaignId, (config) => ({ ...config, columnMapping }));
  }

  /** Reads another sheet of the draft's file; its columns differ, so the mapping is proposed again. */
  chooseSheet(tenantId: string, campaignId: string, sheet: string) {
    return this.rebuildDraft(tenantId, campaignId, (config) => {
      const { columnMapping: _dropped, ...rest } = config;
      return { ...rest, sheet };
    });
  }

  /** Replaces the whole config of a draft; the contacts follow it (call type, country, mapping, sheet). */
  updateConfig(tenantId: string, campaignId: string, config: CampaignConfig) {
    this.checkClassifier(config);
    return this.rebuildDraft(tenantId, campaignId, () => config);
  }

  /**
   * Rebuilds a draft's contacts, report, mapping and config from its stored upload under a new
   * config, in one transaction; a changed sheet or encoding reads the kept file again. Only a
   * draft: nothing has been dialled yet.
   */
  private async rebuildDraft(
    tenantId: string,
    campaignId: string,
    change: (config: CampaignConfig) => CampaignConfig,
  ) {
    const row = await this.find(tenantId, campaignId);
    if (row.status !== 'draft') throw draftOnly(row.status);
    await withTenant(this.db, tenantId, async (trx) => {
      // The lock orders this against a concurrent start or re-map: whichever commits first wins. The
      // upload is read under it, since it lives partly in the contacts that a rebuild replaces.
      const locked = await lockCampaign(trx, tenantId, campaignId);
      if (!locked) throw notFound('Campaign');
      if (locked.status !== 'draft') throw draftOnly(locked.status);
      const before = locked.config as CampaignConfig;
      const config = change(before);
      let sheet: ParsedSheet;
      let imported: ImportResult;
      if (config.sheet !== before.sheet || config.encoding !== before.encoding) {
        const file = await getCampaignUpload(trx, campaignId);
        if (!file) throw sourceMissing('its file was not kept, so another sheet or encoding cannot be read');
        ({ sheet, imported } = await asProblem(() =>
          readUpload(this.db, tenantId, { buffer: file.bytes, originalname: file.file_name }, config),
        ));
      } else {
        const stored = (await getCampaignSheet(trx, campaignId)) as StoredSheet | undefined;
        if (!stored) throw sourceMissing('there is no stored upload to re-map');
        sheet = restoreSheet(stored, await contactSourceRows(trx, campaignId));
        imported = await asProblem(() => mapSheet(this.db, tenantId, sheet, config));
      }
      const contacts = contactRows(sheet, imported);
      await replaceDraftContacts(trx, {
        campaignId,
        tenantId,
        name: config.name,
        config,
        mapping: imported.mapping,
        report: { ...imported.report, sample: imported.sample },
        sheet: sheetToStore(sheet, contacts),
        contacts,
      });
    });
    return this.get(tenantId, campaignId);
  }

  private checkClassifier(config: CampaignConfig): void {
    if (config.classifier === 'LLM_LABEL_ONLY' && !this.config.LABEL_MODEL_BASE_URL) {
      throw new ProblemError(
        HttpStatus.UNPROCESSABLE_ENTITY,
        'LABEL_MODEL_NOT_CONFIGURED',
        'LLM_LABEL_ONLY needs a label model (LABEL_MODEL_BASE_URL) on this server; use KEYWORD_ONLY.',
      );
    }
  }

  /** Streams one row per contact; headers are set only once the campaign is known to be the tenant's. */
  async exportResults(
    tenantId: string,
    campaignId: string,
    { format }: z.infer<typeof ResultsQuery>,
    response: Writable & { setHeader(name: string, value: string): unknown },
  ): Promise<void> {
    const { row, headers } = await withTenant(this.db, tenantId, async (trx) => ({
      row: await findCampaign(trx, tenantId, campaignId),
      headers: await getCampaignSourceHeaders(trx, campaignId),
    }));
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
    await writeResults(this.db, tenantId, campaignId, headers, format, response);
  }

  /**
   * Newest first, each with its progress: counted exactly for a campaign whose calls are under way,
   * and from its size alone for one that has not started (none finished) or has ended (all finished).
   */
  async list(tenantId: string) {
    const { rows, totals } = await withTenant(this.db, tenantId, async (trx) => {
      const rows = await listCampaigns(trx, tenantId, 100);
      return { rows, totals: await contactTotals(trx, rows.map((row) => row.id)) };
    });
    // Each running campaign counted in a transaction of its own, so that they run side by side.
    const items = await Promise.all(
      rows.map(async (row) => {
        const total = totals.get(row.id) ?? 0;
        const progress = ['draft', 'scheduled'].includes(row.status)
          ? { total, finished: 0 }
          : ['completed', 'cancelled'].includes(row.status)
            ? { total, finished: total }
            : progressOf(await withTenant(this.db, tenantId, (trx) => campaignCounts(trx, row.id)));
        return campaignView(this.config, row, { progress });
      }),
    );
    return { items };
  }

  async get(tenantId: string, campaignId: string) {
    const { row, counts } = await withTenant(this.db, tenantId, async (trx) => {
      const row = await findCampaign(trx, tenantId, campaignId);
      return { row, counts: await campaignCounts(trx, campaignId) };
    });
    return campaignView(this.config, row, { counts, progress: progressOf(counts) });
  }

  /** The campaign page's counters and charts (also what its event stream sends). */
  async stats(tenantId: string, campaignId: string) {
    const row = await this.find(tenantId, campaignId);
    // Side by side, as the campaign page waits on both.
    const [counts, overTime] = await Promise.all([
      withTenant(this.db, tenantId, (trx) => campaignCounts(trx, campaignId)),
      withTenant(this.db, tenantId, (trx) => callsOverTime(trx, campaignId)),
    ]);
    return { status: row.status as CampaignStatus, counts, progress: progressOf(counts), callsOverTime: overTime };
  }

  /** `startAt` (start only): a later time schedules the start; the campaign is `scheduled` until then. */
  async act(
    tenantId: string,
    campaignId: string,
    action: Action,
    options: { startAt?: Date } = {},
  ): Promise<CampaignView> {
    const row = await this.find(tenantId, campaignId);
    if (action === 'cancel' && row.status === 'scheduled') return this.cancelScheduled(tenantId, row.id);
    const delayMs = action === 'start' && options.startAt ? options.startAt.getTime() - Date.now() : 0;
    const startAt = delayMs > 0 ? options.startAt : undefined;
    const { from } = TRANSITIONS[action];
    const to = startAt ? 'scheduled' : TRANSITIONS[action].to;
    const moved = await withTenant(this.db, tenantId, (trx) =>
      transitionCampaign(trx, campaignId, from, to, startAt),
    );
    if (!moved) {
      throw new ProblemError(
        HttpStatus.CONFLICT,
        action === 'start' ? 'CAMPAIGN_NOT_STARTABLE' : 'CAMPAIGN_STATE_CONFLICT',
        `Cannot ${action} a campaign that is ${row.status}.`,
        { campaignStatus: row.status },
      );
    }
    const workflowId = campaignWorkflowId(campaignId);
    try {
      if (action === 'start') {
        await this.startWorkflow(tenantId, campaignId, row.config as CampaignConfig, delayMs);
      } else {
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
        await withTenant(this.db, tenantId, (trx) =>
          transitionCampaign(trx, campaignId, [to], row.status as CampaignStatus),
        );
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

  /**
   * A scheduled campaign's workflow has run no code yet (Temporal ignores plain signals during a
   * start delay), so cancelling it ends the workflow and settles every contact as cancelled here.
   */
  private async cancelScheduled(tenantId: string, campaignId: string): Promise<CampaignView> {
    // Started meanwhile: cancelled as a running campaign is.
    const cancelled = await withTenant(this.db, tenantId, (trx) =>
      transitionCampaign(trx, campaignId, ['scheduled'], 'cancelled'),
    );
    if (!cancelled) {
      return this.act(tenantId, campaignId, 'cancel');
    }
    try {
      await this.temporal.workflow
        .getHandle(campaignWorkflowId(campaignId))
        .terminate('cancelled before its scheduled start');
    } catch (error) {
      if (!(error instanceof WorkflowNotFoundError)) throw error;
    }
    await withTenant(this.db, tenantId, (trx) =>
      settleUnfinishedContacts(trx, {
        campaignId,
        awaitingRetry: [],
        status: 'cancelled',
        outcome: 'cancelled',
      }),
    );
    return this.get(tenantId, campaignId);
  }

  async calls(tenantId: string, campaignId: string, query: z.infer<typeof CallsQuery>) {
    const { limit } = query;
    const after = query.cursor ? decodeCursor(query.cursor) : undefined;
    const rows = await withTenant(this.db, tenantId, async (trx) => {
      await findCampaign(trx, tenantId, campaignId);
      return listCampaignCalls(trx, tenantId, campaignId, {
        limit,
        ...(query.status ? { status: query.status } : {}),
        ...(query.outcome ? { outcome: query.outcome } : {}),
        ...(query.label ? { label: query.label } : {}),
        ...(after ? { after } : {}),
      });
    });
    const last = rows[rows.length - 1];
    return {
      items: rows.map((row) => callView(this.config, row)),
      nextCursor: rows.length === limit && last ? encodeCursor(last.created_at, last.id) : null,
    };
  }

  /** The tenant's campaign, or 404. */
  find(tenantId: string, campaignId: string) {
    return withTenant(this.db, tenantId, (trx) => findCampaign(trx, tenantId, campaignId));
  }

  private async startWorkflow(tenantId: string, campaignId: string, config: CampaignConfig, delayMs = 0) {
    const settings = campaignSettings(config);
    await this.temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
      workflowId: campaignWorkflowId(campaignId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [{ campaignId, tenantId, settings }],
      ...(delayMs > 0 ? { startDelay: delayMs } : {}),
      staticSummary: `Campaign ${config.name} (${config.callType})`,
      typedSearchAttributes: [
        { key: TenantIdAttr, value: tenantId },
        { key: CampaignIdAttr, value: campaignId },
      ],
    });
  }
}

/** The tenant's campaign, or 404. */
export async function findCampaign(db: Executor, tenantId: string, campaignId: string) {
  // A foreign or malformed id is simply not found: tenants never learn of each other.
  const row = isUuid(campaignId) ? await getCampaign(db, tenantId, campaignId) : undefined;
  if (!row) throw notFound('Campaign');
  return row;
}

function sourceMissing(why: string) {
  return new ProblemError(
    HttpStatus.CONFLICT,
    'CAMPAIGN_SOURCE_MISSING',
    `This draft cannot be rebuilt: ${why}.`,
  );
}

/** "Müşteriler Aralık.xlsx" → "Müşteriler Aralık". */
function campaignNameOf(fileName: string): string {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]+$/, '')
    .trim();
  return (base || 'Campaign').slice(0, 200);
}

export function draftOnly(status: string) {
  return new ProblemError(
    HttpStatus.CONFLICT,
    'CAMPAIGN_NOT_DRAFT',
    `Only a draft can be changed; this campaign is ${status}.`,
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

