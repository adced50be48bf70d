import { mkdtemp, rm } from 'node:fs/promises';
import { applyNamespaceRetention, EMBEDDED_RETENTION_DAYS } from '../config/namespace-retention';
import { tmpdir } from 'node:os';
import { isAbsolute, join, relative, resolve } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import type { Client } from '@temporalio/client';
import { NativeConnection, type Worker, type WorkerOptions } from '@temporalio/worker';
import type { Logger } from 'pino';
import { sql } from 'kysely';
import { activityDepsFromConfig } from '../../activities';
import { createApiApp } from '../../api/create-app';
import { createDatabase, createSystemDatabase, type Database } from '../../schema/database';
import { migrateToLatest } from '../../schema/migrator';
import { createTenant } from '../../schema/repositories/tenants.repository';
import { createOutdialWorker } from '../../worker/create-worker';
import { parseConfig, type AppConfig } from '../config/config';
import {
  connectTemporalClient,
  temporalConnectionOptions,
  temporalDataConverter,
} from '../config/temporal-connection';
import { startSimulator, type Simulator, type SimulatorOptions } from '../dev/simulator/server';
import { claimDataDir, type DataDirClaim } from './data-dir';
import { LOCAL_SECRETS } from './local-secrets';
import { assertPortsFree, freePort } from './ports';
import { startPostgresProcess, type RestartablePostgres } from './postgres.process';
import { startTemporalDevServer } from './temporal-dev-server';
import { DEFAULT_HISTORY_SHARDS, startTemporalServer, type RestartableTemporal } from './temporal-server';
import { WorkerPool } from './worker-pool';

/** The Temporal CLI dev server. A port of 0 is picked free; the UI runs only when given a port. */
export interface DevEngine {
  kind: 'dev';
  port?: number;
  uiPort?: number | false;
}

/** A Temporal already running (another system's, or a cluster): used, never started or stopped. */
export interface ExternalEngine {
  kind: 'external';
  address: string;
}

/**
 * A real Temporal server on the system's Postgres (embedded or given), in databases of its own
 * (see temporal-server.ts). A port of 0 is picked free.
 */
export interface ServerEngine {
  kind: 'server';
  port?: number;
  historyShards?: number;
}

/** Where a system's Temporal comes from. */
export type EngineOption = 'dev' | 'server' | DevEngine | ServerEngine | ExternalEngine;
type Engine = DevEngine | ServerEngine | ExternalEngine;

/**
 * 'embedded': a real Postgres in a child process, migrated, the app connecting as `outdial_app`. A
 * given one is migrated (as `url`, the tables' owner) when asked; the app connects as `appUrl`,
 * else as the owner.
 */
export type PostgresOption = 'embedded' | { url: string; appUrl?: string; migrate?: boolean };

export interface SystemOptions {
  /** None: a system of Postgres alone. */
  engine?: EngineOption;
  postgres: PostgresOption;
  /**
   * Keeps the embedded Postgres (`pg/`), the dev server's history (`temporal.db`) and the Temporal
   * server's config (`temporal-server/`) here between runs, for one stack at a time; otherwise they
   * live in a temporary directory removed on close.
   */
  dataDir?: string;
  /** Settings as the environment gives them; LOCAL_SECRETS stand in for the secrets it lacks. */
  env?: Record<string, string | undefined>;
  /**
   * The HTTP API; a port of 0 (the default) is picked free. Its lines go to `logger` (createLogger),
   * none without it; the workers' go wherever the process's Temporal runtime sends its logger's.
   */
  api?: { port?: number; logger?: Logger };
  /** The provider simulator, standing in for every provider without credentials. */
  simulator?: Partial<SimulatorOptions>;
  /** Outdial workers in this process, on `taskQueue` (else the configured one). */
  workers?: { count?: number; taskQueue?: string; workflowBundle?: WorkerOptions['workflowBundle'] };
  dbPoolSize?: number;
  /** Progress lines: what started, where. Failures to stop go to stderr whatever this is. */
  log?: (line: string) => void;
}

export interface System {
  /** The settings the API and the workers run with. */
  readonly config: AppConfig;
  readonly taskQueue: string;
  /** The owner's pool, for tests and tools: the API and the workers connect as `postgres.appUrl`. */
  readonly db: Database;
  /** The pools the API and the workers use: createDatabase's and createSystemDatabase's. */
  readonly appDb: Database;
  readonly systemDb: Database;
  /** `dataDir` and `pid` belong to an embedded Postgres. */
  readonly postgres: { url: string; appUrl: string; dataDir?: string; pid?: number };
  // The parts below throw when read on a system started without them.
  readonly temporal: { address: string; uiUrl?: string; pid?: number };
  readonly client: Client;
  readonly app: INestApplication;
  readonly apiUrl: string;
  readonly sim: Simulator;
  readonly workers: readonly Worker[];
  /** Stops the workers (as a crash or a deploy would) and starts fresh ones on the same task queue. */
  restartWorker(options?: { downMs?: number }): Promise<void>;
  /** Stops the Temporal server this system started and starts it again on its address ('server' engine). */
  restartTemporal(options?: { downMs?: number }): Promise<void>;
  /** Stops the embedded Postgres (the app's and a Temporal server's databases) and starts it again on its URL. */
  restartPostgres(options?: { downMs?: number }): Promise<void>;
  /** A tenant and its API key, written as `POST /v1/admin/tenants` writes them. */
  createTenant(name?: string): Promise<{ tenantId: string; apiKey: string }>;
  /** Stops everything this system started, the last started first. */
  close(): Promise<void>;
}

/** What a system started, to be stopped in reverse order. */
class Stops {
  private readonly stops: { what: string; stop: () => Promise<unknown> }[] = [];

  push(what: string, stop: () => Promise<unknown>): void {
    this.stops.push({ what, stop });
  }

  /** A part that fails to stop is reported, and the rest still stop. */
  async run(): Promise<void> {
    for (let next = this.stops.pop(); next; next = this.stops.pop()) {
      await next
        .stop()
        .catch((error: unknown) =>
          console.error(`stopping ${next.what} failed:`, error instanceof Error ? error.message : error),
        );
    }
  }
}

/** Relative to the working directory when inside it, as `npm start` names `.data/pg`. */
function shown(path: string): string {
  const inside = relative(process.cwd(), path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

/** Where the simulator serves each provider the environment has no credentials for. */
function simulatorUrls(sim: Simulator, env: Record<string, string | undefined>): Record<string, string> {
  const urls: Record<string, string> = {};
  if (!env.ELEVENLABS_API_KEY) urls.ELEVENLABS_BASE_URL = sim.url;
  if (!env.ULTRAVOX_API_KEY) urls.ULTRAVOX_BASE_URL = env.ULTRAVOX_BASE_URL ?? sim.url;
  if (!env.ASTERISK_ARI_PASSWORD) urls.ASTERISK_ARI_URL = env.ASTERISK_ARI_URL ?? `${sim.url}/ari`;
  urls.LABEL_MODEL_BASE_URL = env.LABEL_MODEL_BASE_URL ?? sim.url;
  return urls;
}

/** The dev UI's origin as either name of this machine opens it. */
function uiOrigins(uiUrl: string): string {
  const { origin, port } = new URL(uiUrl);
  return `${origin},http://localhost:${port}`;
}

function fixedPorts(engine: Engine | undefined, options: SystemOptions) {
  const dev = engine?.kind === 'dev' ? engine : undefined;
  return [
    { port: engine?.kind === 'external' ? undefined : engine?.port, what: 'Temporal frontend' },
    { port: dev?.uiPort || undefined, what: 'Temporal UI' },
    { port: options.api?.port, what: 'API' },
    { port: options.simulator?.port, what: 'provider simulator' },
  ].filter((entry): entry is { port: number; what: string } => Boolean(entry.port));
}

/** Settles both, so that a failure of one still leaves the other's stop registered. */
async function both<A, B>(a: Promise<A>, b: Promise<B>): Promise<[A, B]> {
  const [ra, rb] = await Promise.allSettled([a, b]);
  if (ra.status === 'rejected') throw ra.reason;
  if (rb.status === 'rejected') throw rb.reason;
  return [ra.value, rb.value];
}

function missing(part: string): never {
  throw new Error(`this system runs no ${part}`);
}

/**
 * The one way Outdial is started on a developer's machine: `npm start`, every test tier, the replay
 * recorder and every benchmark. Starts the engine and Postgres (together), migrates, then the
 * simulator, the API and the workers asked for; production runs `npm run api` and `npm run worker`.
 */
export async function startSystem(options: SystemOptions): Promise<System> {
  const log = options.log ?? (() => {});
  const stops = new Stops();
  try {
    return await assemble(options, log, stops);
  } catch (error) {
    await stops.run();
    throw error;
  }
}

async function assemble(options: SystemOptions, log: (line: string) => void, stops: Stops): Promise<System> {
  const engine: Engine | undefined =
    options.engine === 'dev' || options.engine === 'server' ? { kind: options.engine } : options.engine;
  const startsEngine = engine?.kind === 'dev' || engine?.kind === 'server';
  let dir: string | undefined;
  let claim: DataDirClaim | undefined;
  if (options.dataDir && (options.postgres === 'embedded' || startsEngine)) {
    dir = resolve(options.dataDir);
    const claimed = await claimDataDir(dir, log);
    stops.push(`the claim on ${dir}`, () => claimed.release());
    claim = claimed;
  } else if (options.postgres === 'embedded' || engine?.kind === 'server') {
    const temporary = await mkdtemp(join(tmpdir(), 'outdial-'));
    stops.push(temporary, () => rm(temporary, { recursive: true, force: true }));
    dir = temporary;
  }
  // After the claim: the leftovers it stops may be what held these ports.
  await assertPortsFree(fixedPorts(engine, options));
  // The dev server's UI is told where the API's codec endpoint is, so the API's port comes first.
  const uiRuns = engine?.kind === 'dev' && engine.uiPort !== undefined && engine.uiPort !== false;
  const apiPort = options.api?.port || (options.api && uiRuns ? await freePort() : 0);

  let restartablePostgres: RestartablePostgres | undefined;
  let restartableTemporal: RestartableTemporal | undefined;
  const startPostgres = async () => {
    if (options.postgres !== 'embedded') {
      if (options.postgres.migrate) await migrate(options.postgres.url);
      log('Postgres (given by URL) ready');
      return { url: options.postgres.url, appUrl: options.postgres.appUrl ?? options.postgres.url };
    }
    const dataDir = join(dir!, 'pg');
    const pg = await startPostgresProcess({ dataDir, persistent: true });
    restartablePostgres = pg;
    stops.push('Postgres', () => pg.stop());
    await claim?.record('Postgres', pg.pid, 'SIGINT');
    await migrate(pg.url);
    const appUrl = await allowAppLogin(pg.url);
    log(`Postgres (embedded, data in ${shown(dataDir)}) ready`);
    return { url: pg.url, appUrl, dataDir, pid: pg.pid };
  };
  const startEngine = async (postgresReady: Promise<{ url: string }>) => {
    if (!engine || engine.kind === 'external') return engine && { address: engine.address };
    if (engine.kind === 'server') {
      const historyShards = engine.historyShards ?? DEFAULT_HISTORY_SHARDS;
      const temporal = await startTemporalServer({
        dir: join(dir!, 'temporal-server'),
        databaseUrl: (await postgresReady).url,
        port: engine.port ?? 0,
        namespace: options.env?.TEMPORAL_NAMESPACE ?? 'default',
        historyShards,
        log,
      });
      restartableTemporal = temporal;
      // Pushed after Postgres, so stopped before it.
      stops.push('the Temporal server', () => temporal.stop());
      await claim?.record('Temporal server', temporal.pid, 'SIGTERM');
      log(`Temporal server (Postgres, ${historyShards} history shards) ready on ${temporal.address}`);
      return { address: temporal.address, pid: temporal.pid };
    }
    const temporal = await startTemporalDevServer({
      ...(claim ? { dbFile: join(dir!, 'temporal.db') } : {}),
      port: engine.port ?? 0,
      uiPort: engine.uiPort ?? false,
      ...(options.api ? { uiCodecEndpoint: `http://127.0.0.1:${apiPort}/v1/admin/codec` } : {}),
      log,
    });
    stops.push('the Temporal dev server', () => temporal.stop());
    await claim?.record('Temporal dev server', temporal.pid, 'SIGTERM');
    log(`Temporal dev server ready on ${temporal.address}`);
    return { address: temporal.address, uiUrl: temporal.uiUrl, pid: temporal.pid };
  };
  // The dev server starts beside Postgres; the Temporal server keeps its history in it.
  const postgresReady = startPostgres();
  const [postgres, temporal] = await both(postgresReady, startEngine(postgresReady));

  // In system scope: an owner that is no superuser is held to the policies too (FORCE).
  const db = createSystemDatabase(postgres.url, options.dbPoolSize);
  stops.push('the database pool', () => db.destroy());
  const appDb = createDatabase(postgres.appUrl, options.dbPoolSize);
  stops.push("the app's database pool", () => appDb.destroy());
  const systemDb = createSystemDatabase(postgres.appUrl, options.dbPoolSize);
  stops.push("the app's system-scope pool", () => systemDb.destroy());
  const env: Record<string, string | undefined> = { ...LOCAL_SECRETS, ...options.env };
  let settings: Record<string, string | undefined> = {
    ...env,
    DATABASE_URL: postgres.appUrl,
    ...(temporal ? { TEMPORAL_ADDRESS: temporal.address } : {}),
    ...(temporal?.uiUrl && !env.TEMPORAL_UI_URL ? { TEMPORAL_UI_URL: temporal.uiUrl } : {}),
    ...(temporal?.uiUrl && !env.CODEC_UI_ORIGINS ? { CODEC_UI_ORIGINS: uiOrigins(temporal.uiUrl) } : {}),
    ...(options.workers?.taskQueue ? { TEMPORAL_TASK_QUEUE: options.workers.taskQueue } : {}),
  };

  let sim: Simulator | undefined;
  if (options.simulator) {
    const started = await startSimulator({
      // Retargeted at the API once it listens.
      webhookBaseUrl: 'http://127.0.0.1:9',
      elevenlabsWebhookSecret: env.ELEVENLABS_WEBHOOK_SECRET ?? '',
      elevenlabsToolSecret: env.ELEVENLABS_TOOL_SECRET ?? '',
      ultravoxWebhookSecret: env.ULTRAVOX_WEBHOOK_SECRET ?? '',
      asteriskWebhookToken: env.ASTERISK_WEBHOOK_TOKEN ?? '',
      ...options.simulator,
    });
    stops.push('the provider simulator', () => started.close());
    settings = { ...settings, ...simulatorUrls(started, env) };
    log(`Provider simulator (ElevenLabs, Ultravox, Asterisk ARI, label model) on ${started.url}`);
    sim = started;
  }

  const apiConfig = parseConfig(settings);
  let client: Client | undefined;
  if (temporal) {
    const connection = await connectTemporalClient(temporalConnectionOptions(apiConfig), {
      namespace: apiConfig.TEMPORAL_NAMESPACE,
      dataConverter: temporalDataConverter(apiConfig),
    });
    stops.push('the Temporal client', () => connection.close());
    client = connection.client;
    // An embedded engine's history would otherwise keep every call ever made.
    const retentionDays =
      apiConfig.TEMPORAL_RETENTION_DAYS ??
      (engine?.kind === 'external' ? undefined : EMBEDDED_RETENTION_DAYS);
    if (retentionDays !== undefined) await applyNamespaceRetention(client, retentionDays);
  }

  let app: INestApplication | undefined;
  let apiUrl: string | undefined;
  if (options.api) {
    const started = await createApiApp(
      {
        config: apiConfig,
        db: appDb,
        systemDb,
        temporal: client ?? missing('Temporal engine, which the API needs'),
      },
      { logger: options.api.logger ?? false },
    );
    await started.listen(apiPort, '127.0.0.1');
    stops.push('the API', () => started.close());
    apiUrl = (await started.getUrl()).replace('[::1]', '127.0.0.1');
    sim?.retarget(apiUrl);
    log(`API listening on ${apiUrl}`);
    app = started;
  }
  const config = parseConfig({ ...settings, PUBLIC_BASE_URL: env.PUBLIC_BASE_URL ?? apiUrl });

  let pool: WorkerPool | undefined;
  if (options.workers) {
    if (!temporal) missing('Temporal engine, which the workers need');
    const connection = await NativeConnection.connect(temporalConnectionOptions(config));
    stops.push("the workers' Temporal connection", () => connection.close());
    const bundle = options.workers.workflowBundle;
    const count = options.workers.count ?? 1;
    const started = new WorkerPool(
      () =>
        createOutdialWorker({
          connection,
          namespace: config.TEMPORAL_NAMESPACE,
          taskQueue: config.TEMPORAL_TASK_QUEUE,
          dataConverter: temporalDataConverter(config),
          deps: activityDepsFromConfig(systemDb, config),
          ...(bundle ? { workflowBundle: bundle } : {}),
        }),
      count,
    );
    // Stopped before the API and the simulator, so no activity outlives what it calls.
    stops.push('the workers', () => started.stop());
    await started.start();
    log(`${count === 1 ? 'Worker' : `${count} workers`} running on task queue ${config.TEMPORAL_TASK_QUEUE}`);
    pool = started;
  }

  return {
    config,
    taskQueue: config.TEMPORAL_TASK_QUEUE,
    db,
    appDb,
    systemDb,
    postgres,
    get temporal() {
      return temporal ?? missing('Temporal engine');
    },
    get client() {
      return client ?? missing('Temporal engine');
    },
    get app() {
      return app ?? missing('API');
    },
    get apiUrl() {
      return apiUrl ?? missing('API');
    },
    get sim() {
      return sim ?? missing('provider simulator');
    },
    get workers() {
      return pool?.workers ?? [];
    },
    restartWorker: async ({ downMs } = {}) => (pool ?? missing('worker')).restart(downMs),
    restartTemporal: async ({ downMs } = {}) => {
      const server = restartableTemporal ?? missing('Temporal server of its own');
      await server.restart(downMs);
      await claim?.record('Temporal server', server.pid, 'SIGTERM');
    },
    restartPostgres: async ({ downMs } = {}) => {
      const pg = restartablePostgres ?? missing('embedded Postgres');
      await pg.restart(downMs);
      await claim?.record('Postgres', pg.pid, 'SIGINT');
    },
    createTenant: (name = 'Acme') => createTenant(db, name),
    close: () => stops.run(),
  };
}

/** The embedded server's app role, which the migrations make without a login. */
async function allowAppLogin(ownerUrl: string): Promise<string> {
  const db = createDatabase(ownerUrl, 1);
  try {
    await sql`alter role outdial_app login password 'outdial'`.execute(db);
  } finally {
    await db.destroy();
  }
  const url = new URL(ownerUrl);
  url.username = 'outdial_app';
  url.password = 'outdial';
  return url.toString();
}

async function migrate(url: string): Promise<void> {
  const db = createSystemDatabase(url, 1);
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
}
