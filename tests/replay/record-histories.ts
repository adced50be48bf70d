import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import type { SimulatorOptions } from '../../infra/dev/simulator/server';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem, type System } from '../../infra/stack/system';
import {
  BILLING_CAMPAIGN,
  addToDnc,
  createDraftCampaign,
  startCall,
  type StartCallOptions,
} from '../support/calls';
import { transitionCampaign } from '../../schema/repositories/campaigns.repository';
import { campaignWorkflow } from '../../workflows/campaign.workflow';
import { campaignWorkflowId } from '../../workflows/workflow-ids';

/**
 * `npm run replay:record`: runs each representative call live (dev server, embedded Postgres,
 * provider simulator, the real worker) and writes its history to tests/replay/histories/<name>.json.
 * Re-run it after any change to workflow code that is meant to change histories; name scenarios
 * (`npm run replay:record -- human_hangs_up`) to record only those and keep the others as they are,
 * which is how a `patched()` change keeps its pre-patch histories under test.
 */
type Rig = 'plain' | 'amdAfterEnd' | 'transferAfterEnd';

interface Scenario {
  name: string;
  rig: Rig;
  dnc?: boolean;
  call: Pick<
    StartCallOptions,
    'scenario' | 'amd' | 'timing' | 'provider' | 'transferNumber' | 'transferCountries'
  >;
}

const AMD = { enabled: true, graceSeconds: 5 };
/** A person who asks for an agent, on a campaign whose transfer number is Turkish. */
const askAgent = (scenario: string, provider: 'ultravox' | 'asterisk'): Scenario['call'] => ({
  scenario,
  provider,
  transferNumber: '+905551112233',
});
const SCENARIOS: Scenario[] = [
  { name: 'human_yes', rig: 'plain', call: { scenario: 'human_yes' } },
  { name: 'human_hangs_up', rig: 'plain', call: { scenario: 'human_hangs_up' } },
  // Its closing turn writes to the DNC list after the answer.
  { name: 'human_dont_call', rig: 'plain', call: { scenario: 'human_dont_call' } },
  { name: 'voicemail_amd_before_end', rig: 'plain', call: { scenario: 'voicemail_amd', amd: AMD } },
  { name: 'voicemail_amd_after_end', rig: 'amdAfterEnd', call: { scenario: 'voicemail_amd', amd: AMD } },
  { name: 'busy', rig: 'plain', call: { scenario: 'busy' } },
  { name: 'no_answer', rig: 'plain', call: { scenario: 'no_answer' } },
  { name: 'dnc_blocked', rig: 'plain', dnc: true, call: { scenario: 'human_yes' } },
  // ASK_AGENT transferred by Ultravox's coldTransfer, confirmed by Asterisk.
  { name: 'ultravox_transfer', rig: 'plain', call: askAgent('human_agent', 'ultravox') },
  // The same, with Asterisk's confirmation after Ultravox's end: the workflow waits for it.
  {
    name: 'ultravox_transfer_confirmed_late',
    rig: 'transferAfterEnd',
    call: askAgent('human_agent', 'ultravox'),
  },
  {
    name: 'dial_result_unknown',
    rig: 'plain',
    call: { scenario: 'dial_network_failure', timing: { reconcileSeconds: 2 } },
  },
  // ASK_AGENT on an ARI call: the workflow has Asterisk dial the human, who answers (issue 24).
  { name: 'asterisk_transfer', rig: 'plain', call: askAgent('human_agent', 'asterisk') },
  // The human's line is busy: the callback the campaign falls back to.
  { name: 'asterisk_transfer_busy', rig: 'plain', call: askAgent('human_agent_busy', 'asterisk') },
  // Ultravox's REFER, then Asterisk's report of the human leg: answered with its talk time, or busy
  // and the callback (issue 24).
  { name: 'ultravox_transfer_human_leg', rig: 'plain', call: askAgent('human_agent', 'ultravox') },
  { name: 'ultravox_transfer_busy', rig: 'plain', call: askAgent('human_agent_busy', 'ultravox') },
  // The campaign's number is of a country it does not allow: refused, the callback (issue 24 item 4).
  {
    name: 'transfer_refused',
    rig: 'plain',
    call: {
      scenario: 'human_agent',
      provider: 'elevenlabs',
      transferNumber: '+12125550100',
      transferCountries: ['TR'],
    },
  },
];

/** A campaign of two: one answers YES, one is busy and is dialled again once its retry is due. */
const CAMPAIGN_SCENARIO = 'campaign_busy_retry';
/** A campaign's first run, continued as new after one call with that call still live (patched). */
const CARRIED_CALLS_SCENARIO = 'campaign_carries_live_calls';

const RIGS: Record<Rig, Partial<SimulatorOptions>> = {
  plain: {},
  amdAfterEnd: { adversarial: { amdAfterEnd: true } },
  transferAfterEnd: { adversarial: { transferAfterEnd: true, lateByMs: 2000 } },
};

/** One system per rig (API, simulator, worker on the rig's task queue) on one dev server and Postgres. */
async function startRigs(): Promise<{ rigs: Record<Rig, System>; close: () => Promise<void> }> {
  installQuietRuntime();
  const started: System[] = [];
  const close = async () => {
    for (const system of started.reverse()) await system.close();
  };
  try {
    for (const [rig, simulator] of Object.entries(RIGS) as [Rig, Partial<SimulatorOptions>][]) {
      const [first] = started;
      started.push(
        await startSystem({
          engine: first ? { kind: 'external', address: first.temporal.address } : 'dev',
          postgres: first ? { url: first.postgres.url, appUrl: first.postgres.appUrl } : 'embedded',
          // Recorded in clear, so a history reads in review; the replay test decodes it through the codec.
          env: { NODE_ENV: 'test', PAYLOAD_KEY_ID: undefined, PAYLOAD_KEYS: undefined },
          api: {},
          simulator,
          workers: { taskQueue: `local-${rig}` },
          log: (line) => console.log(`[record] ${line}`),
        }),
      );
    }
    const [plain, amdAfterEnd, transferAfterEnd] = started as [System, System, System];
    return { rigs: { plain, amdAfterEnd, transferAfterEnd }, close };
  } catch (error) {
    await close();
    throw error;
  }
}

async function main(only: string[]): Promise<void> {
  const unknown = only.filter(
    (name) =>
      name !== CAMPAIGN_SCENARIO &&
      name !== CARRIED_CALLS_SCENARIO &&
      !SCENARIOS.some((s) => s.name === name),
  );
  if (unknown.length > 0) throw new Error(`Unknown scenario ${unknown.join(', ')}`);
  const { rigs, close } = await startRigs();
  try {
    const system = rigs.plain;
    const { client, apiUrl, db } = system;
    const { tenantId, apiKey } = await system.createTenant('Local');
    const phones = SCENARIOS.map((_, i) => `0532 123 45 ${String(10 + i)}`);
    const { campaignId, contacts } = await createDraftCampaign({ apiUrl, db }, apiKey, phones);
    const out = join(__dirname, 'histories');
    await mkdir(out, { recursive: true });
    for (const [i, scenario] of SCENARIOS.entries()) {
      if (only.length > 0 && !only.includes(scenario.name)) continue;
      const contact = contacts[i]!;
      if (scenario.dnc) await addToDnc({ apiUrl }, apiKey, contact.phone);
      const { taskQueue } = rigs[scenario.rig];
      const handle = await startCall(
        { client, taskQueue },
        { tenantId, campaignId, contact, callId: randomUUID(), taskQueue, ...scenario.call },
      );
      const result = await handle.result();
      const history = await handle.fetchHistory();
      await writeFile(join(out, `${scenario.name}.json`), `${historyJson(history)}\n`);
      console.log(
        `[record] ${scenario.name}: ${handle.workflowId} → ${result.status}/${result.outcome ?? '-'} (${history.events?.length ?? 0} events)`,
      );
    }
    if (only.length === 0 || only.includes(CAMPAIGN_SCENARIO)) await recordCampaign(system, apiKey, out);
    if (only.length === 0 || only.includes(CARRIED_CALLS_SCENARIO)) {
      await recordCarriedCalls(system, tenantId, apiKey, out);
    }
  } finally {
    await close();
  }
}

/** The campaign workflow's history, from upload and start through the API to its completion. */
async function recordCampaign(system: System, apiKey: string, out: string): Promise<void> {
  const { apiUrl, client } = system;
  const auth = { authorization: `Bearer ${apiKey}` };
  const form = new FormData();
  form.set(
    'config',
    JSON.stringify({
      ...BILLING_CAMPAIGN,
      name: 'replay campaign',
      maxConcurrentCalls: 2,
      callsPerSecond: 5,
      amd: { enabled: false, graceSeconds: 0 },
      retry: { maxAttempts: 2, busyDelayMinutes: 0.05, noAnswerDelayMinutes: 1, retryVoicemail: false },
    }),
  );
  const csv = ['ad,telefon,amount,due_date,scenario', 'Ayşe,0532 123 46 01,100 TL,2026-12-01,human_yes'];
  csv.push('Mehmet,0532 123 46 02,200 TL,2026-12-01,busy');
  form.set('file', new Blob([csv.join('\n')], { type: 'text/csv' }), 'contacts.csv');
  const created = await fetch(`${apiUrl}/v1/campaigns`, { method: 'POST', headers: auth, body: form });
  if (created.status !== 201) throw new Error(`campaign upload failed: ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const started = await fetch(`${apiUrl}/v1/campaigns/${id}/start`, { method: 'POST', headers: auth });
  if (!started.ok) throw new Error(`campaign start failed: ${await started.text()}`);
  const handle = client.workflow.getHandle(campaignWorkflowId(id));
  await handle.result();
  const history = await handle.fetchHistory();
  await writeFile(join(out, `${CAMPAIGN_SCENARIO}.json`), `${historyJson(history)}\n`);
  console.log(`[record] ${CAMPAIGN_SCENARIO}: ${handle.workflowId} (${history.events?.length ?? 0} events)`);
}

/**
 * A campaign of two started directly (the API does not lower the per-run child limit) with one child
 * per run: its first run hands its live call on to the next. The first run's history is kept.
 */
async function recordCarriedCalls(
  system: System,
  tenantId: string,
  apiKey: string,
  out: string,
): Promise<void> {
  const { apiUrl, client, db } = system;
  const { campaignId } = await createDraftCampaign({ apiUrl, db }, apiKey, [
    '0532 123 47 01',
    '0532 123 47 02',
  ]);
  if (!(await transitionCampaign(db, campaignId, ['draft'], 'running')))
    throw new Error('campaign did not start');
  const handle = await client.workflow.start(campaignWorkflow, {
    workflowId: campaignWorkflowId(campaignId),
    taskQueue: system.config.TEMPORAL_TASK_QUEUE,
    args: [
      {
        campaignId,
        tenantId,
        childrenPerRun: 1,
        settings: {
          callType: 'BILLING_REMINDER',
          provider: 'elevenlabs',
          language: 'tr',
          timezone: 'Europe/Istanbul',
          callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
          maxConcurrentCalls: 2,
          callsPerSecond: 5,
          retry: { maxAttempts: 1, busyDelayMinutes: 1, noAnswerDelayMinutes: 1, retryVoicemail: false },
          amd: { enabled: false, graceSeconds: 0 },
        },
      },
    ],
  });
  await handle.result();
  const history = await client.workflow
    .getHandle(handle.workflowId, handle.firstExecutionRunId)
    .fetchHistory();
  const carried = history.events?.some((e) => e.workflowExecutionContinuedAsNewEventAttributes);
  if (!carried) throw new Error('the first run did not continue as new');
  await writeFile(join(out, `${CARRIED_CALLS_SCENARIO}.json`), `${historyJson(history)}\n`);
  console.log(
    `[record] ${CARRIED_CALLS_SCENARIO}: ${handle.workflowId} (${history.events?.length ?? 0} events)`,
  );
}

/**
 * protobufjs JSON (enum names, int64 and bytes as strings), read back by History.fromObject. Not
 * historyToJSON: with @temporalio/common and @temporalio/proto each holding its own protobufjs copy
 * in this install, its instanceof check fails ("type must be a Type").
 */
function historyJson(history: temporal.api.history.v1.IHistory): string {
  const { History } = temporal.api.history.v1;
  const object = History.toObject(History.fromObject(history), {
    longs: String,
    enums: String,
    bytes: String,
  });
  return JSON.stringify(object, null, 1);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
