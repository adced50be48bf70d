import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import {
  expectRecordsAndOneDialEach,
  type CallItem,
  runScenarioCampaign,
  scenarioStack,
  SEED_SCENARIOS,
} from '../support/scenario-campaign';

const SCENARIOS: ScenarioName[] = [...SEED_SCENARIOS, 'voicemail_agent', 'dial_network_failure'];

/** The final record of each scenario placed through ElevenLabs (seed 001 §8's SIP and AMD tables). */
const EXPECTED: Partial<Record<ScenarioName, Partial<CallItem>>> = {
  human_yes: { status: 'completed', outcome: 'success', amdStatus: null },
  busy: { status: 'busy', outcome: 'busy', sipCode: 486, amdStatus: null },
  no_answer: { status: 'no_answer', outcome: 'no_answer', sipCode: 480, amdStatus: null },
  invalid_number: { status: 'failed', outcome: 'failed', sipCode: 404, amdStatus: null },
  // A failed initiation takes seed 001's dial-failure table (603: BUSY/BUSY), not Ultravox's FAILED/BUSY.
  rejected: { status: 'busy', outcome: 'busy', sipCode: 603, amdStatus: null },
  voicemail_amd: { status: 'completed', outcome: 'voicemail', amdStatus: 'MACHINE' },
  // The agent's voicemail_detection tool, with no AMD verdict at all.
  voicemail_agent: { status: 'completed', outcome: 'voicemail', amdStatus: null },
  // The dial's answer was lost: never dialled again, and the call's own end is recorded.
  dial_network_failure: { status: 'completed', outcome: 'success' },
};

describe('ElevenLabs through the real adapter and the simulator', () => {
  const context = scenarioStack(SCENARIOS);

  it('records every scenario from the signed post-call and initiation-failure webhooks', async () => {
    const { stack, apiKey } = context;
    const { byScenario } = await runScenarioCampaign(stack, apiKey, {
      provider: 'elevenlabs',
      scenarios: SCENARIOS,
    });
    expect(byScenario.size).toBe(SCENARIOS.length);
    expectRecordsAndOneDialEach(stack, 'elevenlabs', byScenario, EXPECTED);
    await stack.sim.waitForIdle();
    const sent = stack.sim.webhooks.filter((w) => w.url.includes('/api/elevenlabs/'));
    expect(sent.length).toBeGreaterThanOrEqual(SCENARIOS.length);
    expect(sent.filter((w) => w.status !== 200)).toEqual([]);
  });
});
