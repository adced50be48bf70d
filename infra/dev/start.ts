import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Runtime } from '@temporalio/worker';
import { parseConfig } from '../config/config';
import { createLogger, prettyLogs } from '../logging/logger';
import { temporalLogger } from '../logging/temporal-logger';
import { startTracing } from '../tracing/tracing';
import { LOCAL_SECRETS } from '../stack/local-secrets';
import { temporalCampaignCallsUrl } from '../../api/campaigns/views';
import { hashPassword } from '../../api/auth/passwords';
import type { ImportReport } from '../../api/import/types';
import { createApiKey } from '../../schema/repositories/tenants.repository';
import { findUserForLogin, insertUser, resetUserPassword } from '../../schema/repositories/users.repository';
import { DataDirInUseError } from '../stack/data-dir';
import { chosenEngine } from '../stack/engine-choice';
import { freePort, PortTakenError } from '../stack/ports';
import { startSystem, type System } from '../stack/system';
import { ensureConsoleBuilt } from '../web/build-console';
import { runtimeMetricsTelemetry } from '../metrics/runtime-metrics';

/**
 * `npm start`: the whole system on embedded defaults — Postgres, the Temporal dev server, the
 * worker, the API, the provider simulator — then a demo campaign. Ctrl-C stops everything.
 *
 *   --engine server    a real Temporal server on Postgres instead of the dev server (OUTDIAL_TEMPORAL_ENGINE)
 *   --no-demo, --exit-after-demo
 *   --free-ports       free ports for the Temporal frontend and UI, the simulator and (without PORT) the API
 *   --data-dir=<dir>   where Postgres and Temporal keep their data (.data); one running stack per directory
 */

const ROOT = join(__dirname, '..', '..');
const argv = process.argv.slice(2);
const args = new Set(argv);
const dataDirArg = argv.find((arg) => arg.startsWith('--data-dir='))?.slice('--data-dir='.length);
const log = (line: string) => console.log(`[outdial] ${line}`);

/** The default port, or a free one (0) with --free-ports; a port the environment names wins. */
function port(fromEnv: string | undefined, fixed: number): number {
  if (fromEnv) return Number(fromEnv);
  return args.has('--free-ports') ? 0 : fixed;
}

async function main(): Promise<void> {
  const settings = parseConfig({ ...LOCAL_SECRETS, ...process.env });
  startTracing({ serviceName: 'outdial', otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT });
  const logs = { level: settings.LOG_LEVEL, pretty: prettyLogs(settings) };
  Runtime.install({
    logger: temporalLogger(createLogger({ service: 'worker', ...logs })),
    // The in-process workers' runtime metrics, which the API's /metrics includes.
    telemetryOptions: runtimeMetricsTelemetry(
      Number(process.env.TEMPORAL_METRICS_PORT ?? 0) || (await freePort()),
    ),
  });
  const env = process.env;
  const engine = chosenEngine(argv, env);
  const started = Date.now();
  // Before the API starts, which serves the console it finds built.
  await ensureConsoleBuilt(log);
  const starting = startSystem({
    engine: env.TEMPORAL_ADDRESS
      ? { kind: 'external', address: env.TEMPORAL_ADDRESS }
      : engine === 'server'
        ? { kind: 'server', port: port(undefined, 7233) }
        : { kind: 'dev', port: port(undefined, 7233), uiPort: port(undefined, 8233) },
    postgres: env.DATABASE_URL
      ? { url: env.MIGRATION_DATABASE_URL ?? env.DATABASE_URL, appUrl: env.DATABASE_URL, migrate: true }
      : 'embedded',
    dataDir: resolve(dataDirArg ?? join(ROOT, '.data')),
    env,
    api: { port: port(env.PORT, 3000), logger: createLogger({ service: 'api', ...logs }) },
    // Providers with real credentials are used as they are; the simulator plays the others.
    ...(env.ELEVENLABS_API_KEY
      ? {}
      : {
          simulator: {
            port: port(env.SIMULATOR_PORT, 4010),
            timing: { ringMs: 1500, talkMs: 3000, webhookDelayMs: 300 },
            seed: 7,
          },
        }),
    workers: {},
    log,
  });
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log('shutting down...');
    const system = await starting.catch(() => undefined);
    await system?.close();
    process.exit(code);
  };
  process.once('SIGINT', () => void shutdown(0));
  process.once('SIGTERM', () => void shutdown(0));

  try {
    const system = await starting;
    const { config, apiUrl } = system;
    log(`API ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);

    console.log(`
  Console              ${apiUrl}/
  API docs (OpenAPI)   ${apiUrl}/docs
  Health               ${apiUrl}/readyz
  Temporal UI          ${engine === 'server' && !env.TEMPORAL_UI_URL ? 'none (the server engine runs no UI)' : config.TEMPORAL_UI_URL}
  Temporal frontend    ${config.TEMPORAL_ADDRESS}
  Admin token          ${config.ADMIN_TOKEN}
`);
    const demo = await demoTenant(system);
    console.log(`  Console sign-in      ${DEMO_EMAIL} / ${demo.password}\n`);
    if (!args.has('--no-demo')) await runDemo(system, demo, started);
    if (args.has('--exit-after-demo')) return void (await shutdown(0));
    log('Stack is up. Press Ctrl-C to stop.');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    if (error instanceof PortTakenError) console.error('`npm start -- --free-ports` picks free ports.');
    if (error instanceof DataDirInUseError)
      console.error(
        '`npm start -- --free-ports --data-dir=<another directory>` runs a second stack beside it.',
      );
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

const DEMO_EMAIL = 'demo@outdial.local';

/**
 * The demo tenant and its admin login: made on the first start, reused later (with a new API key
 * and a new password, printed, since only their hashes are kept).
 */
async function demoTenant(system: System): Promise<{ tenantId: string; apiKey: string; password: string }> {
  const password = randomBytes(9).toString('base64url');
  const passwordHash = await hashPassword(password);
  const existing = await findUserForLogin(system.db, DEMO_EMAIL);
  if (existing) {
    await resetUserPassword(system.db, existing.id, passwordHash);
    return {
      tenantId: existing.tenantId,
      apiKey: (await createApiKey(system.db, existing.tenantId)).apiKey,
      password,
    };
  }
  const tenant = await system.createTenant('Demo tenant');
  await insertUser(system.db, { tenantId: tenant.tenantId, email: DEMO_EMAIL, passwordHash, role: 'admin' });
  return { ...tenant, password };
}

async function runDemo(system: System, tenant: { apiKey: string }, started: number): Promise<void> {
  const { apiUrl, config } = system;
  const call = async (method: string, path: string, token: string, body?: FormData) => {
    const response = await fetch(`${apiUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
      ...(body ? { body } : {}),
    });
    const json = (await response.json()) as Record<string, unknown>;
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${JSON.stringify(json)}`);
    return json;
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
