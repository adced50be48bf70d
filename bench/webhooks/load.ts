import autocannon from 'autocannon';
import { signElevenLabs } from '../../api/webhooks/signatures';

/** What the parent asks for: one run of autocannon against one URL. */
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
  sustainedRps: number;
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  latencyMs: { p50: number; p90: number; p99: number; max: number; mean: number };
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

async function run(request: LoadRequest): Promise<LoadResult> {
  let counter = 0;
  const result = await autocannon({
    url: request.url,
    connections: request.connections,
    duration: request.seconds,
    ...(request.rate > 0 ? { overallRate: request.rate } : {}),
    requests: [
      {
        method: 'POST',
        setupRequest: (req) => {
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
            headers['elevenlabs-signature'] = signElevenLabs(
              body,
              request.secret,
              Math.floor(Date.now() / 1000),
            );
          return { ...req, body, headers };
        },
      },
    ],
  });
  const ok = result['2xx'];
  return {
    rate: request.rate,
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

// Runs in a child process so that the load generator does not share the servers' event loop.
process.on('message', (message: LoadRequest) => {
  run(message)
    .then((result) => process.send?.(result))
    .catch((error: unknown) => process.send?.({ error: String(error) }))
    .finally(() => process.disconnect());
});
