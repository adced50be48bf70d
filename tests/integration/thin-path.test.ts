import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';

const CSV = [
  'ad,telefon,tutar,son_odeme_tarihi',
  'Ayşe Yılmaz,0532 123 45 67,1250 TL,2026-12-01',
  'Mehmet Demir,+90 (533) 765-4321,980 TL,2026-12-05',
  'Zeynep Kaya,5341112233,450 TL,2026-12-10',
].join('\n');

const CONFIG = {
  name: 'Aralık ödeme hatırlatma',
  callType: 'BILLING_REMINDER',
  provider: 'elevenlabs',
  language: 'tr',
  defaultCountry: 'TR',
  timezone: 'Europe/Istanbul',
  callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
  maxConcurrentCalls: 2,
  callsPerSecond: 5,
  amd: { enabled: false, graceSeconds: 0 },
  columnMapping: { phone: 'telefon', name: 'ad', variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' } },
};

describe('thin path: upload → start → dial → signed webhook → final record', () => {
  let stack: TestStack;
  let apiKey: string;

  beforeAll(async () => {
    stack = await startTestStack({ simulator: { scenario: 'human_yes' } });
    ({ apiKey } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  it('runs a 3-row CSV campaign to completion with final call records', async () => {
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'contacts.csv')
      .expect(201);
    expect(created.body.status).toBe('draft');
    expect(created.body.report).toMatchObject({ total: 3, valid: 3, invalid: 0, duplicates: 0, dnc: 0 });
    expect(stack.sim.dials()).toHaveLength(0);

    const campaignId = created.body.id as string;
    await api.post(`/v1/campaigns/${campaignId}/start`).set('authorization', `Bearer ${apiKey}`).expect(200);

    const campaign = await eventually(async () => {
      const res = await api.get(`/v1/campaigns/${campaignId}`).set('authorization', `Bearer ${apiKey}`);
      return res.body.status === 'completed' ? res.body : undefined;
    }, 60_000, 'the campaign to complete');
    expect(campaign.counts.byStatus).toEqual({ completed: 3 });

    const calls = await api.get(`/v1/campaigns/${campaignId}/calls`).set('authorization', `Bearer ${apiKey}`).expect(200);
    expect(calls.body.items).toHaveLength(3);
    const numbers = calls.body.items.map((c: { toNumber: string }) => c.toNumber).sort();
    expect(numbers).toEqual(['+905321234567', '+905337654321', '+905341112233']);
    for (const call of calls.body.items) {
      expect(call).toMatchObject({ provider: 'elevenlabs', status: 'completed', outcome: 'success' });
      expect(call.providerCallId).toMatch(/^conv_/);
      expect(call.durationSeconds).toBeGreaterThan(0);
      expect(call.endedAt).not.toBeNull();
      expect(call.temporalUiUrl).toContain(encodeURIComponent(call.workflowId));
    }

    // Exactly one dial per contact, each carrying the call id and the opening line.
    const dials = stack.sim.dials();
    expect(dials).toHaveLength(3);
    const dialRequests = stack.sim.requests.filter((r) => r.path.endsWith('/outbound-call'));
    for (const req of dialRequests) {
      const body = req.body as { conversation_initiation_client_data: { dynamic_variables: Record<string, string>; conversation_config_override: { agent: { first_message: string } } } };
      expect(body.conversation_initiation_client_data.dynamic_variables.call_id).toBeTruthy();
      expect(body.conversation_initiation_client_data.conversation_config_override.agent.first_message).toMatch(/TL/);
    }

    // The workflows are findable by CampaignId, as the Temporal UI lists them.
    const found: string[] = [];
    for await (const wf of stack.client.workflow.list({ query: `CampaignId="${campaignId}" AND WorkflowType="callWorkflow"` })) {
      found.push(wf.workflowId);
    }
    expect(found.sort()).toEqual(calls.body.items.map((c: { workflowId: string }) => c.workflowId).sort());
  });
});
