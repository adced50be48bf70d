import { randomUUID } from 'node:crypto';
import { createDraftCampaign, startCall } from '../../tests/support/calls';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem } from '../../infra/stack/system';
import { percentile } from '../percentile';
import { report } from '../report';

/**
 * Time from the provider's final webhook leaving the simulator to the call's final record being
 * committed (call_attempts.updated_at of the finalized row), over a batch of calls through the whole
 * system: signed webhook → inbox → signal → workflow → finalizeCall activity. Prints JSON.
 * `npm run bench -- call-latency [calls] [concurrency]`.
 */
const CALLS = Number(process.argv[2] ?? 60);
const CONCURRENCY = Number(process.argv[3] ?? 10);
const SCENARIOS = ['human_yes', 'human_no', 'busy', 'no_answer', 'voicemail_agent'];
const FINAL_EVENTS = new Set(['post_call_transcription', 'call_initiation_failure']);

async function main(): Promise<void> {
  installQuietRuntime();
  const system = await startSystem({
    engine: 'dev',
    postgres: 'embedded',
    env: { NODE_ENV: 'test' },
    api: {},
    simulator: { timing: { ringMs: 100, talkMs: 300, webhookDelayMs: 20 } },
    workers: { taskQueue: 'local-bench' },
  });
  try {
    const { client, db, apiUrl, sim, taskQueue } = system;
    const { tenantId, apiKey } = await system.createTenant('Local');
    const phones = Array.from({ length: CALLS }, (_, i) => `0532 2${String(i).padStart(2, '0')} 45 67`);
    const { campaignId, contacts } = await createDraftCampaign({ apiUrl, db }, apiKey, phones);
    const callIds: string[] = [];
    let next = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < contacts.length) {
          const i = next++;
          const callId = randomUUID();
          callIds.push(callId);
          const handle = await startCall(
            { client, taskQueue },
            {
              tenantId,
              campaignId,
              contact: contacts[i]!,
              callId,
              taskQueue,
              scenario: SCENARIOS[i % SCENARIOS.length]!,
            },
          );
          await handle.result();
        }
      }),
    );
    const wallMs = Date.now() - started;
    const rows = await db
      .selectFrom('call_attempts')
      .select(['id', 'updated_at', 'status'])
      .where('id', 'in', callIds)
      .execute();
    const latencies: number[] = [];
    const byScenario: Record<string, number[]> = {};
    for (const row of rows) {
      const finals = sim.webhooks.filter((w) => w.callId === row.id && FINAL_EVENTS.has(w.event));
      const last = finals.at(-1);
      if (!last) continue;
      const ms = row.updated_at.getTime() - last.sentAt;
      latencies.push(ms);
      const scenario = sim.dials().find((d) => d.callId === row.id)?.scenario ?? 'unknown';
      (byScenario[scenario] ??= []).push(ms);
    }
    latencies.sort((a, b) => a - b);
    const mean = latencies.reduce((sum, ms) => sum + ms, 0) / latencies.length;
    const figures = [
      { name: 'webhook-to-record p50', value: percentile(latencies, 50), unit: 'ms' },
      { name: 'webhook-to-record p90', value: percentile(latencies, 90), unit: 'ms' },
      { name: 'webhook-to-record p99', value: percentile(latencies, 99), unit: 'ms' },
    ];
    report('call-latency', figures, {
      benchmark: 'call-latency',
      what: 'final provider webhook sent → final call record committed (ms)',
      calls: CALLS,
      concurrency: CONCURRENCY,
      measured: latencies.length,
      p50: percentile(latencies, 50),
      p90: percentile(latencies, 90),
      p99: percentile(latencies, 99),
      max: latencies.at(-1),
      mean: Math.round(mean),
      p50ByScenario: Object.fromEntries(
        Object.entries(byScenario).map(([name, values]) => [
          name,
          percentile(
            values.sort((a, b) => a - b),
            50,
          ),
        ]),
      ),
      wallMs,
      dials: sim.dials().length,
    });
    if (latencies.length !== CALLS || sim.dials().length !== CALLS) process.exitCode = 1;
  } finally {
    await system.close();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
