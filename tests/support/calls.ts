import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { CallFact } from '../../domain/call-facts';
import { maskPhone } from '../../domain/phone';
import {
  CallStatusAttr,
  CampaignIdAttr,
  ProviderAttr,
  TenantIdAttr,
} from '../../temporal-config/search-attributes';
import { providerEventSignal, type CallTiming, type CallWorkflowInput } from '../../workflows/call.messages';
import type { callWorkflow } from '../../workflows/call.workflow';
import type { TestStack } from './stack';

export const ALWAYS_OPEN = { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] };

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
      name: `calls ${randomUUID()}`,
      callType: 'BILLING_REMINDER',
      provider: 'elevenlabs',
      language: 'tr',
      defaultCountry: 'TR',
      timezone: 'Europe/Istanbul',
      callingWindow: ALWAYS_OPEN,
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
  amd?: { enabled: boolean; graceSeconds: number };
  timing?: Partial<CallTiming>;
  callingWindow?: CallWorkflowInput['callingWindow'];
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
    provider: 'elevenlabs',
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
  };
  return stack.client.workflow.start<typeof callWorkflow>('callWorkflow', {
    workflowId: `call-${callId}`,
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

/**
 * Stands between the simulator and the API. Until the Asterisk webhook controllers exist in this
 * branch, `POST /api/v1/webhooks/amd-result` answers 404; then the bridge delivers the seed 001 AMD
 * payload as the fact the inbox would, so AMD ordering can be tested through the simulator. Once
 * the API serves that path, the bridge only forwards.
 */
export class WebhookBridge {
  private server: Server | undefined;
  private target: { apiUrl: string; client: Client } | undefined;
  /** AMD results the bridge had to deliver itself. */
  amdFallbacks = 0;
  url = '';

  constructor(private readonly asteriskWebhookToken: string) {}

  async start(): Promise<this> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        this.forward(req.method ?? 'POST', req.url ?? '/', req.headers, Buffer.concat(chunks)).then(
          ({ status, body }) => res.writeHead(status, { 'content-type': 'application/json' }).end(body),
          (error: unknown) => res.writeHead(502).end(String(error)),
        );
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  connect(apiUrl: string, client: Client): void {
    this.target = { apiUrl, client };
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async forward(
    method: string,
    path: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): Promise<{ status: number; body: string }> {
    if (!this.target) throw new Error('bridge not connected');
    const forwarded: Record<string, string> = {};
    for (const [name, value] of Object.entries(headers)) {
      if (value !== undefined && !['host', 'content-length', 'connection'].includes(name)) {
        forwarded[name] = Array.isArray(value) ? value.join(', ') : value;
      }
    }
    const response = await fetch(`${this.target.apiUrl}${path}`, { method, headers: forwarded, body });
    const text = await response.text();
    if (response.status === 404 && path === '/api/v1/webhooks/amd-result')
      return this.deliverAmd(headers, body);
    return { status: response.status, body: text };
  }

  private async deliverAmd(
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): Promise<{ status: number; body: string }> {
    if (headers['x-webhook-token'] !== this.asteriskWebhookToken) return { status: 401, body: '{}' };
    const payload = JSON.parse(body.toString('utf8')) as {
      uuid: string;
      status: 'HUMAN' | 'MACHINE' | 'NOTSURE';
      cause?: string;
    };
    const fact: CallFact = {
      kind: 'amd',
      key: `asterisk:amd:${payload.uuid}`,
      at: new Date().toISOString(),
      status: payload.status,
      ...(payload.cause ? { cause: payload.cause } : {}),
    };
    this.amdFallbacks++;
    await this.target!.client.workflow.getHandle(`call-${payload.uuid}`).signal(providerEventSignal, fact);
    return { status: 200, body: '{"received":true}' };
  }
}
