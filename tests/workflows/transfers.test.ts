import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Provider } from '../../domain/vocabulary';
import type { FlowTurnResult } from '../../workflows/call.messages';
import { callWorkflowId } from '../../workflows/workflow-ids';
import {
  callbacksOf,
  callRow,
  createDraftCampaign,
  startCall,
  transferReports,
  type StartCallOptions,
} from '../support/calls';
import { readPayload } from '../support/payloads';
import { createTenant, startTestStack, type TestStack } from '../support/stack';

/** Issue 24: every provider's transfer, as far as it gets, on the real dev server and the simulator. */
const TRANSFER_NUMBER = '+905551112233';
/** A valid New York number: a campaign of Turkey that allows no other country must not transfer there. */
const FOREIGN_NUMBER = '+12125550100';
const FAILED_LINE = /^Şu anda bir temsilcimize ulaşamadım\. .*arayacak/;

let stack: TestStack;
let tenantId: string;
let campaignId: string;
let contacts: Awaited<ReturnType<typeof createDraftCampaign>>['contacts'];
let used = 0;

beforeAll(async () => {
  stack = await startTestStack({});
  const tenant = await createTenant(stack);
  tenantId = tenant.tenantId;
  const phones = Array.from({ length: 16 }, (_, i) => `0532 200 ${String(10 + i)} ${String(20 + i)}`);
  ({ campaignId, contacts } = await createDraftCampaign(stack, tenant.apiKey, phones));
});

afterAll(async () => {
  await stack?.close();
});

async function run(options: Omit<StartCallOptions, 'tenantId' | 'campaignId' | 'contact'>) {
  const handle = await startCall(stack, { tenantId, campaignId, contact: contacts[used++]!, ...options });
  const callId = handle.workflowId.replace(/^call-/, '');
  return { callId, result: await handle.result() };
}

interface TransferCase {
  provider: Provider;
  scenario: 'human_agent' | 'human_agent_busy' | 'human_agent_unreachable';
  outcome: 'transferred' | 'callback_scheduled';
  stage: string;
  humanSeconds: number | null;
  /** What the person hears when nobody answers: the agent's line, or the dialplan's prompt. */
  heard?: { line: RegExp } | { prompt: string };
}

/**
 * Done means of issue 24: each provider's transfer answered, busy and failed, the last two falling
 * back to the campaign's callback. The simulator's human talks for 42 s where Asterisk reports it;
 * ElevenLabs leaves the call once the human is on and reports nothing of their leg.
 */
const CASES: TransferCase[] = [
  {
    provider: 'elevenlabs',
    scenario: 'human_agent',
    outcome: 'transferred',
    stage: 'answered',
    humanSeconds: null,
  },
  {
    provider: 'elevenlabs',
    scenario: 'human_agent_busy',
    outcome: 'callback_scheduled',
    stage: 'failed',
    humanSeconds: null,
    heard: { line: FAILED_LINE },
  },
  {
    provider: 'elevenlabs',
    scenario: 'human_agent_unreachable',
    outcome: 'callback_scheduled',
    stage: 'failed',
    humanSeconds: null,
    heard: { line: FAILED_LINE },
  },
  {
    provider: 'ultravox',
    scenario: 'human_agent',
    outcome: 'transferred',
    stage: 'answered',
    humanSeconds: 42,
  },
  {
    provider: 'ultravox',
    scenario: 'human_agent_busy',
    outcome: 'callback_scheduled',
    stage: 'busy',
    humanSeconds: null,
    heard: { prompt: 'outdial/transfer-failed' },
  },
  {
    provider: 'ultravox',
    scenario: 'human_agent_unreachable',
    outcome: 'callback_scheduled',
    stage: 'failed',
    humanSeconds: null,
    heard: { prompt: 'outdial/transfer-failed' },
  },
  {
    provider: 'asterisk',
    scenario: 'human_agent',
    outcome: 'transferred',
    stage: 'answered',
    humanSeconds: 42,
  },
  {
    provider: 'asterisk',
    scenario: 'human_agent_busy',
    outcome: 'callback_scheduled',
    stage: 'busy',
    humanSeconds: null,
    heard: { line: FAILED_LINE },
  },
  {
    provider: 'asterisk',
    scenario: 'human_agent_unreachable',
    outcome: 'callback_scheduled',
    stage: 'failed',
    humanSeconds: null,
    heard: { line: FAILED_LINE },
  },
];

describe("every provider's transfer (issue 24)", () => {
  it.each(CASES)(
    '$provider, $scenario: $outcome, the transfer $stage',
    async ({ provider, scenario, outcome, stage, humanSeconds, heard }) => {
      const { callId, result } = await run({ scenario, provider, transferNumber: TRANSFER_NUMBER });
      expect(result).toMatchObject({ outcome, label: 'ASK_AGENT' });
      expect(await callbacksOf(stack, callId)).toBe(outcome === 'callback_scheduled' ? 1 : 0);
      const row = await callRow(stack, callId);
      expect(row).toMatchObject({
        outcome,
        transfer_to: TRANSFER_NUMBER,
        transfer_stage: stage,
        transfer_seconds: humanSeconds,
      });
      expect((await transferReports(stack, callId))[0]).toMatchObject({
        stage: 'requested',
        to: TRANSFER_NUMBER,
      });
      const dial = stack.sim.dials().find((d) => d.callId === callId);
      expect(dial?.transferredTo).toBe(outcome === 'transferred' ? TRANSFER_NUMBER : undefined);
      if (heard && 'line' in heard) expect(dial?.transferFailedLine).toMatch(heard.line);
      if (heard && 'prompt' in heard) expect(dial?.transferFailedPrompt).toBe(heard.prompt);
    },
  );
});

/** What the workflow answered to each of the conversation's turns, from its history. */
async function turnAnswers(callId: string): Promise<FlowTurnResult[]> {
  const history = await stack.client.workflow.getHandle(callWorkflowId(callId)).fetchHistory();
  const payloads = (history.events ?? []).flatMap(
    (e) => e.workflowExecutionUpdateCompletedEventAttributes?.outcome?.success?.payloads ?? [],
  );
  return Promise.all(payloads.map((p) => readPayload<FlowTurnResult>(stack.client, p)));
}

describe('a transfer the workflow refuses (issue 24 item 4)', () => {
  it.each(['elevenlabs', 'ultravox', 'asterisk'] as const)(
    'on %s, a number of a country the campaign does not allow: refused, the callback, and the person hears so',
    async (provider: Provider) => {
      const { callId, result } = await run({
        scenario: 'human_agent',
        provider,
        transferNumber: FOREIGN_NUMBER,
        transferCountries: ['TR'],
      });
      expect(result).toMatchObject({
        status: 'completed',
        outcome: 'callback_scheduled',
        label: 'ASK_AGENT',
      });
      expect(await callbacksOf(stack, callId)).toBe(1);
      expect(await transferReports(stack, callId)).toEqual([
        expect.objectContaining({ stage: 'refused', cause: 'COUNTRY_NOT_ALLOWED', to: FOREIGN_NUMBER }),
      ]);
      const answers = await turnAnswers(callId);
      expect(answers.some((a) => a.transferTo !== undefined)).toBe(false);
      expect(answers.at(-1)).toMatchObject({ message: expect.stringMatching(FAILED_LINE), endCall: true });
      // The number never reached the provider: no variable, no tool, no originate.
      const dial = stack.sim.dials().find((d) => d.callId === callId);
      expect(dial?.transferredTo).toBeUndefined();
      const sent = stack.sim.requests.filter((r) => JSON.stringify(r.body ?? '').includes(callId));
      expect(JSON.stringify(sent)).not.toContain('12125550100');
      const row = await callRow(stack, callId);
      expect(row).toMatchObject({ transfer_to: FOREIGN_NUMBER, transfer_stage: 'refused' });
    },
  );

  it('a call started without the allowed countries never transfers (fail closed)', async () => {
    const { callId, result } = await run({
      scenario: 'human_agent',
      provider: 'elevenlabs',
      transferNumber: TRANSFER_NUMBER,
      transferCountries: [],
    });
    expect(result).toMatchObject({ outcome: 'callback_scheduled' });
    expect(await transferReports(stack, callId)).toEqual([
      expect.objectContaining({ stage: 'refused', cause: 'COUNTRY_NOT_ALLOWED' }),
    ]);
  });
});
