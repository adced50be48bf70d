import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import {
  expectRecordsAndOneDialEach,
  runScenarioCampaign,
  scenarioStack,
  SEED_SCENARIOS,
  type CallItem,
} from '../support/scenario-campaign';
import type { TestStack } from '../support/stack';

const SCENARIOS: ScenarioName[] = [...SEED_SCENARIOS, 'dial_network_failure'];

/** Seed 001 §8 for Ultravox: the final record of each scenario. */
const EXPECTED: Partial<Record<ScenarioName, Partial<CallItem>>> = {
  human_yes: { status: 'completed', outcome: 'success', sipCode: 200, amdStatus: null },
  busy: { status: 'busy', outcome: 'busy', sipCode: 486, amdStatus: null },
  no_answer: { status: 'no_answer', outcome: 'no_answer', sipCode: 480, amdStatus: null },
  invalid_number: { status: 'failed', outcome: 'failed', sipCode: 404, amdStatus: null },
  rejected: { status: 'failed', outcome: 'busy', sipCode: 603, amdStatus: null },
  // AMD MACHINE settles the call: the SIP code is whatever arrived before it (200 or none).
  voicemail_amd: { status: 'completed', outcome: 'voicemail', amdStatus: 'MACHINE' },
  // The create call's answer was lost: never sent again, and the call's own end is recorded.
  dial_network_failure: { status: 'completed', outcome: 'success', sipCode: 200, amdStatus: null },
};

function expectScenarioRecords(stack: TestStack, byScenario: Map<ScenarioName, CallItem>) {
  expect(byScenario.size).toBe(SCENARIOS.length);
  // Exactly one dial per contact, each through Asterisk with our call id.
  expectRecordsAndOneDialEach(stack, 'ultravox', byScenario, EXPECTED);
  const creates = stack.sim.requests.filter((r) => r.method === 'POST' && r.path === '/api/calls');
  for (const req of creates) {
    const body = req.body as { medium: { sip: { outgoing: { to: string } } }; metadata: { call_id: string } };
    expect(body.medium.sip.outgoing.to).toMatch(/^sip:\+90532\d{7}@/);
    expect(body.metadata.call_id).toMatch(/^[0-9a-f-]{36}$/);
  }
}

describe('Ultravox through the real adapter and the simulator', () => {
  const context = scenarioStack(SCENARIOS);

  it('records every seed 001 scenario from the signed webhooks', async () => {
    const { stack, apiKey } = context;
    const { byScenario } = await runScenarioCampaign(stack, apiKey, {
      provider: 'ultravox',
      scenarios: SCENARIOS,
    });
    expectScenarioRecords(stack, byScenario);
    await stack.sim.waitForIdle();
    const sent = stack.sim.webhooks.filter((w) => w.url.includes('/api/v1/webhooks/'));
    expect(sent.length).toBeGreaterThan(SCENARIOS.length * 3);
    expect(sent.filter((w) => w.status !== 200)).toEqual([]);
    expect(byScenario.get('human_yes')!.providerCallId).toBe(
      stack.sim.dials().find((d) => d.scenario === 'human_yes')!.providerCallId,
    );
  });
});

describe('Ultravox with duplicated, shuffled webhooks and AMD after the end', () => {
  const context = scenarioStack(SCENARIOS, {
    seed: 7,
    adversarial: { duplicateWebhooks: true, shuffle: true, amdAfterEnd: true },
  });

  it('still gives the right final record for every scenario', async () => {
    const { stack, apiKey } = context;
    const { byScenario } = await runScenarioCampaign(stack, apiKey, {
      provider: 'ultravox',
      scenarios: SCENARIOS,
    });
    expectScenarioRecords(stack, byScenario);
    await stack.sim.waitForIdle();
    const sent = stack.sim.webhooks.filter((w) => w.url.includes('/api/v1/webhooks/'));
    expect(sent.filter((w) => w.status !== 200).map((w) => [w.event, w.status, w.responseBody])).toEqual([]);
    // Every webhook was sent twice: one of each pair stored, the other a 2xx no-op.
    const duplicates = sent.filter((w) => w.responseBody?.includes('"duplicate":true'));
    expect(duplicates).toHaveLength(sent.length / 2);
    const callIds = [...byScenario.values()].map((c) => (c as { callId: string }).callId);
    const rows = await stack.db
      .selectFrom('webhook_inbox')
      .select('status')
      .where('call_id', 'in', callIds)
      .execute();
    expect(rows).toHaveLength(sent.length / 2);
  });
});
