import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { temporalCampaignCallsUrl } from '../../api/campaigns/views';
import { createDatabase } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import type { ImportReport } from '../../api/import/types';
import { parseConfig } from '../config/config';
import { startLocalStack } from '../stack/local-stack';
import { startPostgres } from '../stack/postgres';
import { startPostgresProcess } from '../stack/postgres.process';
import { startTemporalDevServer, type RunningTemporal } from '../stack/temporal-dev-server';

/**
 * `npm start`: the whole system on embedded defaults — Postgres, the Temporal dev server, the
 * worker, the API, the provider simulator — then a demo campaign. Ctrl-C stops everything.
 */

const ROOT = join(__dirname, '..', '..');
const DATA = join(ROOT, '.data');
const args = new Set(process.argv.slice(2));
const log = (line: string) => console.log(`[outdial] ${line}`);

/** Development secrets, used only when the environment does not name its own. */
const DEV_DEFAULTS: Record<string, string> = {
  ADMIN_TOKEN: 'dev-admin-token-change-me',
  ELEVENLABS_WEBHOOK_SECRET: 'dev-elevenlabs-webhook-secret',
  ELEVENLABS_TOOL_SECRET: 'dev-elevenlabs-tool-secret',
  ULTRAVOX_WEBHOOK_SECRET: 'dev-ultravox-webhook-secret',
  ASTERISK_WEBHOOK_TOKEN: 'dev-asterisk-webhook-token',
};

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger(process.env.LOG_LEVEL === 'debug' ? 'DEBUG' : 'WARN') });
  const env: Record<string, string | undefined> = { ...DEV_DEFAULTS, ...process.env };
  const port = Number(env.PORT ?? 3000);
  const apiUrl = `http://127.0.0.1:${port}`;
  const stops: (() => Promise<void>)[] = [];
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('shutting down...');
    for (const stop of stops.reverse()) await stop().catch((e: unknown) => log(`stop failed: ${String(e)}`));
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    const started = Date.now();
    const postgres = env.DATABASE_URL
      ? await startPostgres({ databaseUrl: env.DATABASE_URL, dataDir: join(DATA, 'pg'), log })
      : await startPostgresProcess({ dataDir: join(DATA, 'pg'), persistent: true });
    stops.push(() => postgres.stop());
    log(`Postgres ${postgres.embedded ? '(embedded, data in .data/pg)' : '(DATABASE_URL)'} ready`);
    const migrator = createDatabase(postgres.url, 1);
    await migrateToLatest(migrator);
    await migrator.destroy();

    let temporal: RunningTemporal | undefined;
    if (!env.TEMPORAL_ADDRESS) {
      temporal = await startTemporalDevServer({
        dbFile: join(DATA, 'temporal.db'),
        port: 7233,
        uiPort: 8233,
        log,
      });
      stops.push(() => temporal!.stop());
      log(`Temporal dev server ready on ${temporal.address}`);
    }
    const temporalAddress = env.TEMPORAL_ADDRESS ?? temporal!.address;

    const stack = await startLocalStack({
      temporalAddress,
      databaseUrl: postgres.url,
      env,
      apiPort: port,
      apiLogs: true,
      // Providers with real credentials are used as they are; the simulator plays the others.
      simulator: env.ELEVENLABS_API_KEY
        ? false
        : {
            port: Number(env.SIMULATOR_PORT ?? 4010),
            timing: { ringMs: 1500, talkMs: 3000, webhookDelayMs: 300 },
            seed: 7,
          },
    });
    stops.push(() => stack.close());
    const { config } = stack;
    if (stack.sim)
      log(`Provider simulator (ElevenLabs, Ultravox, Asterisk ARI, label model) on ${stack.sim.url}`);
    log('Worker running');
    log(`API ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    console.log(`
  API docs (OpenAPI)   ${apiUrl}/docs
  Health               ${apiUrl}/readyz
  Temporal UI          ${config.TEMPORAL_UI_URL}
  Admin token          ${config.ADMIN_TOKEN}
`);
    if (!args.has('--no-demo')) await runDemo(apiUrl, config, started);
    if (args.has('--exit-after-demo')) return void (await shutdown(0));
    log('Stack is up. Press Ctrl-C to stop.');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    await shutdown(1);
  }
}

interface CallRow {
  toNumber: string;
  status: string;
  outcome: string | null;
  attempt: number;
  sipCode: number | null;
  amdStatus: string | null;
  durationSeconds: number | null;
}

async function runDemo(
  apiUrl: string,
  config: ReturnType<typeof parseConfig>,
  started: number,
): Promise<void> {
  const call = async (
    method: string,
    path: string,
    token: string,
    body?: string | FormData,
    type?: string,
  ) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(type ? { 'content-type': type } : {}) },
      ...(body ? { body } : {}),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
    return json;
  };
  const tenant = (await call(
    'POST',
    '/v1/admin/tenants',
    config.ADMIN_TOKEN,
    JSON.stringify({ name: 'Demo tenant' }),
    'application/json',
  )) as {
    apiKey: string;
  };
  const form = new FormData();
  form.set('config', await readFile(join(__dirname, 'demo', 'demo-campaign.json'), 'utf8'));
  form.set('file', new Blob([await readFile(join(__dirname, 'demo', 'contacts.csv'))]), 'contacts.csv');
  const campaign = (await call('POST', '/v1/campaigns', tenant.apiKey, form)) as {
    id: string;
    report: ImportReport;
  };
  const { report } = campaign;
  log(
    `Demo campaign ${campaign.id}: ${report.total} rows, ${report.valid} valid, ${report.invalid} invalid, ${report.duplicates} duplicate`,
  );
  for (const error of report.errors) log(`  row ${error.row}: ${error.code} (${error.value})`);
  await call('POST', `/v1/campaigns/${campaign.id}/start`, tenant.apiKey);
  console.log(`
  Demo tenant API key  ${tenant.apiKey}
  Demo campaign        ${apiUrl}/v1/campaigns/${campaign.id}   (Authorization: Bearer <API key>)
  Its calls (Temporal) ${temporalCampaignCallsUrl(config, campaign.id)}
`);

  let firstCompleted = false;
  for (;;) {
    const calls = (await call('GET', `/v1/campaigns/${campaign.id}/calls?limit=100`, tenant.apiKey)) as {
      items: CallRow[];
    };
    if (!firstCompleted && calls.items.some((c) => c.status === 'completed')) {
      firstCompleted = true;
      log(`First completed call ${((Date.now() - started) / 1000).toFixed(1)} s after start-up began`);
    }
    const current = (await call('GET', `/v1/campaigns/${campaign.id}`, tenant.apiKey)) as { status: string };
    if (current.status === 'completed' || current.status === 'cancelled') {
      log(`Demo campaign ${current.status}:`);
      console.table(
        calls.items.map((c) => ({
          number: c.toNumber,
          attempt: c.attempt,
          status: c.status,
          outcome: c.outcome,
          sip: c.sipCode,
          amd: c.amdStatus,
          seconds: c.durationSeconds,
        })),
      );
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

void main();
