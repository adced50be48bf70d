import type { CallRow } from '../../schema/repositories/calls.repository';
import type { CampaignRow } from '../../schema/repositories/campaigns.repository';
import type { CampaignCounts } from '../../schema/repositories/contact-results';
import type { AppConfig } from '../../infra/config/config';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

export function temporalWorkflowUrl(config: AppConfig, workflowId: string): string {
  return `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows/${encodeURIComponent(workflowId)}`;
}

/** The Temporal UI's workflow list filtered to one campaign's calls. */
export function temporalCampaignCallsUrl(config: AppConfig, campaignId: string): string {
  const query = encodeURIComponent(`CampaignId="${campaignId}"`);
  return `${config.TEMPORAL_UI_URL}/namespaces/${encodeURIComponent(config.TEMPORAL_NAMESPACE)}/workflows?query=${query}`;
}

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export interface CampaignProgress {
  total: number;
  finished: number;
}

/** Contacts with an outcome are finished: their result no longer changes. */
export function progressOf(counts: CampaignCounts): CampaignProgress {
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
  return { total: sum(counts.byStatus), finished: sum(counts.byOutcome) };
}

export function campaignView(
  config: AppConfig,
  row: CampaignRow,
  extra: { counts?: CampaignCounts; progress?: CampaignProgress } = {},
) {
  const { counts, progress } = extra;
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    config: row.config,
    mapping: row.mapping,
    report: row.report,
    ...(counts ? { counts } : {}),
    ...(progress ? { progress } : {}),
    sourceFileName: row.source_file_name,
    createdAt: iso(row.created_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    startAt: iso(row.start_at),
    workflowId: campaignWorkflowId(row.id),
    temporalUiUrl: temporalWorkflowUrl(config, campaignWorkflowId(row.id)),
    temporalCallsUrl: temporalCampaignCallsUrl(config, row.id),
  };
}

export function callView(config: AppConfig, row: CallRow) {
  return {
    callId: row.id,
    campaignId: row.campaign_id,
    contactId: row.contact_id,
    attempt: row.attempt,
    toNumber: row.to_number,
    provider: row.provider,
    providerCallId: row.provider_call_id,
    status: row.status,
    outcome: row.outcome,
    label: row.label,
    sipCode: row.sip_code,
    hangupCause: row.hangup_cause,
    amdStatus: row.amd_status,
    amdCause: row.amd_cause,
    startedAt: iso(row.started_at),
    answeredAt: iso(row.answered_at),
    endedAt: iso(row.ended_at),
    durationSeconds: row.duration_s,
    transfer:
      row.transfer_to === null
        ? null
        : { to: row.transfer_to, stage: row.transfer_stage, humanSeconds: row.transfer_seconds },
    cost: row.cost,
    workflowId: row.workflow_id,
    temporalUiUrl: temporalWorkflowUrl(config, row.workflow_id),
  };
}
