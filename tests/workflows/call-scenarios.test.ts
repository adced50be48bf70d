import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatorOptions } from '../../infra/dev/simulator/server';
import type { CallWorkflowResult } from '../../workflows/call.messages';
import {
  addToDnc,
  callbacksOf,
  callRow,
  createDraftCampaign,
  startCall,
  type StartCallOptions,
  transferReports,
  type TestContact,
} from '../support/calls';
import { createTenant, eventually, startTestStack, type TestStack } from '../support/stack';
import { readPayload } from '../support/payloads';
import { callWorkflowId } from '../../workflows/workflow-ids';

interface Harness {
  stack: TestStack;
  apiKey: string;
  tenantId: string;
  campaignId: string;
  contacts: TestContact[];
  next(): TestContact;
  run(
    options: Omit<StartCallOptions, 'tenantId' | 'campaignId' | 'contact'>,
  ): Promise<{ callId: string; result: CallWorkflowResult }>;
  dialsFor(callId: string): number;
}

const TRANSFER_NUMBER = '+905551112233';

/** A person who asks for an agent, on a campaign with a transfer number. */
function askForAgent(h: Harness, provider: 'ultravox' | 'asterisk') {
  return h.run({ scenario: 'human_agent', provider, transferNumber: TRANSFER_NUMBER });
}

async function transferStages(h: Harness, callId: string): Promise<string[]> {
  return (await transferReports(h.stack, callId)).map((report) => report.stage);
}

/** A stack whose simulator answers with the given options, and sixteen fresh contacts to call. */
function harness(simulator: Partial<SimulatorOptions>): {
  get(): Harness;
  setup(): Promise<void>;
  teardown(): Promise<void>;
} {
  let h: Harness | undefined;
  return {
    get: () => h!,
    async setup() {
      const stack = await startTestStack({ simulator });
      const { tenantId, apiKey } = await createTenant(stack);
      const phones = Array.from({ length: 16 }, (_, i) => `0532 100 ${String(10 + i)} ${String(20 + i)}`);
      const { campaignId, contacts } = await createDraftCampaign(stack, apiKey, phones);
      let used = 0;
      h = {
        stack,
        apiKey,
        tenantId,
        campaignId,
        contacts,
        next: () => contacts[used++]!,
        async run(options) {
          const handle = await startCall(stack, { tenantId, campaignId, contact: h!.next(), ...options });
          const callId = handle.workflowId.replace(/^call-/, '');
          return { callId, result: await handle.result() };
        },
        dialsFor: (callId) => stack.sim.dials().filter((d) => d.callId === callId).length,
      };
    },
    async teardown() {
      await h?.stack.close();
    },
  };
}

/** Starts a call, waits until it rings and asks the API to hang it up; resolves with its result. */
async function hangUpWhileRinging(h: Harness, provider: 'elevenlabs' | 'ultravox') {
  const handle = await startCall(h.stack, {
    tenantId: h.tenantId,
    campaignId: h.campaignId,
    contact: h.next(),
    provider,
    scenario: 'human_yes',
  });
  const callId = handle.workflowId.replace(/^call-/, '');
  await eventually(() => Promise.resolve(h.dialsFor(callId) === 1 ? true : undefined), 15_000, 'the dial');
  await eventually(
    async () => ((await callRow(h.stack, callId)).status === 'ringing' ? true : undefined),
    15_000,
    'ringing',
  );
  const response = await fetch(`${h.stack.apiUrl}/v1/calls/${callId}/hangup`, {
    method: 'POST',
    headers: { authorization: `Bearer ${h.apiKey}` },
  });
  expect(response.status).toBe(202);
  return { callId, result: await handle.result() };
}

describe('call scenarios through the simulator', () => {
  const env = harness({});
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('human_yes: one dial, completed/success, facts recorded, findable by CallStatus="completed"', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'human_yes' });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(h.dialsFor(callId)).toBe(1);
    const row = await callRow(h.stack, callId);
    expect(row).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(row.provider_call_id).toMatch(/^conv_/);
    expect(row.duration_s).toBeGreaterThan(0);
    const kinds = (
      await h.stack.db.selectFrom('call_events').select('kind').where('call_id', '=', callId).execute()
    ).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['dial_accepted', 'ended', 'post_call_data']));

    const workflowId = callWorkflowId(callId);
    await eventually(
      async () => {
        for await (const wf of h.stack.client.workflow.list({
          query: `CallStatus="completed" AND CallOutcome="success" AND WorkflowId="${workflowId}"`,
        })) {
          return wf.workflowId;
        }
        return undefined;
      },
      15_000,
      'the call to be listed by CallStatus',
    );

    // Operators read the masked number and what each activity did in the UI.
    const description = await h.stack.client.workflow.getHandle(workflowId).describe();
    expect(await description.staticSummary()).toMatch(/^Call \+90 532 \*\*\* \*\* \d\d \(attempt 1\)$/);
    const history = await h.stack.client.workflow.getHandle(workflowId).fetchHistory();
    // Activities and local activities (their markers) alike; the version marker has no summary.
    const summaries = await Promise.all(
      (history.events ?? [])
        .filter((e) => e.activityTaskScheduledEventAttributes || e.markerRecordedEventAttributes)
        .flatMap((e) => (e.userMetadata?.summary ? [e.userMetadata.summary] : []))
        .map((summary) => readPayload<string>(h.stack.client, summary)),
    );
    expect(summaries).toEqual([
      expect.stringMatching(/^Reserve attempt 1 to \+90 532/),
      expect.stringMatching(/^DNC precheck \+90 532/),
      expect.stringMatching(/^Concurrent-call slot for \+90 532/),
      expect.stringMatching(/^Dial \+90 532 \*\*\* \*\* \d\d via elevenlabs \(attempt 1\)$/),
      expect.stringMatching(/^Record the call/),
      expect.stringMatching(/^Final record: completed\/success/),
    ]);
  });

  it('ASK_AGENT with a transfer number on Ultravox: coldTransfer through Asterisk, confirmed by its webhook', async () => {
    const h = env.get();
    const { callId, result } = await askForAgent(h, 'ultravox');
    expect(result).toMatchObject({ status: 'transferred', outcome: 'transferred', label: 'ASK_AGENT' });
    const dial = h.stack.sim.dials().find((d) => d.callId === callId)!;
    expect(dial.transferredTo).toBe(TRANSFER_NUMBER);
    // The dial selected the built-in tool, aimed at the Asterisk the leg goes through.
    const created = h.stack.sim.requests.find(
      (r) => r.method === 'POST' && r.path === '/api/calls' && JSON.stringify(r.body).includes(callId),
    );
    expect(created?.body).toMatchObject({
      selectedTools: expect.arrayContaining([
        {
          toolName: 'coldTransfer',
          parameterOverrides: { target: expect.stringMatching(/^sip:\+905551112233@/) },
        },
      ]),
    });
    // Asterisk's phone-only webhook was tied to this attempt and delivered (the mark is written
    // shortly after the signal); no callback was made.
    const inbox = await eventually(
      async () => {
        const rows = await h.stack.db
          .selectFrom('webhook_inbox')
          .select(['call_id', 'status'])
          .where('provider', '=', 'asterisk')
          .where('event_type', '=', 'call-transferred')
          .where('call_id', '=', callId)
          .execute();
        return rows.some((row) => row.status === 'pending') ? undefined : rows;
      },
      5000,
      'the transfer webhook settled',
    );
    expect(inbox).toEqual([{ call_id: callId, status: 'delivered' }]);
    expect(await callbacksOf(h.stack, callId)).toBe(0);
  });

  it('ASK_AGENT on an Asterisk-originated call: ARI originates the human leg, the human answers, transferred', async () => {
    const h = env.get();
    const { callId, result } = await askForAgent(h, 'asterisk');
    expect(result).toMatchObject({ status: 'transferred', outcome: 'transferred', label: 'ASK_AGENT' });
    expect(h.stack.sim.dials().find((d) => d.callId === callId)?.transferredTo).toBe(TRANSFER_NUMBER);
    expect(await callbacksOf(h.stack, callId)).toBe(0);
    const row = await callRow(h.stack, callId);
    expect(row).toMatchObject({ status: 'transferred', outcome: 'transferred' });
    const stages = await transferStages(h, callId);
    expect(stages).toEqual(expect.arrayContaining(['requested', 'ringing', 'answered']));
  });

  it('ASK_AGENT on ElevenLabs, transfer_to_number fails: the campaign callback, and the agent says so', async () => {
    const h = env.get();
    const { callId, result } = await h.run({
      scenario: 'human_agent_busy',
      provider: 'elevenlabs',
      transferNumber: TRANSFER_NUMBER,
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'callback_scheduled', label: 'ASK_AGENT' });
    expect(await callbacksOf(h.stack, callId)).toBe(1);
    expect(h.stack.sim.dials().find((d) => d.callId === callId)?.transferFailedLine).toMatch(/ulaşamadım/);
    expect(await transferStages(h, callId)).toEqual(expect.arrayContaining(['requested', 'failed']));
  });

  it.each([
    ['human_agent_busy', 'busy', '17'],
    ['human_agent_no_answer', 'no_answer', '19'],
    ['human_agent_unreachable', 'failed', '3'],
  ] as const)(
    'ASK_AGENT on Asterisk, the human leg %s: the campaign callback, and the person hears so',
    async (scenario, stage, cause) => {
      const h = env.get();
      const { callId, result } = await h.run({
        scenario,
        provider: 'asterisk',
        transferNumber: TRANSFER_NUMBER,
      });
      expect(result).toMatchObject({
        status: 'completed',
        outcome: 'callback_scheduled',
        label: 'ASK_AGENT',
      });
      expect(await callbacksOf(h.stack, callId)).toBe(1);
      const dial = h.stack.sim.dials().find((d) => d.callId === callId);
      expect(dial?.transferredTo).toBeUndefined();
      expect(dial?.transferFailedLine).toMatch(/^Şu anda bir temsilcimize ulaşamadım\. .*arayacak/);
      expect(await transferReports(h.stack, callId)).toContainEqual(
        expect.objectContaining({ stage, cause, to: TRANSFER_NUMBER }),
      );
    },
  );

  it('voicemail with AMD before the end webhook: completed/voicemail and the post-call data kept', async () => {
    const h = env.get();
    const { callId, result } = await h.run({
      scenario: 'voicemail_amd',
      amd: { enabled: true, graceSeconds: 5 },
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'voicemail' });
    const row = await callRow(h.stack, callId);
    expect(row).toMatchObject({
      amd_status: 'MACHINE',
      amd_cause: 'MAXWORDS-6-5',
      hangup_cause: 'AMD:MAXWORDS-6-5',
    });
    // The workflow waited for the provider's end after the AMD verdict settled the outcome.
    expect(row.duration_s).toBeGreaterThan(0);
    expect(h.dialsFor(callId)).toBe(1);
  });

  it('busy: busy/486', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'busy' });
    expect(result).toMatchObject({ status: 'busy', outcome: 'busy', sipCode: 486 });
    expect(h.dialsFor(callId)).toBe(1);
  });

  it('no answer (the provider rang out): no_answer/480', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'no_answer' });
    expect(result).toMatchObject({ status: 'no_answer', outcome: 'no_answer', sipCode: 480 });
    expect((await callRow(h.stack, callId)).hangup_cause).toBe('no answer');
  });

  it('a 4xx on the dial: failed with the provider refusal as hangup cause, one dial', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'dial_error_4xx' });
    expect(result).toMatchObject({ status: 'failed', outcome: 'failed' });
    expect((await callRow(h.stack, callId)).hangup_cause).toMatch(/^dial rejected: ElevenLabs answered 422/);
    expect(h.dialsFor(callId)).toBe(1);
  });

  it('a dial whose answer is lost is never re-dialled and ends with the real outcome', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'dial_network_failure' });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(h.dialsFor(callId)).toBe(1);
    expect((await callRow(h.stack, callId)).provider_call_id).toBe(
      h.stack.sim.dials().find((d) => d.callId === callId)!.providerCallId,
    );
  });

  it('a number on the Do-Not-Call list is never dialled', async () => {
    const h = env.get();
    const contact = h.next();
    await addToDnc(h.stack, h.apiKey, contact.phone);
    const handle = await startCall(h.stack, {
      tenantId: h.tenantId,
      campaignId: h.campaignId,
      contact,
      scenario: 'human_yes',
    });
    const result = await handle.result();
    expect(result).toMatchObject({ status: 'blocked', outcome: 'dnc_blocked' });
    expect(h.stack.sim.dials().filter((d) => d.toNumber === contact.phone)).toHaveLength(0);
    const row = await callRow(h.stack, handle.workflowId.replace(/^call-/, ''));
    expect(row.hangup_cause).toBe('number is on the Do-Not-Call list');
  });
});

describe('manual hang-up while ringing', () => {
  const env = harness({ timing: { ringMs: 20_000 } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('POST /v1/calls/:id/hangup cancels the ringing leg: cancelled/487, User Hangup (Manual)', async () => {
    const h = env.get();
    const { callId, result } = await hangUpWhileRinging(h, 'elevenlabs');
    expect(result).toMatchObject({ status: 'cancelled', outcome: 'cancelled', sipCode: 487 });
    expect(await callRow(h.stack, callId)).toMatchObject({
      hangup_cause: 'User Hangup (Manual)',
      sip_code: 487,
    });
    expect(h.dialsFor(callId)).toBe(1);
  });
});

describe('a phone that rings past the ringing timeout', () => {
  const env = harness({ timing: { ringMs: 60_000 } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('Ultravox cannot end a ringing leg (422): Asterisk cancels it, cancelled/487', async () => {
    const h = env.get();
    const { callId, result } = await hangUpWhileRinging(h, 'ultravox');
    expect(result).toMatchObject({ status: 'cancelled', outcome: 'cancelled', sipCode: 487 });

    const { providerCallId } = h.stack.sim.dials().find((d) => d.callId === callId)!;
    const calls = h.stack.sim.requests.map((r) => `${r.method} ${r.path}`);
    const hangUp = `POST /api/calls/${providerCallId}/send_data_message`;
    const cancel = `DELETE /ari/channels/uv-leg-${providerCallId}`;
    expect(calls).toContain(hangUp);
    expect(calls).toContain(cancel);
    expect(calls.indexOf(cancel)).toBeGreaterThan(calls.indexOf(hangUp));
    expect(h.dialsFor(callId)).toBe(1);
  });

  it('the workflow checks the provider, hangs up and records no_answer/480', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'human_yes', timing: { ringingTimeoutSeconds: 3 } });
    expect(result).toMatchObject({ status: 'no_answer', outcome: 'no_answer', sipCode: 480 });
    expect(await callRow(h.stack, callId)).toMatchObject({ hangup_cause: 'no answer', sip_code: 480 });
    expect(h.dialsFor(callId)).toBe(1);
  });
});

describe('a conversation that outlasts the ring deadline', () => {
  // Turns at about 3 s and 6 s; the ring deadline (ringing timeout 3 s + 3 s) falls between them.
  const env = harness({ timing: { ringMs: 50, talkMs: 9_000 } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('the first turn proves the answer: no ring-timeout lookup at the provider, completed/success', async () => {
    const h = env.get();
    const { callId, result } = await h.run({ scenario: 'human_yes', timing: { ringingTimeoutSeconds: 3 } });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    const row = await callRow(h.stack, callId);
    const lookups = h.stack.sim.requests.filter(
      (r) => r.method === 'GET' && r.path.includes(row.provider_call_id!),
    );
    expect(lookups).toEqual([]);
    const kinds = (
      await h.stack.db.selectFrom('call_events').select('fact_key').where('call_id', '=', callId).execute()
    ).map((e) => e.fact_key);
    expect(kinds).toContain('answered:flow_turn');
  });
});

describe('AMD or a transfer confirmation arriving after the provider end webhook', () => {
  // Late enough that a workflow which did not wait would have written its final record already.
  const env = harness({ adversarial: { amdAfterEnd: true, transferAfterEnd: true, lateByMs: 2500 } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('the grace period catches it: completed/voicemail, not success', async () => {
    const h = env.get();
    const { callId, result } = await h.run({
      scenario: 'voicemail_amd',
      amd: { enabled: true, graceSeconds: 10 },
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'voicemail' });
    const row = await callRow(h.stack, callId);
    expect(row).toMatchObject({ amd_status: 'MACHINE', hangup_cause: 'AMD:MAXWORDS-6-5' });
    const sent = h.stack.sim.webhooks.filter((w) => w.callId === callId).map((w) => w.event);
    expect(sent.indexOf('amd-result')).toBeGreaterThan(sent.indexOf('post_call_transcription'));
  });

  it("Asterisk's transfer confirmation after Ultravox's call.ended still makes the call transferred", async () => {
    const h = env.get();
    const { callId, result } = await askForAgent(h, 'ultravox');
    expect(result).toMatchObject({ status: 'transferred', outcome: 'transferred', label: 'ASK_AGENT' });
    const sent = h.stack.sim.webhooks.filter((w) => w.callId === callId).map((w) => w.event);
    expect(sent.indexOf('call-transferred')).toBeGreaterThan(sent.indexOf('call.ended'));
    expect(await callbacksOf(h.stack, callId)).toBe(0);
  });
});

describe('duplicate webhooks', () => {
  const env = harness({ adversarial: { duplicateWebhooks: true } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('every webhook twice changes nothing: same outcomes, one timeline entry per fact', async () => {
    const h = env.get();
    const yes = await h.run({ scenario: 'human_yes' });
    const busy = await h.run({ scenario: 'busy' });
    expect(yes.result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(busy.result).toMatchObject({ status: 'busy', outcome: 'busy', sipCode: 486 });
    for (const { callId } of [yes, busy]) {
      const posts = h.stack.sim.webhooks.filter(
        (w) => w.callId === callId && w.url.endsWith('/api/elevenlabs/webhook'),
      );
      expect(posts.length).toBeGreaterThanOrEqual(2);
      expect(posts.some((w) => JSON.parse(w.responseBody ?? '{}').duplicate === true)).toBe(true);
      const keys = (
        await h.stack.db.selectFrom('call_events').select('fact_key').where('call_id', '=', callId).execute()
      ).map((e) => e.fact_key);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });
});

describe('the final webhook never comes', () => {
  const env = harness({ adversarial: { dropFinalWebhook: true } });
  beforeAll(() => env.setup());
  afterAll(() => env.teardown());

  it('polling the provider recovers the end of the call', async () => {
    const h = env.get();
    const { callId, result } = await h.run({
      scenario: 'human_yes',
      timing: { maxCallSeconds: 2, pollIntervalSeconds: 1 },
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect((await callRow(h.stack, callId)).duration_s).toBeGreaterThan(0);
    const polls = h.stack.sim.requests.filter(
      (r) => r.method === 'GET' && r.path.startsWith('/v1/convai/conversations/'),
    );
    expect(polls.length).toBeGreaterThan(0);
  });

  it('an unknown dial result with no webhook at all is found by our call id at the provider, with one dial', async () => {
    const h = env.get();
    const { callId, result } = await h.run({
      scenario: 'dial_network_failure',
      timing: { maxCallSeconds: 2, reconcileSeconds: 1 },
    });
    expect(result).toMatchObject({ status: 'completed', outcome: 'success' });
    expect(h.dialsFor(callId)).toBe(1);
    const lookups = h.stack.sim.requests.filter(
      (r) =>
        r.path === '/v1/convai/conversations' && r.query.dynamic_variable_params === `call_id:eq:${callId}`,
    );
    expect(lookups.length).toBeGreaterThan(0);
  });
});
