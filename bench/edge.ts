/**
 * A bench's edge process: the API and the simulator, apart from the worker as production runs them.
 * `openEdge` forks it (settings in BENCH_EDGE, requests over IPC) or, for `single`, starts it in
 * the bench's own process.
 */
import { fork } from 'node:child_process';
import { Client, Connection } from '@temporalio/client';
import { createApiApp } from '../api/create-app';
import { parseConfig } from '../infra/config/config';
import { startSimulator, type SimulatorOptions } from '../infra/dev/simulator/server';
import { createDatabase, type Database } from '../schema/database';

export interface EdgeSettings {
  env: Record<string, string>;
  secrets: {
    ELEVENLABS_WEBHOOK_SECRET: string;
    ELEVENLABS_TOOL_SECRET: string;
    ULTRAVOX_WEBHOOK_SECRET: string;
    ASTERISK_WEBHOOK_TOKEN: string;
  };
  simulator: Pick<SimulatorOptions, 'scenario' | 'timing'>;
  dbPoolSize?: number;
}

export type EdgeLayout = 'split' | 'single';

type EdgeReply =
  | { kind: 'ready'; apiUrl: string; simUrl: string }
  | { kind: 'stats'; dials: number; maxLiveCalls: number; rssMb: number };

type EdgeRequest = { kind: 'stats' } | { kind: 'close' };

export interface EdgeHandle {
  apiUrl: string;
  simUrl: string;
  stats(): Promise<{ dials: number; maxLiveCalls: number; rssMb: number }>;
  close(): Promise<unknown>;
}

async function startEdge(settings: EdgeSettings, client: Client, db: Database) {
  const app = await createApiApp(
    { config: parseConfig(settings.env), db, temporal: client },
    { logger: false },
  );
  await app.listen(0, '127.0.0.1');
  const apiUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  const sim = await startSimulator({
    webhookBaseUrl: apiUrl,
    elevenlabsWebhookSecret: settings.secrets.ELEVENLABS_WEBHOOK_SECRET,
    elevenlabsToolSecret: settings.secrets.ELEVENLABS_TOOL_SECRET,
    ultravoxWebhookSecret: settings.secrets.ULTRAVOX_WEBHOOK_SECRET,
    asteriskWebhookToken: settings.secrets.ASTERISK_WEBHOOK_TOKEN,
    ...settings.simulator,
  });
  return {
    apiUrl,
    simUrl: sim.url,
    stats: () => ({ dials: sim.dials().length, maxLiveCalls: sim.maxConcurrentCalls() }),
    close: async () => {
      await sim.close();
      await app.close();
    },
  };
}

/** The API and the simulator: a forked process (`split`, as deployed) or in this process. */
export async function openEdge(
  settings: EdgeSettings,
  layout: EdgeLayout,
  client: Client,
  db: Database,
): Promise<EdgeHandle> {
  if (layout === 'single') {
    const edge = await startEdge(settings, client, db);
    const rssMb = Math.round(process.memoryUsage().rss / 1024 / 1024);
    return { ...edge, stats: () => Promise.resolve({ ...edge.stats(), rssMb }) };
  }
  const child = fork(__filename, [], {
    execArgv: ['--import', 'tsx'],
    env: { ...process.env, BENCH_EDGE: JSON.stringify(settings) },
  });
  const next = () =>
    new Promise<EdgeReply>((resolve, reject) => {
      child.once('message', (reply: EdgeReply) => resolve(reply));
      child.once('exit', (code) => reject(new Error(`edge process exited with ${code}`)));
    });
  const ready = await next();
  if (ready.kind !== 'ready') throw new Error('edge process did not start');
  const ask = (request: EdgeRequest) => child.send(request);
  return {
    apiUrl: ready.apiUrl,
    simUrl: ready.simUrl,
    stats: async () => {
      const reply = next();
      ask({ kind: 'stats' });
      const stats = await reply;
      if (stats.kind !== 'stats') throw new Error('edge process sent no stats');
      return stats;
    },
    close: () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      ask({ kind: 'close' });
      return exited;
    },
  };
}

async function main() {
  const settings = JSON.parse(process.env.BENCH_EDGE ?? '{}') as EdgeSettings;
  const connection = await Connection.connect({ address: settings.env.TEMPORAL_ADDRESS });
  const db = createDatabase(settings.env.DATABASE_URL ?? '', settings.dbPoolSize ?? 10);
  const edge = await startEdge(settings, new Client({ connection }), db);
  const send = (reply: EdgeReply) => process.send?.(reply);
  process.on('message', (request: EdgeRequest) => {
    if (request.kind === 'stats') {
      send({ kind: 'stats', ...edge.stats(), rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
    } else {
      void edge
        .close()
        .then(() => Promise.all([connection.close(), db.destroy()]))
        .finally(() => process.exit(0));
    }
  });
  send({ kind: 'ready', apiUrl: edge.apiUrl, simUrl: edge.simUrl });
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
