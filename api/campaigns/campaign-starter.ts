import { Inject, Injectable } from '@nestjs/common';
import { Client, WorkflowExecutionAlreadyStartedError, WorkflowIdReusePolicy } from '@temporalio/client';
import { Kysely } from 'kysely';
import type { AppConfig } from '../../infra/config/config';
import { confirmWorkflowStarted } from '../../schema/repositories/campaign-start';
import type { DB } from '../../schema/types';
import { CampaignIdAttr, TenantIdAttr } from '../../temporal-config/search-attributes';
import type { campaignWorkflow } from '../../workflows/campaign.workflow';
import { campaignWorkflowId } from '../../workflows/workflow-ids';
import { APP_CONFIG, SYSTEM_DB } from '../common/tokens';
import { campaignSettings, type CampaignConfig } from './campaign-config';

/** Temporal did not take the workflow; the campaign's row is as the start left it. */
export class WorkflowStartFailed extends Error {
  override readonly name = 'WorkflowStartFailed';
}

export interface CampaignToStart {
  campaignId: string;
  tenantId: string;
  config: CampaignConfig;
  /** A scheduled start; a time already past starts at once. */
  startAt?: Date | null;
}

/**
 * Starts a campaign's workflow under its one id, then clears the row's pending mark. Idempotent: a
 * workflow already started under that id (by a start retried, or by the reconciler), running or
 * closed, is the campaign's.
 */
@Injectable()
export class CampaignStarter {
  constructor(
    @Inject(SYSTEM_DB) private readonly db: Kysely<DB>,
    @Inject(Client) private readonly temporal: Client,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async start({ campaignId, tenantId, config, startAt }: CampaignToStart): Promise<void> {
    const delayMs = startAt ? startAt.getTime() - Date.now() : 0;
    try {
      await this.temporal.workflow.start<typeof campaignWorkflow>('campaignWorkflow', {
        workflowId: campaignWorkflowId(campaignId),
        // A campaign runs one workflow ever: a start repeated after it closed must not dial again.
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        taskQueue: this.config.TEMPORAL_TASK_QUEUE,
        args: [{ campaignId, tenantId, settings: campaignSettings(config) }],
        ...(delayMs > 0 ? { startDelay: delayMs } : {}),
        staticSummary: `Campaign ${config.name} (${config.callType})`,
        typedSearchAttributes: [
          { key: TenantIdAttr, value: tenantId },
          { key: CampaignIdAttr, value: campaignId },
        ],
      });
    } catch (error) {
      if (!(error instanceof WorkflowExecutionAlreadyStartedError)) {
        throw new WorkflowStartFailed(error instanceof Error ? error.message : String(error), {
          cause: error,
        });
      }
    }
    await confirmWorkflowStarted(this.db, campaignId);
  }
}
