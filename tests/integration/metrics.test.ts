import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../infra/dev/simulator/scenarios';
import { runScenarioCampaign, scenarioRule } from '../support/scenario-campaign';
import { createTenant, startTestStack, TEST_SECRETS, type TestStack } from '../support/stack';

const SCENARIOS: ScenarioName[] = ['human_yes', 'busy', 'voicemail_amd'];

/** One sample of the exposition text: `name{labels} value`. */
interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) return [];
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1]!, m[2]!]),
    );
    return [{ name: match[1]!, labels, value: Number(match[3]) }];
  });
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('metrics (issue 23)', () => {
  const context = {} as { stack: TestStack; apiKey: string };
  beforeAll(async () => {
    context.stack = await startTestStack({
      simulator: { scenario: scenarioRule(SCENARIOS) },
      runtimeMetrics: true,
    });
    context.apiKey = (await createTenant(context.stack)).apiKey;
  });
  afterAll(async () => context.stack?.close());
  const scrape = async () =>
    parseExposition((await request(context.stack.apiUrl).get('/metrics').expect(200)).text);

  it(
    'moves each business metric as its event happens, beside the Temporal runtime metrics',
    { timeout: 90_000 },
    async () => {
      const { stack, apiKey } = context;
      const before = await scrape();
      await runScenarioCampaign(stack, apiKey, { provider: 'elevenlabs', scenarios: SCENARIOS });
      await stack.sim.waitForIdle();
      // A refused and a malformed webhook.
      await request(stack.apiUrl)
        .post('/api/v1/webhooks/amd-result')
        .set('x-webhook-token', 'wrong-token-of-some-length')
        .send({ uuid: randomUUID(), status: 'MACHINE' })
        .expect(401);
      await request(stack.apiUrl)
        .post('/api/v1/webhooks/amd-result')
        .set('x-webhook-token', TEST_SECRETS.ASTERISK_WEBHOOK_TOKEN)
        .send({ status: 'ROBOT' })
        .expect(400);
      const after = await scrape();
      const moved = (name: string, labels: Record<string, string> = {}) =>
        total(after, name, labels) - total(before, name, labels);

      const provider = { provider: 'elevenlabs' };
      expect(moved('outdial_import_rows_total', { result: 'kept' })).toBe(SCENARIOS.length);
      expect(moved('outdial_import_seconds_count')).toBe(1);
      expect(moved('outdial_calls_dialled_total', provider)).toBe(SCENARIOS.length);
      // The person and the mailbox answer; busy does not.
      expect(moved('outdial_calls_answered_total', provider)).toBe(2);
      expect(moved('outdial_dial_to_answer_seconds_count', provider)).toBe(2);
      expect(moved('outdial_calls_finished_total', { ...provider, outcome: 'success' })).toBe(1);
      expect(moved('outdial_calls_finished_total', { ...provider, outcome: 'busy' })).toBe(1);
      expect(moved('outdial_calls_finished_total', { ...provider, outcome: 'voicemail' })).toBe(1);
      expect(moved('outdial_flow_turn_seconds_count', { result: 'answered' })).toBeGreaterThan(0);
      expect(
        moved('outdial_webhooks_received_total', { provider: 'elevenlabs', result: 'accepted' }),
      ).toBeGreaterThan(0);
      expect(moved('outdial_webhooks_received_total', { provider: 'asterisk', result: 'refused' })).toBe(1);
      expect(moved('outdial_webhooks_received_total', { provider: 'asterisk', result: 'malformed' })).toBe(1);
      expect(moved('outdial_webhook_deliveries_total', { result: 'delivered' })).toBeGreaterThan(0);
      expect(after.some((s) => s.name === 'outdial_webhook_inbox_depth')).toBe(true);
      // The SDK's own: workflow task and activity latency, task slots, the sticky cache.
      for (const name of [
        'temporal_workflow_task_execution_latency_seconds_count',
        'temporal_activity_execution_latency_seconds_count',
        'temporal_worker_task_slots_available',
        'temporal_sticky_cache_size',
      ]) {
        expect(
          after.some((s) => s.name === name),
          name,
        ).toBe(true);
      }
      expect(total(after, 'outdial_process_resident_memory_bytes')).toBeGreaterThan(0);

      // The dashboard and the alert rules chart only metrics that exist. A runtime counter is exported
      // from its first increment, so those that count failures are absent from a healthy run.
      const FAILURE_ONLY = new Set(['temporal_request_failure_total', 'temporal_long_request_failure_total']);
      const exported = new Set(after.map((sample) => sample.name));
      for (const file of ['alerts.yml', 'grafana-dashboard.json']) {
        const text = readFileSync(join(__dirname, '..', '..', 'infra', 'observability', file), 'utf8');
        const used = new Set(text.match(/\b(outdial|temporal)_[a-z0-9_]+/g));
        expect(used.size, file).toBeGreaterThan(5);
        for (const name of used) {
          if (!FAILURE_ONLY.has(name)) expect(exported.has(name), `${file}: ${name}`).toBe(true);
        }
      }
    },
  );
});
