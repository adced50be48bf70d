import autocannon from 'autocannon';
import { signElevenLabs } from '../../infra/dev/simulator/webhook-signer';
import { percentile } from '../percentile';
import { pacedLoad, type PacedRequest } from './paced';

/** What the parent asks for: one run against one URL, paced at a rate or as fast as it answers. */
export interface LoadRequest {
  url: string;
  /** Requests per second over all connections; 0 = as fast as the server answers. */
  rate: number;
  seconds: number;
  connections: number;
  /** Sign ElevenLabs post-call webhooks with this secret, one conversation id per request. */
  secret?: string;
  runId: string;
  /** Every `liveEvery`th event names one of these calls (round robin); the rest match no call. */
  liveCallIds?: string[];
  liveEvery?: number;
}

export interface LoadResult {
  rate: number;
  generator: 'paced open loop' | 'autocannon closed loop';
  sustainedRps: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
  /** CPU the load generator itself used, per request sent: it shares the machine's cores. */
  generatorCpuMsPerRequest?: number;
}

function postCallBody(conversationId: string, callId: string | undefined): string {
  return JSON.stringify({
    type: 'post_call_transcription',
    event_timestamp: Math.floor(Date.now() / 1000),
    data: {
      agent_id: 'agent_outdial_demo',
      conversation_id: conversationId,
      status: 'done',
      transcript: [
        {
          role: 'agent',
          message: 'Merhaba Ayşe Hanım, 1250 TL tutarındaki faturanızı hatırlatmak için arıyoruz.',
          time_in_call_secs: 0,
        },
        { role: 'user', message: 'Alo, evet dinliyorum.', time_in_call_secs: 4 },
        {
          role: 'agent',
          message: 'Son ödeme tarihi 1 Aralık. Ödemeyi bu tarihe kadar yapabilecek misiniz?',
          time_in_call_secs: 6,
        },
        { role: 'user', message: 'Evet, yaparım.', time_in_call_secs: 11 },
      ],
      metadata: {
        start_time_unix_secs: Math.floor(Date.now() / 1000) - 20,
        call_duration_secs: 18,
        cost: 120,
      },
      analysis: { transcript_summary: 'The customer agreed to pay before the due date.' },
      conversation_initiation_client_data: {
        dynamic_variables: { name: 'Ayşe Yılmaz', amount: '1250 TL', ...(callId ? { call_id: callId } : {}) },
      },
    },
  });
}

/** The body and headers of the next request: a signed event, every `liveEvery`th naming a live call. */
function requestMaker(request: LoadRequest) {
  let counter = 0;
  return () => {
    counter += 1;
    const live = request.liveCallIds ?? [];
    const every = request.liveEvery ?? 0;
    const callId =
      live.length > 0 && every > 0 && counter % every === 0
        ? live[(counter / every) % live.length]
        : undefined;
    const body = postCallBody(`conv_bench_${request.runId}_${counter}`, callId);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (request.secret)
      headers['elevenlabs-signature'] = signElevenLabs(body, request.secret, Math.floor(Date.now() / 1000));
    return { body, headers };
  };
}

/** Unmeasured requests at the run's rate before the measured seconds (see paced.ts). */
const LEAD_IN_SECONDS = 1;
/** Requests built before a run at the maximum rate, per second of it: more than any endpoint here answers. */
const PREBUILT_PER_SECOND_AT_MAX = 6000;

/**
 * The requests of a run, built (bodies serialized, webhooks signed) before it starts: the generator
 * shares the machine's two cores with the servers, and signing on the fly would take CPU from the
 * signed endpoint's run that the bare endpoint's run does not lose. Past `count`, built as sent.
 */
function prebuilt(request: LoadRequest, count: number): () => PacedRequest {
  const make = requestMaker(request);
  const built = Array.from({ length: count }, make);
  let next = 0;
  return () => (next < built.length ? built[next++]! : make());
}

/** A steady rate: paced, open loop (see paced.ts). */
async function runAtRate(request: LoadRequest, nextRequest: () => PacedRequest): Promise<LoadResult> {
  const result = await pacedLoad({ ...request, leadInSeconds: LEAD_IN_SECONDS, nextRequest });
  const sorted = result.latenciesMs.sort((a, b) => a - b);
  return {
    rate: request.rate,
    generator: 'paced open loop',
    sustainedRps: Math.round(result.ok / request.seconds),
    sent: result.sent,
    ok: result.ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: 0,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p99: percentile(sorted, 99),
      max: percentile(sorted, 100),
      mean: Math.round((sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length)) * 100) / 100,
    },
  };
}

/** As fast as the server answers: autocannon, closed loop over all connections. */
async function runAtMax(request: LoadRequest, next: () => PacedRequest): Promise<LoadResult> {
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    requests: [{ method: 'POST', setupRequest: (req) => ({ ...req, ...next() }) }],
  });
  const ok = result['2xx'];
  return {
    rate: request.rate,
    generator: 'autocannon closed loop',
    sustainedRps: Math.round(ok / request.seconds),
    sent: result.requests.sent,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: Math.round(result.latency.mean * 100) / 100,
    },
  };
}

/** How many requests to build before a run: all of a paced run's, a generous share of one at the maximum. */
function prebuiltCount(request: LoadRequest): number {
  return request.rate > 0
    ? Math.round(request.rate * (LEAD_IN_SECONDS + request.seconds))
    : PREBUILT_PER_SECOND_AT_MAX * request.seconds;
}

// Runs in a child process so that the load generator does not share the servers' event loop.
process.on('message', (message: LoadRequest) => {
  const next = prebuilt(message, prebuiltCount(message));
  const cpuBefore = process.cpuUsage();
  (message.rate > 0 ? runAtRate(message, next) : runAtMax(message, next))
    .then((result) => {
      const cpu = process.cpuUsage(cpuBefore);
      const perRequest = (cpu.user + cpu.system) / 1000 / Math.max(1, result.sent);
      process.send?.({ ...result, generatorCpuMsPerRequest: Math.round(perRequest * 1000) / 1000 });
    })
    .catch((error: unknown) => process.send?.({ error: String(error) }))
    .finally(() => process.disconnect());
});
