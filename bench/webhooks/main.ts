import 'reflect-metadata';
import { fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { Controller, HttpCode, Module, Post, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LOCAL_SECRETS } from '../../infra/stack/local-secrets';
import { startSystem } from '../../infra/stack/system';
import type { Database } from '../../schema/database';
import { cpuPerRequest, cpuSnapshot } from './cpu';
import { createLiveCalls } from './live-calls';
import { floorsModule } from './floors';
import type { LoadRequest, LoadResult } from './load';
import { report as printReport } from '../report';

const RATES = (process.env.BENCH_RATES ?? '100,250,500,1000').split(',').map(Number);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const SECRET = LOCAL_SECRETS.ELEVENLABS_WEBHOOK_SECRET;
/** Open call workflows that a share of the events name, so delivery signals as it does for real calls. */
const LIVE_CALLS = Number(process.env.BENCH_LIVE_CALLS ?? 100);
/** Every Nth event names a live call (delivered as one signal carrying its facts); 0 = none. */
const LIVE_EVERY = Number(process.env.BENCH_LIVE_EVERY ?? 10);
const DRAIN_TIMEOUT_MS = 40_000;
/**
 * Rounds at the maximum rate, each measuring webhook, bare and the floors back to back: this machine's
 * speed drifts by a third within minutes, so one round's ratio is judged by the median of several.
 */
const MAX_ROUNDS = Number(process.env.BENCH_MAX_ROUNDS ?? 3);
const WARM_UP_RATE = 300;
const WARM_UP_SECONDS = 3;

/** The baseline: the same framework and JSON parsing, no signature, no inbox, no Temporal. */
@Controller()
class BareController {
  @Post('bare')
  @HttpCode(200)
  bare() {
    return { received: true };
  }
}

@Module({ controllers: [BareController] })
class BareModule {}

function loadRun(request: LoadRequest): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    const child = fork(join(__dirname, 'load.ts'), [], { execArgv: ['--import', 'tsx'] });
    child.once('message', (message: LoadResult | { error: string }) =>
      'error' in message ? reject(new Error(message.error)) : resolve(message),
    );
    child.once('error', reject);
    child.send(request);
  });
}

/**
 * How the inbox kept up with one run: events not yet tried once when the load stopped, how long
 * until every event had its first delivery attempt, until every live-call event was delivered, and
 * until every event was settled (the rest end orphaned after the unmatched-retry schedule). Waiting
 * for that keeps one run's retries out of the next run's figures.
 */
async function drainOf(db: Database, runId: string, loadEndedAt: number) {
  const runRows = () =>
    db
      .selectFrom('webhook_inbox')
      .where('event_key', 'like', `post_call_transcription:conv_bench_${runId}_%`);
  const counts = () =>
    runRows()
      .select((eb) => [
        eb.fn.countAll<number>().as('stored'),
        eb.fn.count<number>('id').filterWhere('attempts', '=', 0).as('unattempted'),
        eb.fn.count<number>('id').filterWhere('call_id', 'is not', null).as('live'),
        eb.fn.count<number>('id').filterWhere('status', '=', 'delivered').as('delivered'),
        eb.fn.count<number>('id').filterWhere('status', '=', 'pending').as('pending'),
      ])
      .executeTakeFirstOrThrow();
  const atLoadEnd = await counts();
  let firstAttemptsDoneMs: number | null = null;
  let liveDeliveredMs: number | null = null;
  let settledMs: number | null = null;
  let last = atLoadEnd;
  while (Date.now() - loadEndedAt < DRAIN_TIMEOUT_MS && settledMs === null) {
    last = await counts();
    const elapsed = Date.now() - loadEndedAt;
    if (firstAttemptsDoneMs === null && Number(last.unattempted) === 0) firstAttemptsDoneMs = elapsed;
    if (liveDeliveredMs === null && Number(last.delivered) >= Number(last.live)) liveDeliveredMs = elapsed;
    if (Number(last.pending) === 0) settledMs = elapsed;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    stored: Number(last.stored),
    unattemptedAtLoadEnd: Number(atLoadEnd.unattempted),
    firstAttemptsDoneAfterLoadMs: firstAttemptsDoneMs,
    liveEvents: Number(last.live),
    liveDelivered: Number(last.delivered),
    liveDeliveredAfterLoadMs: liveDeliveredMs,
    allSettledAfterLoadMs: settledMs,
  };
}

async function urlOf(app: INestApplication): Promise<string> {
  await app.listen(0, '127.0.0.1');
  return (await app.getUrl()).replace('[::1]', '127.0.0.1');
}

async function main(): Promise<void> {
  const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);
  // The API answers the webhooks; its client connects over the native connection, as the API's does.
  const system = await startSystem({
    engine: 'dev',
    postgres: 'embedded',
    env: { NODE_ENV: 'production' },
    api: {},
    log,
  });
  const { db, client } = system;
  const pgDir = system.postgres.dataDir!;
  const temporalPid = system.temporal.pid;
  const apps: INestApplication[] = [];
  try {
    const bare = await NestFactory.create(BareModule, { rawBody: true, logger: false });
    apps.push(bare);
    const floors = await floorsModule(db, client);
    const floor = await NestFactory.create(floors.module, { rawBody: true, logger: false });
    apps.push(floor);
    const webhookUrl = `${system.apiUrl}/api/elevenlabs/webhook`;
    const bareUrl = `${await urlOf(bare)}/bare`;
    const floorUrl = await urlOf(floor);
    const storeFloorUrl = `${floorUrl}/store-floor`;
    const signalFloorUrl = `${floorUrl}/signal-floor`;

    const liveCallIds = LIVE_EVERY > 0 ? await createLiveCalls(db, client, LIVE_CALLS) : [];

    const runs: Record<string, (LoadResult & { cpuPerRequest: ReturnType<typeof cpuPerRequest> })[]> = {
      webhook: [],
      bare: [],
      storeFloor: [],
      signalFloor: [],
    };
    const drains: (Awaited<ReturnType<typeof drainOf>> & { rate: number })[] = [];
    // Unmeasured: every app's code paths compiled, the API's pools filled, the warm-up's inbox settled.
    const warmUp = { rate: WARM_UP_RATE, seconds: WARM_UP_SECONDS, connections: CONNECTIONS };
    const warmUpId = randomUUID().slice(0, 8);
    const signed = { secret: SECRET, liveCallIds, liveEvery: LIVE_EVERY };
    await loadRun({ ...warmUp, url: webhookUrl, runId: warmUpId, ...signed });
    await loadRun({ ...warmUp, url: bareUrl, runId: warmUpId });
    await loadRun({ ...warmUp, url: storeFloorUrl, runId: warmUpId });
    await loadRun({ ...warmUp, url: signalFloorUrl, runId: `${warmUpId}s`, ...signed });
    await drainOf(db, warmUpId, Date.now());
    for (const rate of [...RATES, ...Array<number>(MAX_ROUNDS).fill(0)]) {
      const endpoints = [
        ['webhook', webhookUrl],
        ['bare', bareUrl],
        // The floors matter only for the throughput ratio: measured at the maximum rate.
        ...(rate === 0
          ? ([
              ['storeFloor', storeFloorUrl],
              ['signalFloor', signalFloorUrl],
            ] as const)
          : []),
      ] as const;
      for (const [name, url] of endpoints) {
        const runId = randomUUID().slice(0, 8);
        const cpuBefore = await cpuSnapshot(pgDir, temporalPid);
        const loaded = await loadRun({
          url,
          rate,
          seconds: SECONDS,
          connections: CONNECTIONS,
          runId,
          // The signal floor takes the webhook's requests: the same events name the same live calls.
          ...(name === 'webhook' || name === 'signalFloor' ? signed : {}),
        });
        const result = {
          ...loaded,
          cpuPerRequest: cpuPerRequest(cpuBefore, await cpuSnapshot(pgDir, temporalPid), loaded.ok),
        };
        log(
          `${name} @ ${rate || 'max'} req/s: ${result.sustainedRps} ok/s, p50 ${result.latencyMs.p50} ms, p99 ${result.latencyMs.p99} ms, CPU ms/request ${JSON.stringify(result.cpuPerRequest)}`,
        );
        runs[name]!.push(result);
        if (name === 'webhook') {
          const drain = await drainOf(db, runId, Date.now());
          log(`inbox after ${rate || 'max'} req/s: ${JSON.stringify(drain)}`);
          drains.push({ rate, ...drain });
        }
        // Let the inbox deliveries of the last run settle before the next one.
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
    const inboxByStatus = await db
      .selectFrom('webhook_inbox')
      .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
      .groupBy('status')
      .execute();
    const atMax = (name: string) => runs[name]!.filter((r) => r.rate === 0);
    const rounds = atMax('bare').map((bare, i) => ({
      webhook: atMax('webhook')[i]!.sustainedRps,
      bare: bare.sustainedRps,
      storeFloor: atMax('storeFloor')[i]!.sustainedRps,
      signalFloor: atMax('signalFloor')[i]!.sustainedRps,
    }));
    const median = (values: number[]) =>
      [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)]!;
    const hundredths = (value: number) => Math.round(value * 100) / 100;
    const webhookRatio = median(rounds.map((round) => round.webhook / Math.max(1, round.bare)));
    const storeFloorRatio = median(rounds.map((round) => round.storeFloor / Math.max(1, round.bare)));
    const signalFloorRatio = median(rounds.map((round) => round.signalFloor / Math.max(1, round.bare)));
    const at500 = runs.webhook!.find((r) => r.rate === 500);
    const report = {
      benchmark: 'webhooks',
      endpoint: 'POST /api/elevenlabs/webhook (signed post_call_transcription, unique conversation ids)',
      liveCalls: `every ${LIVE_EVERY || 'no'}th event names one of ${liveCallIds.length} open call workflows (one signal each); the rest match no call and are orphaned as they are stored`,
      baseline: 'POST /bare on a NestJS app answering 200',
      storeFloorEndpoint:
        'POST /store-floor on a NestJS app that only stores each body (unique key, group commit) before answering',
      signalFloorEndpoint:
        "POST /signal-floor: the same store, then the live call an event names is signalled with its facts (no signature, match, delivery record or limit); the webhook's requests",
      signalFloorSignals: floors.signals,
      secondsPerRun: SECONDS,
      generators:
        "fixed rates: paced open loop, latency from each request's due time; max: autocannon closed loop; every request built (and signed) before its run",
      warmUp: `${WARM_UP_SECONDS} s at ${WARM_UP_RATE} req/s on each endpoint, not measured`,
      connections: CONNECTIONS,
      cpus: (await import('node:os')).cpus().length,
      node: process.version,
      rates: RATES,
      webhook: runs.webhook,
      bare: runs.bare,
      storeFloor: runs.storeFloor,
      signalFloor: runs.signalFloor,
      inboxDrain: drains,
      inboxByStatusAtEnd: Object.fromEntries(inboxByStatus.map((row) => [row.status, Number(row.n)])),
      maxRounds: rounds.map((round) => ({
        ...round,
        ratio: hundredths(round.webhook / Math.max(1, round.bare)),
        storeFloorRatio: hundredths(round.storeFloor / Math.max(1, round.bare)),
        signalFloorRatio: hundredths(round.signalFloor / Math.max(1, round.bare)),
      })),
      targets: {
        p99Under50msAt500: at500 ? at500.latencyMs.p99 < 50 && at500.non2xx === 0 : null,
        // The median round's; every round's is in `maxRounds`.
        maxThroughputRatio: hundredths(webhookRatio),
        atLeastHalfOfBare: webhookRatio >= 0.5,
        // What only storing each event before answering allows, next to the bare endpoint.
        storeFloorRatio: hundredths(storeFloorRatio),
        // What storing and signalling allow: any inbox keeping the contract does more than this.
        signalFloorRatio: hundredths(signalFloorRatio),
        ofSignalFloor: hundredths(
          median(rounds.map((round) => round.webhook / Math.max(1, round.signalFloor))),
        ),
      },
    };
    const bareMax = median(rounds.map((round) => round.bare));
    printReport(
      'webhooks',
      [
        { name: 'webhook at saturation', value: median(rounds.map((round) => round.webhook)), unit: 'req/s' },
        { name: 'bare 200 at saturation', value: bareMax, unit: 'req/s' },
        { name: 'webhook / bare', value: webhookRatio, unit: '×' },
        ...(at500 ? [{ name: 'webhook p99 at 500 req/s', value: at500.latencyMs.p99, unit: 'ms' }] : []),
      ],
      report,
    );
  } finally {
    for (const app of apps) await app.close();
    await system.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
