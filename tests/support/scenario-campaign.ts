import request from 'supertest';
import { afterAll, beforeAll, expect } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import type { SimulatorOptions } from '../../infra/dev/simulator/server';
import { createTenant, eventually, startTestStack, type TestStack } from './stack';
import { callWorkflowId } from '../../workflows/workflow-ids';

/** Seed 001's scenarios, which every provider plays: a person answers, or the dial fails, or a mailbox answers. */
export const SEED_SCENARIOS: readonly ScenarioName[] = [
  'human_yes',
  'busy',
  'no_answer',
  'invalid_number',
  'rejected',
  'voicemail_amd',
];

/** One contact per scenario; the last digit of the number picks the simulator's scenario. */
/**
 * One contact per scenario, its number ending in the scenario's index. `block` keeps a file's numbers
 * apart from other files' on the shared Postgres: an event the provider matches by phone alone must
 * find this file's live call, not one another file left unfinished.
 */
export function scenarioContacts(scenarios: readonly ScenarioName[], block = '100') {
  return scenarios.map((scenario, i) => ({
    scenario,
    e164: `+90532${block}000${i}`,
    local: `0532 ${block} 00 0${i}`,
  }));
}

export function scenarioRule(scenarios: readonly ScenarioName[]) {
  return (toNumber: string): ScenarioName =>
    scenarios[Number(toNumber.replace(/\D/g, '').slice(-1))] ?? 'human_yes';
}

/**
 * For one describe block: a test stack whose simulator plays `scenarios` by each number's last digit
 * (with `simulator`'s other options), and a tenant's API key. Read both inside the tests.
 */
export function scenarioStack(
  scenarios: readonly ScenarioName[],
  simulator: Partial<SimulatorOptions> = {},
): { stack: TestStack; apiKey: string } {
  const context = {} as { stack: TestStack; apiKey: string };
  beforeAll(async () => {
    context.stack = await startTestStack({ simulator: { scenario: scenarioRule(scenarios), ...simulator } });
    context.apiKey = (await createTenant(context.stack)).apiKey;
  });
  afterAll(async () => context.stack?.close());
  return context;
}

/** Each scenario's final record as `expected` has it, and exactly one dial per contact. */
export function expectRecordsAndOneDialEach(
  stack: TestStack,
  provider: CallItem['provider'],
  byScenario: Map<ScenarioName, CallItem>,
  expected: Partial<Record<ScenarioName, Partial<CallItem>>>,
): void {
  for (const [scenario, record] of byScenario) {
    expect(expected[scenario], `an expected record for ${scenario}`).toBeDefined();
    expect({ scenario, ...record }).toMatchObject({ scenario, provider, ...expected[scenario] });
  }
  const dials = stack.sim.dials();
  expect(dials).toHaveLength(byScenario.size);
  expect(new Set(dials.map((d) => d.callId)).size).toBe(byScenario.size);
}

export const SHORT_TIMING = {
  ringingTimeoutSeconds: 5,
  maxCallSeconds: 1,
  reconcileSeconds: 2,
  pollIntervalSeconds: 1,
  pollAttempts: 5,
};

export interface CallItem {
  callId: string;
  toNumber: string;
  provider: string;
  providerCallId: string | null;
  status: string;
  outcome: string | null;
  sipCode: number | null;
  hangupCause: string | null;
  amdStatus: string | null;
  endedAt: string | null;
}

/** Uploads a campaign with one contact per scenario, starts it and waits until every call is final. */
export async function runScenarioCampaign(
  stack: TestStack,
  apiKey: string,
  options: {
    provider: 'ultravox' | 'asterisk' | 'elevenlabs';
    scenarios: readonly ScenarioName[];
    timing?: Partial<typeof SHORT_TIMING>;
    timeoutMs?: number;
  },
): Promise<{ campaignId: string; byScenario: Map<ScenarioName, CallItem> }> {
  const api = request(stack.apiUrl);
  const contacts = scenarioContacts(options.scenarios);
  const csv = [
    'ad,telefon,tutar,son_odeme_tarihi',
    ...contacts.map((c, i) => `Kişi ${i},${c.local},${100 + i} TL,2026-12-0${i + 1}`),
  ].join('\n');
  const config = {
    name: `${options.provider} scenarios`,
    callType: 'BILLING_REMINDER',
    provider: options.provider,
    language: 'tr',
    defaultCountry: 'TR',
    timezone: 'Europe/Istanbul',
    callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
    maxConcurrentCalls: contacts.length,
    callsPerSecond: 20,
    retry: { maxAttempts: 1, busyDelayMinutes: 0, noAnswerDelayMinutes: 0, retryVoicemail: false },
    amd: { enabled: true, graceSeconds: 3 },
    timing: { ...SHORT_TIMING, ...options.timing },
    columnMapping: {
      phone: 'telefon',
      name: 'ad',
      variables: { amount: 'tutar', due_date: 'son_odeme_tarihi' },
    },
  };
  const created = await api
    .post('/v1/campaigns')
    .set('authorization', `Bearer ${apiKey}`)
    .field('config', JSON.stringify(config))
    .attach('file', Buffer.from(csv), 'contacts.csv');
  if (created.status !== 201 || created.body.report.valid !== contacts.length)
    throw new Error(`campaign creation failed: ${created.status} ${JSON.stringify(created.body)}`);
  const campaignId = created.body.id as string;
  await api.post(`/v1/campaigns/${campaignId}/start`).set('authorization', `Bearer ${apiKey}`).expect(200);
  await eventually(
    async () => {
      const res = await api.get(`/v1/campaigns/${campaignId}`).set('authorization', `Bearer ${apiKey}`);
      return res.body.status === 'completed' ? true : undefined;
    },
    options.timeoutMs ?? 60_000,
    `the ${options.provider} campaign to complete`,
  );
  const calls = await api
    .get(`/v1/campaigns/${campaignId}/calls`)
    .set('authorization', `Bearer ${apiKey}`)
    .expect(200);
  const byScenario = new Map<ScenarioName, CallItem>();
  for (const item of calls.body.items as CallItem[]) {
    const contact = contacts.find((c) => c.e164 === item.toNumber);
    if (contact) byScenario.set(contact.scenario, item);
  }
  for (const item of byScenario.values()) {
    if (item.outcome !== null) continue;
    // A call the campaign counted as done without a final record: say why, the assertion follows.
    const described = await stack.client.workflow.getHandle(callWorkflowId(item.callId)).describe();
    console.error(`call ${item.callId} not final: workflow ${described.status.name}`, item);
  }
  return { campaignId, byScenario };
}
