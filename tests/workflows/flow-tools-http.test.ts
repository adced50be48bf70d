import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { insertContactRows } from '../support/contact-rows';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callViewQuery, flowViewQuery } from '../../workflows/call.messages';
import { campaignConfig } from '../support/campaigns';
import { TEST_SECRETS, createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

const CONFIG = campaignConfig({ name: 'tool endpoint', maxConcurrentCalls: 2, callsPerSecond: 5 });

const CSV = [
  'ad,telefon,tutar,son_odeme_tarihi',
  'Ayşe Yılmaz,0532 999 00 01,1250 TL,2026-12-01',
  'Can Ak,0532 999 00 02,80 TL,2026-12-02',
].join('\n');

describe('POST /api/elevenlabs/tools/:tool and /conversation-init', () => {
  let stack: TestStack;
  let calls: { callId: string; toNumber: string }[];

  beforeAll(async () => {
    // The simulated person stays silent for minutes: the test speaks for them through the endpoint.
    stack = await startTestStack({
      simulator: { scenario: 'human_yes', timing: { ringMs: 20, talkMs: 600_000, webhookDelayMs: 10 } },
    });
    const { apiKey } = await createTenant(stack);
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(CONFIG))
      .attach('file', Buffer.from(CSV), 'contacts.csv')
      .expect(201);
    await api
      .post(`/v1/campaigns/${created.body.id}/start`)
      .set('authorization', `Bearer ${apiKey}`)
      .expect(200);
    calls = await eventually(
      async () => {
        const res = await api
          .get(`/v1/campaigns/${created.body.id}/calls`)
          .set('authorization', `Bearer ${apiKey}`);
        const items = res.body.items as { callId: string; toNumber: string; providerCallId: string | null }[];
        return items.length === 2 && items.every((c) => c.providerCallId) ? items : undefined;
      },
      30_000,
      'both calls to be dialled',
    );
  });
  afterAll(async () => stack?.close());

  const tool = (name: string, body: object, secret = TEST_SECRETS.ELEVENLABS_TOOL_SECRET) =>
    request(stack.apiUrl).post(`/api/elevenlabs/tools/${name}`).set('x-tool-secret', secret).send(body);
  const flowView = (callId: string) =>
    stack.client.workflow.getHandle(callWorkflowId(callId)).query(flowViewQuery);

  it('refuses a wrong or missing secret with 401 and runs nothing', async () => {
    const callId = calls[0]!.callId;
    const wrong = await tool(
      'flow_turn',
      { call_id: callId, request_id: 'r-secret', utterance: 'evet' },
      'not-the-secret',
    );
    expect(wrong.status).toBe(401);
    expect(wrong.headers['content-type']).toMatch(/application\/problem\+json/);
    const missing = await request(stack.apiUrl)
      .post('/api/elevenlabs/tools/flow_turn')
      .send({ call_id: callId, request_id: 'r', utterance: 'evet' });
    expect(missing.status).toBe(401);
    expect((await flowView(callId)).snapshot.value).toBe('listening');
  });

  it('answers a repeated request id with the identical answer, after one transition', async () => {
    const callId = calls[0]!.callId;
    const body = { call_id: callId, request_id: `turn-${randomUUID()}`, utterance: 'alo' };
    const first = await tool('flow_turn', body).expect(200);
    expect(first.body).toEqual({ message: expect.any(String), label: 'UNKNOWN', end_call: false });
    const again = await tool('flow_turn', body).expect(200);
    expect(again.body).toEqual(first.body);
    expect((await flowView(callId)).snapshot.context.reaskCount).toBe(1);

    const next = await tool('flow_turn', {
      ...body,
      request_id: `turn-${randomUUID()}`,
      dtmf: '1',
      utterance: undefined,
    }).expect(200);
    expect(next.body).toMatchObject({ label: 'YES', end_call: true });
    expect(next.body.message).not.toBe(first.body.message);
    const view = await flowView(callId);
    expect(view.snapshot).toMatchObject({ status: 'done', context: { label: 'YES', reaskCount: 1 } });
    const callView = await stack.client.workflow.getHandle(callWorkflowId(callId)).query(callViewQuery);
    expect(callView.label).toBe('YES');
  });

  it('rejects a turn with neither utterance nor DTMF (409) without a transition', async () => {
    const callId = calls[1]!.callId;
    const res = await tool('flow_turn', {
      call_id: callId,
      request_id: `turn-${randomUUID()}`,
      utterance: '  ',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('TURN_REJECTED');
    expect((await flowView(callId)).snapshot).toMatchObject({
      value: 'listening',
      context: { reaskCount: 0 },
    });
  });

  it('refuses a tool outside the allowlist with 422 UNKNOWN_TOOL and records it on the timeline', async () => {
    const callId = calls[1]!.callId;
    const res = await tool('transfer_to_anyone', {
      call_id: callId,
      request_id: 'r-unknown',
      utterance: 'evet',
    });
    expect(res.status).toBe(422);
    expect(res.body).toMatchObject({ code: 'UNKNOWN_TOOL', status: 422 });
    const facts = await eventually(
      async () => {
        const view = await stack.client.workflow.getHandle(callWorkflowId(callId)).query(callViewQuery);
        return view.facts.some((f) => f.kind === 'tool_refused') ? view.facts : undefined;
      },
      10_000,
      'the refusal to be recorded',
    );
    expect(facts.find((f) => f.kind === 'tool_refused')).toMatchObject({ tool: 'transfer_to_anyone' });
  });

  it('answers 404 for a call that does not exist', async () => {
    const res = await tool('flow_turn', { call_id: randomUUID(), request_id: 'r-404', utterance: 'evet' });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe('CALL_NOT_FOUND');
    expect(
      (await tool('flow_turn', { call_id: 'not-a-uuid', request_id: 'r', utterance: 'evet' })).status,
    ).toBe(404);
  });

  it('conversation-init answers the call opening by call id or number, and a generic body otherwise', async () => {
    const { callId, toNumber } = calls[1]!;
    const view = await flowView(callId);
    const init = (body: object, secret = TEST_SECRETS.ELEVENLABS_TOOL_SECRET) =>
      request(stack.apiUrl).post('/api/elevenlabs/conversation-init').set('x-tool-secret', secret).send(body);

    const expected = {
      type: 'conversation_initiation_client_data',
      dynamic_variables: expect.objectContaining({ call_id: callId, amount: '80 TL', name: 'Can Ak' }),
      conversation_config_override: { agent: { first_message: view.opening, language: 'tr' } },
    };
    expect(view.opening).toContain('80 TL');
    expect((await init({ call_id: callId }).expect(200)).body).toEqual(expected);
    const byNumber = await init({
      caller_id: '+908505550100',
      called_number: toNumber,
      agent_id: 'agent_x',
      call_sid: 'CA1',
    });
    expect(byNumber.body).toEqual(expected);

    const unknown = await init({
      caller_id: '+15550000000',
      called_number: '+15550000001',
      agent_id: 'a',
      call_sid: 'CA2',
    }).expect(200);
    expect(unknown.body).toEqual({
      type: 'conversation_initiation_client_data',
      dynamic_variables: { call_id: '' },
    });
    expect((await init({ call_id: callId }, 'wrong-secret-value')).status).toBe(401);
  });

  it("conversation-init by number gives no call's variables when two tenants' calls dial that number", async () => {
    const { toNumber } = calls[1]!;
    const other = await insertContactRows(stack.db, 'Another tenant calling the same person', toNumber);
    const otherCall = randomUUID();
    await stack.db
      .insertInto('call_attempts')
      .values({ id: otherCall, ...other, attempt: 1, to_number: toNumber, provider: 'elevenlabs', workflow_id: callWorkflowId(otherCall) })
      .execute();
    try {
      const ambiguous = await request(stack.apiUrl)
        .post('/api/elevenlabs/conversation-init')
        .set('x-tool-secret', TEST_SECRETS.ELEVENLABS_TOOL_SECRET)
        .send({ caller_id: '+908505550100', called_number: toNumber, agent_id: 'agent_x', call_sid: 'CA3' })
        .expect(200);
      expect(ambiguous.body).toEqual({ type: 'conversation_initiation_client_data', dynamic_variables: { call_id: '' } });
    } finally {
      await stack.db.updateTable('call_attempts').set({ ended_at: new Date() }).where('id', '=', otherCall).execute();
    }
  });

  it('set_do_not_call from the agent adds the number to the list at once and closes the flow', async () => {
    const { callId, toNumber } = calls[1]!;
    const res = await tool('set_do_not_call', { call_id: callId, request_id: `dnc-${randomUUID()}` }).expect(
      200,
    );
    expect(res.body).toMatchObject({ label: 'DONT_CALL', end_call: true });
    // Written right after the answer, while the call still goes on (not when it ends).
    const row = await eventually(
      () =>
        stack.db.selectFrom('do_not_call').selectAll().where('phone_e164', '=', toNumber).executeTakeFirst(),
      2000,
    );
    expect(row).toMatchObject({ source: `call:${callId}` });
  });
});
