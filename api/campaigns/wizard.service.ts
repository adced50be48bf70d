import { randomUUID } from 'node:crypto';
import { HttpStatus, Inject, Injectable } from '@nestjs/common';
import { Client } from '@temporalio/client';
import { Kysely } from 'kysely';
import { startCallFlow } from '../../domain/flow-runner';
import { maskPhone, normalizePhone } from '../../domain/phone';
import type { AppConfig } from '../../infra/config/config';
import {
  contactSourceRows,
  draftContacts,
  getCampaignSheet,
} from '../../schema/repositories/campaigns.repository';
import type { Executor } from '../../schema/repositories/executor';
import { withTenant } from '../../schema/tenant-scope';
import type { DB } from '../../schema/types';
import {
  CallStatusAttr,
  CampaignIdAttr,
  ProviderAttr,
  TenantIdAttr,
} from '../../temporal-config/search-attributes';
import { callInputFor } from '../../workflows/call.messages';
import type { callWorkflow } from '../../workflows/call.workflow';
import { callWorkflowId } from '../../workflows/workflow-ids';
import { ProblemError } from '../common/problem';
import { APP_CONFIG } from '../common/tokens';
import type { ImportReport, ResolvedMapping } from '../import';
import { campaignSettings, type CampaignConfig } from './campaign-config';
import { restoreSheet, type StoredSheet } from './campaign-import';
import { CampaignsService, draftOnly, findCampaign, isUuid } from './campaigns.service';
import { rejectedRowsCsv } from './rejected-rows';
import { columnWarnings, sheetColumns } from './sheet-columns';

/** A test call rings now, whatever the campaign's calling window: the manager is waiting for it. */
const ANY_TIME = { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };

/** The wizard's reads of a draft, and its test call. */
@Injectable()
export class WizardService {
  constructor(
    @Inject(Kysely) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CampaignsService) private readonly campaigns: CampaignsService,
  ) {}

  /** The upload's sheets and columns (samples, kind, use in the mapping) and the mapping's warnings. */
  async columns(tenantId: string, campaignId: string) {
    const { row, sheet } = await withTenant(this.db, tenantId, async (trx) => ({
      row: await findCampaign(trx, tenantId, campaignId),
      ...(await upload(trx, campaignId)),
    }));
    const mapping = row.mapping as ResolvedMapping;
    const config = row.config as CampaignConfig;
    const columns = sheetColumns(sheet, mapping, config.defaultCountry);
    return {
      sheets: sheet.sheetNames ?? (sheet.sheetName ? [sheet.sheetName] : []),
      sheet: sheet.sheetName,
      columns,
      warnings: columnWarnings(mapping.warnings ?? [], columns),
    };
  }

  async rejectedCsv(tenantId: string, campaignId: string): Promise<{ fileName: string; csv: string }> {
    const { row, sheet, contacts } = await withTenant(this.db, tenantId, async (trx) => ({
      row: await findCampaign(trx, tenantId, campaignId),
      ...(await upload(trx, campaignId)),
    }));
    const csv = rejectedRowsCsv(
      sheet,
      new Set(contacts.map((c) => c.row_number)),
      row.report as ImportReport,
    );
    return { fileName: `campaign-${campaignId}-rejected.csv`, csv };
  }

  /** The first contacts' opening lines, rendered by the function the call workflow starts with. */
  async openingLines(tenantId: string, campaignId: string, limit: number) {
    const { row, contacts } = await withTenant(this.db, tenantId, async (trx) => ({
      row: await findCampaign(trx, tenantId, campaignId),
      contacts: await draftContacts(trx, campaignId, { limit }),
    }));
    const config = row.config as CampaignConfig;
    return {
      items: contacts.map((contact) => ({
        contactId: contact.id,
        row: contact.row_number,
        name: contact.name,
        toNumber: maskPhone(contact.phone_e164),
        line: startCallFlow({
          callType: config.callType,
          language: config.language,
          provider: config.provider,
          name: contact.name,
          variables: contact.variables,
          ...(config.transferNumber ? { transferNumber: config.transferNumber } : {}),
        }).snapshot.context.lines.opening,
      })),
    };
  }

  /**
   * A call to the manager's own number through the call workflow and script of the campaign, with
   * a contact's row (the first, or the one named) for the script's variables. It belongs to no
   * contact, so the campaign's counters, calls and results never show it; GET /v1/calls/:id does.
   */
  async testCall(
    tenantId: string,
    campaignId: string,
    body: { toNumber: string; contactId?: string | undefined },
  ) {
    const row = await this.campaigns.find(tenantId, campaignId);
    if (row.status !== 'draft') throw draftOnly(row.status);
    const config = row.config as CampaignConfig;
    const phone = normalizePhone(body.toNumber, config.defaultCountry);
    if (!phone.ok) {
      throw new ProblemError(
        HttpStatus.BAD_REQUEST,
        'INVALID_PHONE',
        `"${body.toNumber}" is not a number we can call.`,
        {
          errors: [{ path: 'toNumber', message: 'not a valid phone number' }],
        },
      );
    }
    if (body.contactId !== undefined && !isUuid(body.contactId)) throw noContact();
    const [contact] = await withTenant(this.db, tenantId, (trx) =>
      draftContacts(trx, campaignId, {
        limit: 1,
        ...(body.contactId ? { contactId: body.contactId } : {}),
      }),
    );
    if (!contact) throw noContact();
    const callId = randomUUID();
    const settings = { ...campaignSettings(config), callingWindow: ANY_TIME };
    await this.temporal.workflow.start<typeof callWorkflow>('callWorkflow', {
      workflowId: callWorkflowId(callId),
      taskQueue: this.config.TEMPORAL_TASK_QUEUE,
      args: [
        callInputFor(
          { campaignId, tenantId, settings },
          {
            contactId: null,
            attempt: 1,
            phone: phone.e164,
            name: contact.name,
            variables: contact.variables,
          },
          callId,
        ),
      ],
      staticSummary: `Test call ${maskPhone(phone.e164)} of campaign ${config.name}`,
      typedSearchAttributes: [
        { key: TenantIdAttr, value: tenantId },
        { key: CampaignIdAttr, value: campaignId },
        { key: ProviderAttr, value: config.provider },
        { key: CallStatusAttr, value: 'queued' },
      ],
    });
    return { callId, contactId: contact.id, toNumber: maskPhone(phone.e164) };
  }
}

/** The whole upload again, and which of its rows became contacts. */
async function upload(db: Executor, campaignId: string) {
  const stored = (await getCampaignSheet(db, campaignId)) as StoredSheet | undefined;
  if (!stored) {
    throw new ProblemError(
      HttpStatus.CONFLICT,
      'CAMPAIGN_SOURCE_MISSING',
      'This campaign has no stored upload.',
    );
  }
  const contacts = await contactSourceRows(db, campaignId);
  return { sheet: restoreSheet(stored, contacts), contacts };
}

function noContact() {
  return new ProblemError(
    HttpStatus.CONFLICT,
    'NO_CONTACT',
    'The draft has no such valid contact to take the script’s variables from.',
  );
}
