import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { providersFromConfig } from '../../activities/providers/from-config';
import { createApiApp } from '../../api/create-app';
import { parseConfig } from '../../infra/config';
import { startPostgres } from '../../infra/postgres';
import { startSimulator, type Simulator, type SimulatorOptions } from '../../infra/simulator/server';
import { startTemporalDevServer } from '../../infra/temporal-dev-server';
import { createDatabase } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import { createOutdialWorker } from '../../worker/create-worker';
import {
  WebhookBridge,
  addToDnc,
  createDraftCampaign,
  startCall,
  type StartCallOptions,
} from '../support/calls';

/**
 * `npm run replay:record`: runs each representative call live (dev server, embedded Postgres,
 * provider simulator, the real worker) and writes its history to tests/replay/histories/<name>.json.
 * Re-run it after any change to workflow code that is meant to change histories.
 */
const SECRETS = {
  ADMIN_TOKEN: 'replay-admin-token-0123456789',
  ELEVENLABS_WEBHOOK_SECRET: 'replay-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'replay-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'replay-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'replay-asterisk-webhook-token',
};

type Rig = 'plain' | 'amdAfterEnd';

interface Scenario {
  name: string;
  rig: Rig;
  dnc?: boolean;
  call: Pick<StartCallOptions, 'scenario' | 'amd' | 'timing'>;
}

const AMD = { enabled: true, graceSeconds: 5 };
const SCENARIOS: Scenario[] = [
  { name: 'human_yes', rig: 'plain', call: { scenario: 'human_yes' } },
  { name: 'voicemail_amd_before_end', rig: 'plain', call: { scenario: 'voicemail_amd', amd: AMD } },
  { name: 'voicemail_amd_after_end', rig: 'amdAfterEnd', call: { scenario: 'voicemail_amd', amd: AMD } },
  { name: 'busy', rig: 'plain', call: { scenario: 'busy' } },
  { name: 'no_answer', rig: 'plain', call: { scenario: 'no_answer' } },
  { name: 'dnc_blocked', rig: 'plain', dnc: true, call: { scenario: 'human_yes' } },
  {
    name: 'dial_result_unknown',
    rig: 'plain',
    call: { scenario: 'dial_network_failure', timing: { reconcileSeconds: 2 } },
  },
];

const RIGS: Record<Rig, Partial<SimulatorOptions>> = {
  plain: {},
  amdAfterEnd: { adversarial: { amdAfterEnd: true } },
};

async function main(): Promise<void> {
  const quiet = () => {};
  Runtime.install({
    logger: {
      log: quiet,
      trace: quiet,
      debug: quiet,
      info: quiet,
      warn: quiet,
      error: (m) => console.error(m),
    },
  });
  const dir = await mkdtemp(join(tmpdir(), 'outdial-replay-'));
  const log = (line: string) => console.log(`[record] ${line}`);
  const cleanups: (() => Promise<void>)[] = [async () => rm(dir, { recursive: true, force: true })];
  try {
    const temporal = await startTemporalDevServer({ uiPort: false, log });
    cleanups.unshift(() => temporal.stop());
    const postgres = await startPostgres({ dataDir: join(dir, 'pg'), persistent: false, log });
    cleanups.unshift(() => postgres.stop());
    const db = createDatabase(postgres.url);
    cleanups.unshift(() => db.destroy());
    await migrateToLatest(db);

    const connection = await Connection.connect({ address: temporal.address });
    cleanups.unshift(() => connection.close());
    const client = new Client({ connection });
    const env = {
      ...SECRETS,
      NODE_ENV: 'test',
      DATABASE_URL: postgres.url,
      TEMPORAL_ADDRESS: temporal.address,
    };
    const app = await createApiApp(
      { config: parseConfig({ ...env, ELEVENLABS_BASE_URL: 'http://127.0.0.1:9' }), db, temporal: client },
      { logger: false },
    );
    await app.listen(0, '127.0.0.1');
    cleanups.unshift(() => app.close());
    const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
    const bridge = await new WebhookBridge(SECRETS.ASTERISK_WEBHOOK_TOKEN).start();
    bridge.connect(apiUrl, client);
    cleanups.unshift(() => bridge.close());

    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    cleanups.unshift(() => nativeConnection.close());
    const rigs = {} as Record<Rig, { sim: Simulator; taskQueue: string }>;
    for (const [rig, simOptions] of Object.entries(RIGS) as [Rig, Partial<SimulatorOptions>][]) {
      const sim = await startSimulator({
        webhookBaseUrl: bridge.url,
        elevenlabsWebhookSecret: SECRETS.ELEVENLABS_WEBHOOK_SECRET,
        elevenlabsToolSecret: SECRETS.ELEVENLABS_TOOL_SECRET,
        ultravoxWebhookSecret: SECRETS.ULTRAVOX_WEBHOOK_SECRET,
        asteriskWebhookToken: SECRETS.ASTERISK_WEBHOOK_TOKEN,
        ...simOptions,
      });
      cleanups.unshift(() => sim.close());
      const taskQueue = `replay-${rig}`;
      const config = parseConfig({
        ...env,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ELEVENLABS_BASE_URL: sim.url,
        PUBLIC_BASE_URL: apiUrl,
      });
      const worker: Worker = await createOutdialWorker({
        connection: nativeConnection,
        namespace: 'default',
        taskQueue,
        deps: { db, providers: providersFromConfig(config) },
      });
      const running = worker.run();
      cleanups.unshift(async () => {
        worker.shutdown();
        await running;
      });
      rigs[rig] = { sim, taskQueue };
    }

    const admin = await fetch(`${apiUrl}/v1/admin/tenants`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRETS.ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Replay' }),
    });
    const { tenantId, apiKey } = (await admin.json()) as { tenantId: string; apiKey: string };
    const phones = SCENARIOS.map((_, i) => `0532 123 45 ${String(10 + i)}`);
    const { campaignId, contacts } = await createDraftCampaign({ apiUrl, db }, apiKey, phones);

    const out = join(__dirname, 'histories');
    await mkdir(out, { recursive: true });
    for (const [i, scenario] of SCENARIOS.entries()) {
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
      log(
        `${scenario.name}: ${handle.workflowId} → ${result.status}/${result.outcome ?? '-'} (${history.events?.length ?? 0} events)`,
      );
    }
  } finally {
    for (const cleanup of cleanups) await cleanup().catch((error: unknown) => console.error(error));
  }
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

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(1);
  },
);
