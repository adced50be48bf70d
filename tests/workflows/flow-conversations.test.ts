import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallFactKind } from '../../domain/call-facts';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { campaignConfig } from '../support/campaigns';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

/** The called person's answers are chosen by number: one scenario per row. */
const SCENARIO_BY_LAST_DIGIT: Record<string, ScenarioName> = {
  '1': 'human_yes',
  '2': 'human_no',
  '3': 'human_later',
  '4': 'human_dont_call',
  '5': 'human_agent',
};

/** Says one unclear thing, hears the re-ask and hangs up. */
const HANGS_UP_DIGIT = '6';
/** Says yes in words no keyword list has ("hallederim, merak etmeyin"). */
const PARAPHRASE_DIGIT = '7';
const OTHER_SCENARIOS: Record<string, ScenarioName> = {
  [HANGS_UP_DIGIT]: 'human_hangs_up',
  [PARAPHRASE_DIGIT]: 'human_yes_paraphrase',
};

const EXPECTED: Record<string, { label: string; outcome: string }> = {
  human_yes: { label: 'YES', outcome: 'success' },
  human_no: { label: 'NO', outcome: 'success' },
  human_later: { label: 'LATER', outcome: 'callback_scheduled' },
  human_dont_call: { label: 'DONT_CALL', outcome: 'opted_out' },
  human_agent: { label: 'ASK_AGENT', outcome: 'callback_scheduled' },
};

const CALL_TYPES = {
  BILLING_REMINDER: {
    header: 'tutar,son_odeme_tarihi',
    values: '1250 TL,2026-12-01',
    variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
  },
  APPOINTMENT_REMINDER: {
    header: 'randevu',
    values: '3 Aralık 14:30',
    variables: { appointment_time: 'randevu' },
  },
  SHIPPING_UPDATE: { header: 'takip', values: 'TR123456789', variables: { tracking_number: 'takip' } },
} as const;
type CallType = keyof typeof CALL_TYPES;

/** Distinct numbers per call type (prefix) and scenario (last digit). */
function phone(typeIndex: number, digit: string): string {
  return `+90532${typeIndex}00000${digit}`;
}

/** The shared test campaign, with the call type's script and its variables' columns. */
function flowConfig(callType: CallType) {
  return campaignConfig({
    name: `flow ${callType}`,
    callType,
    columnMapping: { phone: 'telefon', name: 'ad', variables: CALL_TYPES[callType].variables },
  });
}

function csv(callType: CallType, typeIndex: number, digits: string[]): string {
  const spec = CALL_TYPES[callType];
  return [
    `ad,telefon,${spec.header}`,
    ...digits.map((d) => `Kişi ${d},${phone(typeIndex, d)},${spec.values}`),
  ].join('\n');
}

describe('scripted conversations through the server-tool webhook', () => {
  let stack: TestStack;
  let apiKey: string;
  let tenantId: string;

  beforeAll(async () => {
    stack = await startTestStack({
      simulator: {
        scenario: (toNumber) =>
          SCENARIO_BY_LAST_DIGIT[toNumber.slice(-1)] ?? OTHER_SCENARIOS[toNumber.slice(-1)] ?? 'human_yes',
        timing: { ringMs: 30, talkMs: 300, webhookDelayMs: 20 },
      },
    });
    ({ apiKey, tenantId } = await createTenant(stack));
  });
  afterAll(async () => stack?.close());

  async function runCampaign(callType: CallType, typeIndex: number) {
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(flowConfig(callType)))
      .attach(
        'file',
        Buffer.from(csv(callType, typeIndex, Object.keys(SCENARIO_BY_LAST_DIGIT))),
        'contacts.csv',
      )
      .expect(201);
    const campaignId = created.body.id as string;
    await api.post(`/v1/campaigns/${campaignId}/start`).set('authorization', `Bearer ${apiKey}`).expect(200);
    // Every first attempt ends; the campaign itself stays open for the LATER contact's follow-up.
    const calls = await eventually(
      async () => {
        const res = await api
          .get(`/v1/campaigns/${campaignId}/calls`)
          .set('authorization', `Bearer ${apiKey}`);
        const items = res.body.items as { outcome: string | null }[];
        return items.length === 5 && items.every((c) => c.outcome !== null) ? res : undefined;
      },
      90_000,
      `the ${callType} calls to end`,
    );
    const campaign = await api
      .get(`/v1/campaigns/${campaignId}`)
      .set('authorization', `Bearer ${apiKey}`)
      .expect(200);
    expect(campaign.body.status).toBe('running');
    return calls.body.items as {
      callId: string;
      toNumber: string;
      status: string;
      outcome: string;
      label: string;
    }[];
  }

  it.each(Object.keys(CALL_TYPES).map((callType, index) => [callType as CallType, index]))(
    '%s: each answer ends with its label, outcome and action',
    async (callType, typeIndex) => {
      const calls = await runCampaign(callType, typeIndex);
      expect(calls).toHaveLength(5);
      for (const call of calls) {
        const scenario = SCENARIO_BY_LAST_DIGIT[call.toNumber.slice(-1)]!;
        expect({ scenario, label: call.label, outcome: call.outcome }).toEqual({
          scenario,
          ...EXPECTED[scenario],
        });
      }
      const byScenario = (name: ScenarioName) =>
        calls.find((c) => SCENARIO_BY_LAST_DIGIT[c.toNumber.slice(-1)] === name)!;

      const dontCall = byScenario('human_dont_call');
      const dnc = await stack.db
        .selectFrom('do_not_call')
        .selectAll()
        .where('tenant_id', '=', tenantId)
        .where('phone_e164', '=', dontCall.toNumber)
        .executeTakeFirst();
      expect(dnc).toMatchObject({ source: `call:${dontCall.callId}`, reason: 'caller_request' });
      // The label came in a turn and was published after it: operators find the call by it.
      await eventually(
        async () => {
          const query = `CallLabel="DONT_CALL" AND CallStatus="completed" AND WorkflowId="${callWorkflowId(dontCall.callId)}"`;
          for await (const listed of stack.client.workflow.list({ query })) return listed.workflowId;
          return undefined;
        },
        15_000,
        'the call to be listed by its label',
      );

      const later = byScenario('human_later');
      const followup = await stack.db
        .selectFrom('followups')
        .selectAll()
        .where('call_id', '=', later.callId)
        .executeTakeFirst();
      expect(followup).toBeDefined();
      // The person named no time: the default of one day.
      const hoursAhead = (followup!.due_at.getTime() - Date.now()) / 3_600_000;
      expect(hoursAhead).toBeGreaterThan(23);
      expect(hoursAhead).toBeLessThanOrEqual(24);

      const agent = byScenario('human_agent');
      const callbacks = await stack.db
        .selectFrom('callbacks')
        .selectAll()
        .where('call_id', '=', agent.callId)
        .execute();
      expect(callbacks).toEqual([
        expect.objectContaining({ phone_e164: agent.toNumber, tenant_id: tenantId }),
      ]);

      // No other call left an action behind.
      const actionCalls = await stack.db
        .selectFrom('callbacks')
        .select('call_id')
        .where(
          'call_id',
          'in',
          calls.map((c) => c.callId),
        )
        .execute();
      expect(actionCalls.map((r) => r.call_id)).toEqual([agent.callId]);

      // Every turn went through the server tool and was answered (no error results in the transcript).
      const turns = stack.sim.webhooks.filter(
        (w) => w.event === 'tool:flow_turn' && calls.some((c) => c.callId === w.callId),
      );
      expect(turns.length).toBe(10);
      expect(turns.every((w) => w.status === 200)).toBe(true);
    },
  );

  it('a later campaign of the same tenant excludes the number that asked not to be called', async () => {
    const number = phone(0, '4');
    const listed = await stack.db
      .selectFrom('do_not_call')
      .select('phone_e164')
      .where('tenant_id', '=', tenantId)
      .execute();
    expect(listed.map((r) => r.phone_e164)).toContain(number);

    const created = await request(stack.apiUrl)
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(flowConfig('BILLING_REMINDER')))
      .attach('file', Buffer.from(csv('BILLING_REMINDER', 0, ['4', '1'])), 'contacts.csv')
      .expect(201);
    expect(created.body.report).toMatchObject({ total: 2, dnc: 1 });
  });

  interface EndedCall {
    callId: string;
    toNumber: string;
    outcome: string | null;
    label: string | null;
  }

  /** A call's timeline entries of one fact kind. */
  function eventsOfKind(callId: string, kind: CallFactKind) {
    return stack.db
      .selectFrom('call_events')
      .select(['fact_key', 'data'])
      .where('call_id', '=', callId)
      .where('kind', '=', kind)
      .execute();
  }

  /** Uploads and starts a campaign; resolves once each of its first attempts has an outcome. */
  async function endedCalls(config: object, file: string, count: number): Promise<EndedCall[]> {
    const api = request(stack.apiUrl);
    const created = await api
      .post('/v1/campaigns')
      .set('authorization', `Bearer ${apiKey}`)
      .field('config', JSON.stringify(config))
      .attach('file', Buffer.from(file), 'contacts.csv')
      .expect(201);
    const campaignId = created.body.id as string;
    await api.post(`/v1/campaigns/${campaignId}/start`).set('authorization', `Bearer ${apiKey}`).expect(200);
    return eventually(
      async () => {
        const res = await api
          .get(`/v1/campaigns/${campaignId}/calls`)
          .set('authorization', `Bearer ${apiKey}`);
        const items = res.body.items as EndedCall[];
        return items.length === count && items.every((c) => c.outcome !== null) ? items : undefined;
      },
      60_000,
      `${count} calls to end`,
    );
  }

  const labelOf = (calls: EndedCall[], digit: string) => calls.find((c) => c.toNumber.endsWith(digit))?.label;

  it('ASK_AGENT with a transfer number: the agent transfers the person, and the call shows it once reported', async () => {
    const transferNumber = '+905551112233';
    const config = { ...flowConfig('BILLING_REMINDER'), transferNumber };
    const [call] = await endedCalls(config, csv('BILLING_REMINDER', 6, ['5']), 1);
    expect(call).toMatchObject({ outcome: 'transferred', label: 'ASK_AGENT' });
    // The dial carried the number as the agent's variable; the agent's tool dialled it.
    const dial = stack.sim.dials().find((d) => d.callId === call!.callId)!;
    expect(dial.transferredTo).toBe(transferNumber);
    // The closing answer asked for the transfer instead of ending the call.
    const closing = stack.sim.webhooks
      .filter((w) => w.event === 'tool:flow_turn' && w.callId === call!.callId)
      .at(-1);
    expect(JSON.parse(closing!.responseBody ?? '{}')).toMatchObject({
      transfer_to: transferNumber,
      end_call: false,
    });
    // A transfer, not a callback.
    const callbacks = await stack.db
      .selectFrom('callbacks')
      .select('id')
      .where('call_id', '=', call!.callId)
      .execute();
    expect(callbacks).toEqual([]);
    expect(await eventsOfKind(call!.callId, 'transferred')).toEqual([
      expect.objectContaining({ data: expect.objectContaining({ to: transferNumber }) }),
    ]);
  });

  it('a person who hangs up mid-conversation still gets an outcome logged: UNKNOWN', async () => {
    const [call] = await endedCalls(
      flowConfig('BILLING_REMINDER'),
      csv('BILLING_REMINDER', 7, [HANGS_UP_DIGIT]),
      1,
    );
    expect(call).toMatchObject({ outcome: 'success', label: 'UNKNOWN' });
    const turns = stack.sim.webhooks.filter((w) => w.event === 'tool:flow_turn' && w.callId === call!.callId);
    expect(turns).toHaveLength(1);
    expect(await eventsOfKind(call!.callId, 'label')).toEqual([
      expect.objectContaining({ fact_key: 'label:hangup' }),
    ]);
  });

  it('LLM_LABEL_ONLY: the model labels a paraphrase the keywords miss', async () => {
    const digits = [PARAPHRASE_DIGIT, '1'];
    const llm = { ...flowConfig('BILLING_REMINDER'), classifier: 'LLM_LABEL_ONLY' };
    const withModel = await endedCalls(llm, csv('BILLING_REMINDER', 8, digits), 2);
    expect(labelOf(withModel, PARAPHRASE_DIGIT)).toBe('YES');
    // The model has no label for "evet": the keywords decide.
    expect(labelOf(withModel, '1')).toBe('YES');

    // Keywords alone re-ask twice and never understand it.
    const keywordsOnly = await endedCalls(
      flowConfig('BILLING_REMINDER'),
      csv('BILLING_REMINDER', 9, [PARAPHRASE_DIGIT]),
      1,
    );
    expect(keywordsOnly[0]!.label).toBe('UNKNOWN');
  });

  it('LLM_LABEL_ONLY: a failing model falls back to keywords, turn by turn', async () => {
    stack.sim.labelModel.fault = 'error';
    try {
      const llm = { ...flowConfig('BILLING_REMINDER'), classifier: 'LLM_LABEL_ONLY' };
      const calls = await endedCalls(llm, csv('BILLING_REMINDER', 5, [PARAPHRASE_DIGIT, '1', '4']), 3);
      expect(labelOf(calls, PARAPHRASE_DIGIT)).toBe('UNKNOWN');
      expect(labelOf(calls, '1')).toBe('YES');
      expect(labelOf(calls, '4')).toBe('DONT_CALL');
    } finally {
      delete stack.sim.labelModel.fault;
    }
  });
});
