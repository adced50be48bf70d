/**
 * The campaign on the Temporal dev server beside the Temporal server (v1.29.1 on Postgres), each
 * with one and then two worker processes, in one run.
 *
 *   npx tsx bench/engines/main.ts [count=1000] [maxConcurrentCalls=100] [engines=dev,server]
 *
 * Each engine gets its own embedded Postgres; the API and the simulator run in one process (the
 * edge), the workers in their own (tests/support/worker-process.ts, as `npm run worker` runs them).
 * Prints one figure line per engine, worker count and measure, then a table.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { startSystem } from '../../infra/stack/system';
import { startReadyProcess } from '../../tests/support/ready-process';
import { profileCalls } from '../campaign/call-profile';
import { runCampaignThroughApi } from '../campaign/run-campaign';
import { openEdge } from '../edge';
import { report } from '../report';

const count = Number(process.argv[2] ?? 1_000);
const window = Number(process.argv[3] ?? 100);
const engines = (process.argv[4] ?? 'dev,server').split(',') as ('dev' | 'server')[];
const WORKER_COUNTS = [1, 2];
const WORKER_ENTRY = join(__dirname, '..', '..', 'tests', 'support', 'worker-process.ts');
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

/** Peak resident memory of other processes, read from /proc every half second. */
class ProcessRss {
  private readonly peaks = new Map<number, number>();
  private readonly timer = setInterval(() => this.sample(), 500);
  constructor(private readonly pids: number[]) {
    this.sample();
  }
  private sample() {
    for (const pid of this.pids) {
      const kb = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (kb) this.peaks.set(pid, Math.max(this.peaks.get(pid) ?? 0, Number(kb)));
    }
  }
  stop(): number[] {
    this.sample();
    clearInterval(this.timer);
    return this.pids.map((pid) => Math.round((this.peaks.get(pid) ?? 0) / 1024));
  }
}

interface Figure {
  engine: string;
  workers: number;
  count: number;
  window: number;
  seconds: number;
  callsPerSecond: number;
  callsCompleted: number;
  maxCallWorkflowsInFlight: number;
  eventsPerCall: number;
  callLatencyP50Ms: number;
  workerPeakRssMb: number[];
}

async function benchEngine(kind: 'dev' | 'server'): Promise<Figure[]> {
  log(`engine ${kind}: starting`);
  const system = await startSystem({ engine: kind, postgres: 'embedded', dbPoolSize: 10, log });
  const stops: (() => Promise<unknown>)[] = [() => system.close()];
  const figures: Figure[] = [];
  try {
    const taskQueue = `bench-engines-${kind}`;
    const edge = await openEdge(
      {
        temporalAddress: system.temporal.address,
        databaseUrl: system.postgres.appUrl,
        env: { TEMPORAL_TASK_QUEUE: taskQueue },
        simulator: { scenario: 'human_yes', timing: { ringMs: 2, talkMs: 5, webhookDelayMs: 1 } },
      },
      'split',
    );
    stops.push(() => edge.close());
    for (const workers of WORKER_COUNTS) {
      const env = {
        DATABASE_URL: system.postgres.appUrl,
        TEMPORAL_ADDRESS: system.temporal.address,
        TEMPORAL_TASK_QUEUE: taskQueue,
        ELEVENLABS_BASE_URL: edge.simUrl,
        PUBLIC_BASE_URL: edge.apiUrl,
        WORKER_DB_POOL_SIZE: '10',
      };
      const processes: ChildProcess[] = [];
      for (let i = 0; i < workers; i++) processes.push(await startReadyProcess(WORKER_ENTRY, [], env));
      const rss = new ProcessRss(processes.map((p) => p.pid!));
      try {
        const { apiKey } = await system.createTenant(`Bench ${kind} ${workers}`);
        const run = await runCampaignThroughApi({
          apiUrl: edge.apiUrl,
          apiKey,
          client: system.client,
          db: system.db,
          count,
          maxConcurrentCalls: window,
          log,
        });
        const workerPeakRssMb = rss.stop();
        const calls = await profileCalls(system.client, run.sampledWorkflowIds);
        const figure: Figure = {
          engine: kind,
          workers,
          count,
          window,
          seconds: round(run.seconds),
          callsPerSecond: round(run.callsPerSecond),
          callsCompleted: run.callsCompleted,
          maxCallWorkflowsInFlight: run.maxCallWorkflowsInFlight,
          eventsPerCall: calls.medianPerCall.events,
          callLatencyP50Ms: calls.latencyMs.p50,
          workerPeakRssMb,
        };
        log(JSON.stringify(figure));
        figures.push(figure);
      } finally {
        rss.stop();
        await Promise.all(processes.map(stopProcess));
      }
    }
  } finally {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  }
  return figures;
}

function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  return exited;
}

const round = (n: number) => Math.round(n * 100) / 100;

async function main() {
  installQuietRuntime(log);
  const figures: Figure[] = [];
  for (const kind of engines) figures.push(...(await benchEngine(kind)));
  report(
    'engines',
    figures.flatMap((f) => {
      const run = `${f.engine}, ${f.workers} worker${f.workers === 1 ? '' : 's'}`;
      return [
        { name: `${run}: calls`, value: f.callsPerSecond, unit: 'calls/s' },
        { name: `${run}: events per call`, value: f.eventsPerCall, unit: 'events' },
        { name: `${run}: call p50`, value: f.callLatencyP50Ms, unit: 'ms' },
        { name: `${run}: worker peak RSS`, value: Math.max(...f.workerPeakRssMb), unit: 'MB' },
      ];
    }),
    figures,
  );
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
