/**
 * A bench's edge process: the API and the simulator, apart from the worker as production runs them.
 * `openEdge` forks it (settings in BENCH_EDGE, requests over IPC) or, for `single`, starts it in
 * the bench's own process.
 */
import { fork } from 'node:child_process';
import type { SimulatorOptions } from '../infra/dev/simulator/server';
import { installQuietRuntime } from '../infra/stack/quiet-runtime';
import { startSystem } from '../infra/stack/system';

export interface EdgeSettings {
  temporalAddress: string;
  databaseUrl: string;
  env: Record<string, string>;
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

async function startEdge(settings: EdgeSettings) {
  const system = await startSystem({
    engine: { kind: 'external', address: settings.temporalAddress },
    postgres: { url: settings.databaseUrl },
    env: settings.env,
    api: {},
    simulator: settings.simulator,
    ...(settings.dbPoolSize ? { dbPoolSize: settings.dbPoolSize } : {}),
  });
  const { sim } = system;
  return {
    apiUrl: system.apiUrl,
    simUrl: sim.url,
    stats: () => ({ dials: sim.dials().length, maxLiveCalls: sim.maxConcurrentCalls() }),
    close: () => system.close(),
  };
}

/** The API and the simulator: a forked process (`split`, as deployed) or in this process. */
export async function openEdge(settings: EdgeSettings, layout: EdgeLayout): Promise<EdgeHandle> {
  if (layout === 'single') {
    const edge = await startEdge(settings);
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
  installQuietRuntime();
  const edge = await startEdge(JSON.parse(process.env.BENCH_EDGE ?? '{}') as EdgeSettings);
  const send = (reply: EdgeReply) => process.send?.(reply);
  process.on('message', (request: EdgeRequest) => {
    if (request.kind === 'stats') {
      send({ kind: 'stats', ...edge.stats(), rssMb: Math.round(process.memoryUsage().rss / 1024 / 1024) });
    } else {
      void edge.close().finally(() => process.exit(0));
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
