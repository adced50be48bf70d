/**
 * The bench's edge process: the API and the simulator, apart from the worker as production runs
 * them. Started by main.ts with fork(); settings come in BENCH_EDGE, requests over IPC.
 */
import { Client, Connection } from '@temporalio/client';
import { createApiApp } from '../../api/create-app';
import { parseConfig } from '../../infra/config';
import { startSimulator } from '../../infra/simulator/server';
import { createDatabase } from '../../schema/database';

export interface EdgeSettings {
  env: Record<string, string>;
  secrets: {
    ELEVENLABS_WEBHOOK_SECRET: string;
    ELEVENLABS_TOOL_SECRET: string;
    ULTRAVOX_WEBHOOK_SECRET: string;
    ASTERISK_WEBHOOK_TOKEN: string;
  };
}

export type EdgeReply =
  | { kind: 'ready'; apiUrl: string; simUrl: string }
  | { kind: 'stats'; dials: number; maxLiveCalls: number; rssMb: number };

export type EdgeRequest = { kind: 'stats' } | { kind: 'close' };

export async function startEdge(
  settings: EdgeSettings,
  client: Client,
  db: ReturnType<typeof createDatabase>,
) {
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
    scenario: 'human_yes',
    timing: { ringMs: 2, talkMs: 5, webhookDelayMs: 1 },
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

async function main() {
  const settings = JSON.parse(process.env.BENCH_EDGE ?? '{}') as EdgeSettings;
  const connection = await Connection.connect({ address: settings.env.TEMPORAL_ADDRESS });
  const db = createDatabase(settings.env.DATABASE_URL ?? '', 10);
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
