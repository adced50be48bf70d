/**
 * Campaign throughput next to a bare fan-out, on one dev server in one run.
 *
 *   npx tsx bench/campaign/main.ts [count=10000] [maxConcurrentCalls=200] [split|single]
 *
 * Prints JSON: calls completed per second through the campaign workflow (real call workflows,
 * activities, Postgres, the API's webhook inbox and an instant simulator) and no-op children per
 * second through a bare parent, with the worker's RSS, and the minimal-call floor: the same parent
 * starting children that do only what an answered call must (a dial, one turn as an update,
 * the end as a signal). By default the API and the simulator run in a
 * second process, as deployed; `single` keeps them in the worker's process.
 */
import { sql } from 'kysely';
import { NativeConnection, Worker } from '@temporalio/worker';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { benchPostgres } from '../bench-postgres';
import { startSystem } from '../../infra/stack/system';
import { profileCalls } from './call-profile';
import { runCampaignThroughApi } from './run-campaign';
import { report } from '../report';
import { openEdge } from '../edge';
import { fanoutParent } from './fanout.workflows';
import { floorActivities } from './floor.activities';
import { temporalDataConverter } from '../../infra/config/temporal-connection';

const count = Number(process.argv[2] ?? 10_000);
const window = Number(process.argv[3] ?? 200);
const layout = process.argv[4] === 'single' ? 'single' : 'split';
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

class RssSampler {
  private peak = 0;
  private readonly samples: number[] = [];
  private readonly timer = setInterval(() => this.sample(), 500);
  constructor() {
    this.sample();
  }
  private sample() {
    const rss = process.memoryUsage().rss;
    this.samples.push(rss);
    this.peak = Math.max(this.peak, rss);
  }
  stop() {
    clearInterval(this.timer);
    this.sample();
    const mb = (n: number) => Math.round(n / 1024 / 1024);
    return { peakMb: mb(this.peak), endMb: mb(this.samples[this.samples.length - 1] ?? 0) };
  }
}

async function main() {
  installQuietRuntime(log);
  const system = await startSystem({
    engine: 'dev',
    postgres: benchPostgres(),
    dbPoolSize: 20,
    log,
  });
  const { client, db } = system;
  const stops: (() => Promise<unknown>)[] = [() => system.close()];
  try {
    const native = await NativeConnection.connect({ address: system.temporal.address });
    stops.push(() => native.close());

    // Bare fan-out first, on its own bundle and task queue; then the minimal-call floor (see
    // minimalCall) through the same parent.
    const fanoutWorker = await Worker.create({
      connection: native,
      taskQueue: 'bench-fanout',
      // The system's client encrypts the workflows' arguments.
      dataConverter: temporalDataConverter(system.config),
      workflowsPath: require.resolve('./fanout.workflows'),
      activities: floorActivities(client, (error) => log(`minimal call: ${String(error)}`)),
      maxCachedWorkflows: 2000,
    });
    const fanoutRss = new RssSampler();
    const fanoutRun = fanoutWorker.run();
    const fanOut = async (child: 'noopChild' | 'minimalCall') => {
      log(`fan-out: ${count} × ${child}, window ${window}`);
      const started = Date.now();
      const workflowId = `bench-fanout-${child}-${started}`;
      await client.workflow.execute(fanoutParent, {
        workflowId,
        taskQueue: 'bench-fanout',
        args: [{ count, window, perRun: 1000, child }],
      });
      return { seconds: (Date.now() - started) / 1000, workflowId };
    };
    const fanout = await fanOut('noopChild');
    const fanoutChildren = sampleIds(count, 50, (n) => `${fanout.workflowId}-child-${n}`);
    const fanoutMemory = fanoutRss.stop();
    const floor = await fanOut('minimalCall');
    const floorChildren = sampleIds(count, 50, (n) => `${floor.workflowId}-child-${n}`);
    fanoutWorker.shutdown();
    await fanoutRun;

    // The campaign: API and simulator in their own process (or in this one, `single`), the worker here.
    const taskQueue = 'bench-campaign';
    const edge = await openEdge(
      {
        temporalAddress: system.temporal.address,
        databaseUrl: system.postgres.appUrl,
        env: { TEMPORAL_TASK_QUEUE: taskQueue },
        simulator: { scenario: 'human_yes', timing: { ringMs: 2, talkMs: 5, webhookDelayMs: 1 } },
      },
      layout,
    );
    stops.push(() => edge.close());
    const { apiUrl } = edge;
    const workers = await startSystem({
      engine: { kind: 'external', address: system.temporal.address },
      postgres: { url: system.postgres.url, appUrl: system.postgres.appUrl },
      env: { ELEVENLABS_BASE_URL: edge.simUrl, PUBLIC_BASE_URL: apiUrl },
      workers: { taskQueue },
      dbPoolSize: 20,
    });
    stops.push(() => workers.close());

    const { apiKey } = await system.createTenant('Bench');
    const campaignRss = new RssSampler();
    const campaign = await runCampaignThroughApi({
      apiUrl,
      apiKey,
      client,
      db,
      count,
      maxConcurrentCalls: window,
      log,
    });
    const campaignMemory = campaignRss.stop();
    const inbox = await db
      .selectFrom('webhook_inbox')
      .select((eb) => [
        'status',
        eb.fn.countAll<string>().as('n'),
        sql<number>`percentile_cont(0.5) within group (order by extract(epoch from delivered_at - received_at) * 1000)`.as(
          'p50Ms',
        ),
        sql<number>`count(*) filter (where attempts > 1)`.as('retried'),
      ])
      .groupBy('status')
      .execute();
    const callCosts = await profileCalls(client, campaign.sampledWorkflowIds);
    const noopCosts = await profileCalls(client, fanoutChildren);
    const floorCosts = await profileCalls(client, floorChildren);

    const edgeStats = await edge.stats();
    const fanoutRate = count / fanout.seconds;
    const campaignRate = campaign.callsPerSecond;
    const floorRate = count / floor.seconds;
    report(
      'campaign',
      [
        { name: 'campaign calls', value: campaignRate, unit: 'calls/s' },
        { name: 'minimal answered call floor', value: floorRate, unit: 'calls/s' },
        { name: 'bare no-op fan-out', value: fanoutRate, unit: 'children/s' },
        { name: 'campaign / minimal call', value: campaignRate / floorRate, unit: '×' },
        { name: 'events per answered call', value: callCosts.medianPerCall.events, unit: 'events' },
        { name: 'worker peak RSS', value: campaignMemory.peakMb, unit: 'MB' },
      ],
      {
        count,
        window,
        cores: (await import('node:os')).cpus().length,
        fanout: { seconds: round(fanout.seconds), childrenPerSecond: round(fanoutRate), rss: fanoutMemory },
        campaign: {
          seconds: round(campaign.seconds),
          callsCompleted: campaign.callsCompleted,
          outcomes: campaign.outcomes,
          dials: edgeStats.dials,
          callsPerSecond: round(campaignRate),
          maxLiveCalls: edgeStats.maxLiveCalls,
          maxCallWorkflowsInFlight: campaign.maxCallWorkflowsInFlight,
          layout,
          workerRss: campaignMemory,
          ...(layout === 'split' ? { apiAndSimulatorRssMb: edgeStats.rssMb } : {}),
          calls: callCosts,
          inbox,
        },
        noopChild: noopCosts,
        minimalCallFloor: {
          what: 'the least an answered call does: a dial (a local activity making no request), one update (a turn) and one signal (the end)',
          seconds: round(floor.seconds),
          childrenPerSecond: round(count / floor.seconds),
          ratio: round(count / floor.seconds / fanoutRate),
          children: floorCosts,
        },
        ratio: round(campaignRate / fanoutRate),
        rssNote:
          layout === 'split'
            ? 'workerRss: the worker process alone; the API and simulator ran in a second process'
            : 'workerRss: worker, API and simulator share one Node process',
      },
    );
  } catch (error) {
    log(`failed: ${String(error)}`);
    throw error;
  } finally {
    for (const stop of stops.reverse())
      await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  }
}

/** Up to `size` distinct ids out of `count`, spread over the run. */
function sampleIds(count: number, size: number, id: (n: number) => string): string[] {
  const step = Math.max(1, Math.floor(count / size));
  return Array.from({ length: Math.min(size, count) }, (_, i) => id(i * step));
}

const round = (n: number) => Math.round(n * 100) / 100;

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
