import { randomUUID } from 'node:crypto';
import type { WorkflowHandle } from '@temporalio/client';
import { maskPhone } from '../../domain/phone';
import {
  CallStatusAttr,
  CampaignIdAttr,
  ProviderAttr,
  TenantIdAttr,
} from '../../temporal-config/search-attributes';
import type { CallTiming, CallWorkflowInput } from '../../workflows/call.messages';
import type { callWorkflow } from '../../workflows/call.workflow';
import type { TestStack } from './stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

export const ALWAYS_OPEN = { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };

/** A Turkish billing-reminder campaign's config, calling at any hour, without its limits. */
export const BILLING_CAMPAIGN = {
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  language: 'tr',
  defaultCountry: 'TR',
  timezone: 'Europe/Istanbul',
  callingWindow: ALWAYS_OPEN,
};

/** Short waits: every scenario settles in seconds against the simulator. */
export const FAST_TIMING: Partial<CallTiming> = {
  ringingTimeoutSeconds: 5,
  dialTimeoutSeconds: 5,
  maxCallSeconds: 10,
  reconcileSeconds: 3,
  pollIntervalSeconds: 1,
  pollAttempts: 5,
  hangupConfirmSeconds: 1,
};

export interface TestContact {
  contactId: string;
  phone: string;
}

/** A draft campaign with the given numbers, created through the API (so the rows are real). */
export async function createDraftCampaign(
  stack: Pick<TestStack, 'apiUrl' | 'db'>,
  apiKey: string,
  phones: string[],
): Promise<{ campaignId: string; contacts: TestContact[] }> {
  const csv = [
    'ad,telefon,tutar,son_odeme',
    ...phones.map((phone, i) => `Kişi ${i + 1},${phone},1250 TL,2026-12-01`),
  ].join('\n');
  const form = new FormData();
  form.set(
    'config',
    JSON.stringify({
      ...BILLING_CAMPAIGN,
      name: `calls ${randomUUID()}`,
      maxConcurrentCalls: 5,
      callsPerSecond: 5,
      amd: { enabled: false, graceSeconds: 0 },
      columnMapping: { phone: 'telefon', name: 'ad', variables: { amount: 'tutar', due_date: 'son_odeme' } },
    }),
  );
  form.set('file', new Blob([csv], { type: 'text/csv' }), 'contacts.csv');
  const response = await fetch(`${stack.apiUrl}/v1/campaigns`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}` },
    body: form,
  });
  if (response.status !== 201)
    throw new Error(`campaign creation failed: ${response.status} ${await response.text()}`);
  const { id: campaignId, report } = (await response.json()) as { id: string; report: { valid: number } };
  if (report.valid !== phones.length)
    throw new Error(`only ${report.valid} of ${phones.length} contacts imported`);
  const rows = await stack.db
    .selectFrom('contacts')
    .select(['id', 'phone_e164'])
    .where('campaign_id', '=', campaignId)
    .orderBy('seq')
    .execute();
  return { campaignId, contacts: rows.map((row) => ({ contactId: row.id, phone: row.phone_e164 })) };
}

export interface StartCallOptions {
  tenantId: string;
  campaignId: string;
  contact: TestContact;
  /** The simulator's scenario for this call (sent as the `scenario` dynamic variable). */
  scenario?: string;
  provider?: CallWorkflowInput['provider'];
  amd?: { enabled: boolean; graceSeconds: number };
  timing?: Partial<CallTiming>;
  callingWindow?: CallWorkflowInput['callingWindow'];
  transferNumber?: string;
  /** The countries the transfer number may belong to, as the campaign allows them; default TR. */
  transferCountries?: string[];
  callId?: string;
  taskQueue?: string;
}

/** Starts one call workflow as the campaign workflow would (same id scheme, summary, attributes). */
export async function startCall(
  stack: Pick<TestStack, 'client' | 'taskQueue'>,
  options: StartCallOptions,
): Promise<WorkflowHandle<typeof callWorkflow>> {
  const callId = options.callId ?? randomUUID();
  const input: CallWorkflowInput = {
    callId,
    tenantId: options.tenantId,
    campaignId: options.campaignId,
    contactId: options.contact.contactId,
    attempt: 1,
    toNumber: options.contact.phone,
    provider: options.provider ?? 'elevenlabs',
    callType: 'BILLING_REMINDER',
    language: 'tr',
    timezone: 'Europe/Istanbul',
    callingWindow: options.callingWindow ?? ALWAYS_OPEN,
    name: 'Ayşe Yılmaz',
    variables: {
      amount: '1250 TL',
      due_date: '2026-12-01',
      ...(options.scenario ? { scenario: options.scenario } : {}),
    },
    amd: options.amd ?? { enabled: false, graceSeconds: 0 },
    timing: { ...FAST_TIMING, ...options.timing },
    ...(options.transferNumber
      ? { transferNumber: options.transferNumber, transferCountries: options.transferCountries ?? ['TR'] }
      : {}),
  };
  return stack.client.workflow.start<typeof callWorkflow>('callWorkflow', {
    workflowId: callWorkflowId(callId),
    taskQueue: options.taskQueue ?? stack.taskQueue,
    args: [input],
    staticSummary: `Call ${maskPhone(input.toNumber)} (attempt 1)`,
    typedSearchAttributes: [
      { key: TenantIdAttr, value: options.tenantId },
      { key: CampaignIdAttr, value: options.campaignId },
      { key: ProviderAttr, value: 'elevenlabs' },
      { key: CallStatusAttr, value: 'queued' },
    ],
  });
}

export async function addToDnc(
  stack: Pick<TestStack, 'apiUrl'>,
  apiKey: string,
  phone: string,
): Promise<void> {
  const response = await fetch(`${stack.apiUrl}/v1/dnc`, {
    method: 'POST',
    headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ phone }),
  });
  if (response.status >= 300) throw new Error(`DNC add failed: ${response.status} ${await response.text()}`);
}

export async function callRow(stack: Pick<TestStack, 'db'>, callId: string) {
  return stack.db.selectFrom('call_attempts').selectAll().where('id', '=', callId).executeTakeFirstOrThrow();
}

/** A call's transfer reports on its timeline, in time order. */
export async function transferReports(
  stack: Pick<TestStack, 'db'>,
  callId: string,
): Promise<{ stage: string; cause?: string; to: string; humanSeconds?: number }[]> {
  const rows = await stack.db
    .selectFrom('call_events')
    .select('data')
    .where('call_id', '=', callId)
    .where('kind', '=', 'transfer')
    .orderBy('at')
    .execute();
  return rows.map((row) => row.data as { stage: string; cause?: string; to: string; humanSeconds?: number });
}

/** How many callbacks the call created. */
export async function callbacksOf(stack: Pick<TestStack, 'db'>, callId: string): Promise<number> {
  const rows = await stack.db.selectFrom('callbacks').select('id').where('call_id', '=', callId).execute();
  return rows.length;
}
