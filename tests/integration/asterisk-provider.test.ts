import { describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import {
  expectRecordsAndOneDialEach,
  runScenarioCampaign,
  scenarioStack,
  type CallItem,
} from '../support/scenario-campaign';
import type { TestStack } from '../support/stack';

const FAILURES: ScenarioName[] = ['busy', 'no_answer', 'invalid_number', 'rejected', 'voicemail_amd'];
const SCENARIOS: ScenarioName[] = ['human_yes', ...FAILURES, 'dial_network_failure'];

/**
 * Seed 001 §3c/§7.2 for ARI calls: the call-failed webhook's DIALSTATUS decides. Asterisk reports an
 * invalid number as CHANUNAVAIL and a decline as CONGESTION, both 503 in the seed's table.
 */
const EXPECTED: Partial<Record<ScenarioName, Partial<CallItem>>> = {
  human_yes: { status: 'completed', outcome: 'success', amdStatus: null },
  busy: { status: 'busy', outcome: 'busy', sipCode: 486 },
  no_answer: { status: 'no_answer', outcome: 'no_answer', sipCode: 480 },
  invalid_number: { status: 'failed', outcome: 'failed', sipCode: 503, hangupCause: 'channel unavailable' },
  rejected: { status: 'failed', outcome: 'failed', sipCode: 503, hangupCause: 'congestion' },
  voicemail_amd: {
    status: 'completed',
    outcome: 'voicemail',
    amdStatus: 'MACHINE',
    hangupCause: 'AMD:MAXWORDS-6-5',
  },
  // The originate's answer was lost: never sent again, and the channel's own end is recorded.
  dial_network_failure: { status: 'completed', outcome: 'success' },
};

function expectRecords(stack: TestStack, scenarios: ScenarioName[], byScenario: Map<ScenarioName, CallItem>) {
  expect(byScenario.size).toBe(scenarios.length);
  expectRecordsAndOneDialEach(stack, 'asterisk', byScenario, EXPECTED);
  // The channel id is our call id.
  for (const record of byScenario.values()) expect(record.providerCallId).toBe(record.callId);
  for (const req of stack.sim.requests.filter((r) => r.method === 'POST' && r.path === '/ari/channels')) {
    expect(req.query).toMatchObject({ context: 'ai-outbound', extension: 's' });
    // A Local channel, so that a failed dial runs the dialplan that posts call-failed.
    expect(req.query.endpoint).toMatch(/^Local\/90532\d{7}@outdial-dial\/n$/);
    expect((req.body as { variables: Record<string, string> }).variables).toMatchObject({
      _VOICEAI_UUID: req.query.channelId,
      _SIP_TRUNK: 'trunk',
    });
  }
}

describe('Asterisk ARI through the real adapter and the simulator', () => {
  const context = scenarioStack(SCENARIOS);

  // ARI sends no end-of-call webhook: a normal call's end is seen by polling the channel after
  // the workflow's fixed margin (ring + max call + 60 s), hence the long timeout.
  it('records every seed 001 scenario', { timeout: 150_000 }, async () => {
    const { stack, apiKey } = context;
    const { byScenario } = await runScenarioCampaign(stack, apiKey, {
      provider: 'asterisk',
      scenarios: SCENARIOS,
      timeoutMs: 130_000,
    });
    expectRecords(stack, SCENARIOS, byScenario);
    await stack.sim.waitForIdle();
    const sent = stack.sim.webhooks.filter((w) => w.url.includes('/api/v1/webhooks/'));
    expect(sent.map((w) => w.event).sort()).toEqual([
      'amd-result',
      'call-failed',
      'call-failed',
      'call-failed',
      'call-failed',
    ]);
    expect(sent.every((w) => w.status === 200)).toBe(true);
  });
});

describe('Asterisk with duplicated, shuffled webhooks and AMD after the end', () => {
  const context = scenarioStack(FAILURES, {
    seed: 11,
    adversarial: { duplicateWebhooks: true, shuffle: true, amdAfterEnd: true },
  });

  it('still gives the right final record', async () => {
    const { stack, apiKey } = context;
    const { byScenario } = await runScenarioCampaign(stack, apiKey, {
      provider: 'asterisk',
      scenarios: FAILURES,
    });
    expectRecords(stack, FAILURES, byScenario);
    await stack.sim.waitForIdle();
    const sent = stack.sim.webhooks.filter((w) => w.url.includes('/api/v1/webhooks/'));
    expect(sent).toHaveLength(FAILURES.length * 2);
    expect(sent.filter((w) => w.responseBody?.includes('"duplicate":true'))).toHaveLength(FAILURES.length);
    const callIds = [...byScenario.values()].map((c) => c.callId);
    const rows = await stack.db
      .selectFrom('webhook_inbox')
      .select(['event_key', 'status'])
      .where('provider', '=', 'asterisk')
      .where('call_id', 'in', callIds)
      .execute();
    expect(rows).toHaveLength(FAILURES.length);
  });
});
