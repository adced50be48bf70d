/**
 * Flow-turn latency: HTTP POST /api/elevenlabs/tools/flow_turn → Update → one transition (and its
 * actions) → HTTP answer, at 1, 10 and 50 concurrent calls, against a bare Update round trip on a
 * no-op workflow on the same server. Prints JSON.
 *
 *   npx tsx bench/flow-turn/main.ts [single|split]
 *
 * By default everything runs in this process: the API, the simulator, the workers (the call
 * workflows' and the no-op one) and the load. `split` puts the API and the simulator in a second
 * process, as deployed; on two cores that process's own overhead and the extra hop cost more than
 * the shared event loop does.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { NativeConnection, Worker, bundleWorkflowCode } from '@temporalio/worker';
import { LOCAL_SECRETS } from '../../infra/stack/local-secrets';
import { installQuietRuntime } from '../../infra/stack/quiet-runtime';
import { benchPostgres } from '../bench-postgres';
import { startSystem, type System } from '../../infra/stack/system';
import { flowTurnUpdate } from '../../workflows/call.messages';
import { benchNoopWorkflow, noopUpdate } from './noop.workflow';
import { openEdge } from '../edge';
import { percentile } from '../percentile';
import { callWorkflowId } from '../../workflows/workflow-ids';
import { temporalDataConverter } from '../../infra/config/temporal-connection';
import { report, type Figure } from '../report';

const LEVELS = [1, 10, 50];
const SAMPLES: Record<number, number> = { 1: 60, 10: 200, 50: 400 };
/** Each call takes two re-asks and a closing answer: three transitions. */
const TURNS_PER_CALL = 3;
const WARM_UP_TURNS = 15;
const CLOSING = ['evet', 'beni aramayın', 'daha sonra', 'temsilci', 'hayır'];

const layout = process.argv[2] === 'split' ? 'split' : 'single';
const TASK_QUEUE = 'outdial-bench';

const quiet = () => {};
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

function summary(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    n: sorted.length,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
  };
}

async function timed(run: () => Promise<void>): Promise<number> {
  const start = performance.now();
  await run();
  return performance.now() - start;
}

/** Runs `total` operations in rounds of `concurrency` parallel ones; returns each one's latency. */
async function rounds(
  concurrency: number,
  total: number,
  op: (slot: number) => Promise<void>,
): Promise<number[]> {
  const samples: number[] = [];
  let slot = 0;
  while (samples.length < total) {
    const batch = Array.from({ length: Math.min(concurrency, total - samples.length) }, () =>
      timed(() => op(slot++)),
    );
    samples.push(...(await Promise.all(batch)));
  }
  return samples;
}

async function main(): Promise<void> {
  installQuietRuntime(log);
  const system = await startSystem({
    engine: 'dev',
    postgres: benchPostgres(),
    dbPoolSize: 20,
    log,
  });
  const { client } = system;
  const stops: (() => Promise<unknown>)[] = [() => system.close()];
  try {
    const callsNeeded =
      2 * Math.ceil(Object.values(SAMPLES).reduce((a, b) => a + b, 0) / TURNS_PER_CALL) +
      WARM_UP_TURNS / TURNS_PER_CALL +
      10;
    const env = { NODE_ENV: 'production', TEMPORAL_TASK_QUEUE: TASK_QUEUE };
    const edge = await openEdge(
      {
        temporalAddress: system.temporal.address,
        databaseUrl: system.postgres.appUrl,
        env,
        // The simulated people never speak: the bench speaks for them.
        simulator: { scenario: 'human_yes', timing: { ringMs: 10, talkMs: 3_600_000, webhookDelayMs: 10 } },
        dbPoolSize: 20,
      },
      layout,
    );
    stops.unshift(() => edge.close());
    const { apiUrl } = edge;

    const workers = await startSystem({
      engine: { kind: 'external', address: system.temporal.address },
      postgres: { url: system.postgres.url, appUrl: system.postgres.appUrl },
      env: { ...env, ELEVENLABS_BASE_URL: edge.simUrl, PUBLIC_BASE_URL: apiUrl },
      workers: { taskQueue: TASK_QUEUE },
      dbPoolSize: 20,
    });
    stops.unshift(() => workers.close());
    const native = await NativeConnection.connect({ address: system.temporal.address });
    stops.unshift(() => native.close());
    const noopWorker = await Worker.create({
      connection: native,
      taskQueue: 'bench-noop',
      // The system's client encrypts the workflows' arguments.
      dataConverter: temporalDataConverter(system.config),
      workflowBundle: await bundleWorkflowCode({
        workflowsPath: require.resolve('./noop.workflow'),
        logger: { trace: quiet, debug: quiet, info: quiet, warn: quiet, error: log, log: quiet },
      }),
    });
    const noopRun = noopWorker.run();
    stops.unshift(async () => {
      noopWorker.shutdown();
      await noopRun;
    });

    log(`starting ${callsNeeded} calls`);
    const calls = await startCalls(system, apiUrl, callsNeeded);
    const noopIds = await Promise.all(
      Array.from({ length: 50 }, async (_, i) => {
        const id = `bench-noop-${i}-${randomUUID()}`;
        await client.workflow.start(benchNoopWorkflow, { taskQueue: 'bench-noop', workflowId: id });
        return id;
      }),
    );

    /** Each level gets its own conversations, taken round-robin so the ones in flight are distinct. */
    let offset = 0;
    /** Update-only latencies by turn: the first (it proves the answer), the re-ask, the closing answer. */
    const byTurn: Record<string, number[]> = { first: [], reask: [], closing: [] };
    const turnTaker = (turns: number, via: 'http' | 'client') => {
      const pool = calls.slice(offset, (offset += Math.ceil(turns / TURNS_PER_CALL)));
      const turnsTaken = new Map<string, number>();
      let next = 0;
      return async () => {
        const callId = pool[next++ % pool.length]!;
        const turn = turnsTaken.get(callId) ?? 0;
        if (turn >= TURNS_PER_CALL) throw new Error('bench ran out of conversations');
        turnsTaken.set(callId, turn + 1);
        const utterance = turn < TURNS_PER_CALL - 1 ? 'alo' : CLOSING[next % CLOSING.length]!;
        if (via === 'client') {
          const requestId = randomUUID();
          if (answeredTurns.length < 50 && turn === 0) answeredTurns.push({ callId, requestId });
          const startedAt = performance.now();
          await client.workflow
            .getHandle(callWorkflowId(callId))
            .executeUpdate(flowTurnUpdate, { updateId: requestId, args: [{ requestId, utterance }] });
          byTurn[turn === 0 ? 'first' : turn < TURNS_PER_CALL - 1 ? 'reask' : 'closing']!.push(
            performance.now() - startedAt,
          );
          return;
        }
        const res = await fetch(`${apiUrl}/api/elevenlabs/tools/flow_turn`, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-tool-secret': LOCAL_SECRETS.ELEVENLABS_TOOL_SECRET,
          },
          body: JSON.stringify({ call_id: callId, request_id: randomUUID(), utterance }),
        });
        if (res.status !== 200) throw new Error(`turn answered ${res.status}: ${await res.text()}`);
        await res.json();
      };
    };
    /**
     * A turn already answered, asked again under a new update id: the call workflow answers it from
     * memory, so this is the floor of an update on a call workflow (no transition, no commands).
     */
    const answeredTurns: { callId: string; requestId: string }[] = [];
    const repeatedTurn = async (slot: number) => {
      const { callId, requestId } = answeredTurns[slot % answeredTurns.length]!;
      await client.workflow
        .getHandle(callWorkflowId(callId))
        .executeUpdate(flowTurnUpdate, { updateId: randomUUID(), args: [{ requestId, utterance: 'alo' }] });
    };
    const bareUpdate = async (slot: number) => {
      const value = await client.workflow
        .getHandle(noopIds[slot % noopIds.length]!)
        .executeUpdate(noopUpdate, { args: ['x'], updateId: randomUUID() });
      if (value !== 'x') throw new Error('noop update answered wrongly');
    };

    // Warm both paths (connections, workflow caches, JIT); every no-op workflow once, as its first
    // update was seen to take over a second (the call workflows had theirs warmed by the dial).
    await rounds(5, noopIds.length, bareUpdate);
    await rounds(5, WARM_UP_TURNS, turnTaker(WARM_UP_TURNS, 'http'));
    const results: Record<string, unknown> = {};
    const figures: Figure[] = [];
    for (const level of LEVELS) {
      const bare = summary(await rounds(level, SAMPLES[level]!, bareUpdate));
      for (const kind of Object.keys(byTurn)) byTurn[kind] = [];
      const direct = summary(await rounds(level, SAMPLES[level]!, turnTaker(SAMPLES[level]!, 'client')));
      const turn = summary(await rounds(level, SAMPLES[level]!, turnTaker(SAMPLES[level]!, 'http')));
      const repeated = summary(await rounds(level, SAMPLES[level]!, repeatedTurn));
      results[`concurrency_${level}`] = {
        flowTurnHttpMs: turn,
        flowTurnUpdateOnlyMs: direct,
        answeredTurnAgainMs: repeated,
        flowTurnUpdateOnlyByTurnMs: Object.fromEntries(
          Object.entries(byTurn).map(([kind, samples]) => [kind, summary(samples)]),
        ),
        bareUpdateMs: bare,
        ratioP50: Math.round((turn.p50 / bare.p50) * 100) / 100,
        ratioP99: Math.round((turn.p99 / bare.p99) * 100) / 100,
        targetP99Under150ms: turn.p99 < 150,
        targetUnder1_5xBare: turn.p99 < 1.5 * bare.p99,
      };
      figures.push(
        { name: `turn p50 at ${level} concurrent`, value: turn.p50, unit: 'ms' },
        { name: `turn p99 at ${level} concurrent`, value: turn.p99, unit: 'ms' },
        { name: `bare update p99 at ${level} concurrent`, value: bare.p99, unit: 'ms' },
        { name: `turn/bare p99 at ${level} concurrent`, value: turn.p99 / bare.p99, unit: '×' },
      );
    }
    report('flow-turn', figures, {
      bench: 'flow-turn',
      layout,
      calls: calls.length,
      cpus: (await import('node:os')).cpus().length,
      results,
    });
  } finally {
    for (const stop of stops) await stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
  }
}

/** A campaign of `count` contacts; resolves with the call ids once every call is dialled. */
async function startCalls(system: System, apiUrl: string, count: number): Promise<string[]> {
  const { db } = system;
  const { apiKey } = await system.createTenant('bench');
  const rows = Array.from(
    { length: count },
    (_, i) => `Kişi ${i},+90532${String(1000000 + i).padStart(7, '0')},100 TL,2026-12-01`,
  );
  const form = new FormData();
  form.append(
    'config',
    JSON.stringify({
      name: 'bench',
      callType: 'BILLING_REMINDER',
      provider: 'elevenlabs',
      language: 'tr',
      defaultCountry: 'TR',
      timezone: 'Europe/Istanbul',
      callingWindow: { start: '00:00', end: '24:00', days: [1, 2, 3, 4, 5, 6, 7] },
      maxConcurrentCalls: count,
      callsPerSecond: 100,
      amd: { enabled: false, graceSeconds: 0 },
      // The calls are dialled together, so their ring-timeout checks (ElevenLabs reports no answer;
      // a call's first turn does) would fire together, mid-measurement: put them after it.
      timing: { ringingTimeoutSeconds: 120 },
      columnMapping: { phone: 'telefon', name: 'ad', variables: { amount: 'tutar', due_date: 'son' } },
    }),
  );
  form.append('file', new Blob([['ad,telefon,tutar,son', ...rows].join('\n')]), 'contacts.csv');
  const auth = { authorization: `Bearer ${apiKey}` };
  const created = (await (
    await fetch(`${apiUrl}/v1/campaigns`, { method: 'POST', headers: auth, body: form })
  ).json()) as { id: string };
  await fetch(`${apiUrl}/v1/campaigns/${created.id}/start`, { method: 'POST', headers: auth });
  const deadline = Date.now() + 120_000 + count * 500;
  for (;;) {
    const dialled = await db
      .selectFrom('call_attempts')
      .select('id')
      .where('campaign_id', '=', created.id)
      .where('provider_call_id', 'is not', null)
      .execute();
    if (dialled.length === count) return dialled.map((r) => r.id);
    if (Date.now() > deadline) throw new Error(`only ${dialled.length} of ${count} calls were dialled`);
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
